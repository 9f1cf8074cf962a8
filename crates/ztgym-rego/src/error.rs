//! A policy's error: what went wrong, in which file, at which line and column.

use serde::Serialize;
use std::fmt;

/// What went wrong with a policy.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ErrorKind {
    /// The text does not parse (or is too long).
    Syntax,
    /// The policy calls a builtin the gate refuses (network, clock, randomness).
    Refused,
    /// The policy goes past a bound checked at load: bracket nesting, a chain of rules, a
    /// builtin's literal arguments, an input number.
    Bounds,
    /// A rule depends on itself (Rego forbids it; regorus would overflow its stack).
    Recursion,
    /// An evaluation ran past a budget: instructions, memory, time, a builtin's output.
    Budget,
    /// Anything else an evaluation or a compilation reported.
    Eval,
}

/// A policy's error, with its place when the engine gave one.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RegoError {
    pub kind: ErrorKind,
    /// The policy's name (its file name).
    pub file: String,
    /// 1-based line and column, when known.
    pub line: Option<u32>,
    pub column: Option<u32>,
    /// The engine's message (with the source line and a caret when it gave them).
    pub message: String,
}

impl fmt::Display for RegoError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.line, self.column) {
            (Some(l), Some(c)) => write!(f, "{}:{l}:{c}: {}", self.file, self.message),
            _ => write!(f, "{}: {}", self.file, self.message),
        }
    }
}

impl std::error::Error for RegoError {}

impl RegoError {
    pub(crate) fn new(kind: ErrorKind, file: &str, message: impl Into<String>) -> RegoError {
        RegoError {
            kind,
            file: file.to_string(),
            line: None,
            column: None,
            message: message.into(),
        }
    }

    /// From an engine error, reading `--> FILE:LINE:COL` back out of its text.
    pub(crate) fn from_engine(kind: ErrorKind, file: &str, e: &dyn fmt::Display) -> RegoError {
        let message = format!("{e}");
        let mut err = RegoError::new(kind, file, message.trim());
        if let Some((l, c)) = place_in(&message) {
            err.line = Some(l);
            err.column = Some(c);
        }
        if [
            "maximum instruction limit",
            "time limit",
            "execution time",
            "memory limit",
            "memory budget",
        ]
        .iter()
        .any(|m| message.contains(m))
        {
            err.kind = ErrorKind::Budget;
        }
        err
    }
}

impl RegoError {
    /// As [`RegoError::from_engine`], the file read from the engine's marker when it names one
    /// (in a bundle, an error found while preparing every module is in one of them).
    pub(crate) fn from_engine_in_bundle(
        kind: ErrorKind,
        fallback: &str,
        e: &dyn fmt::Display,
    ) -> RegoError {
        let message = format!("{e}");
        let file = file_in(&message).unwrap_or(fallback).to_string();
        RegoError::from_engine(kind, &file, &message)
    }
}

/// The line and column of regorus's `--> file:LINE:COL` marker.
fn place_in(message: &str) -> Option<(u32, u32)> {
    let mut parts = marker(message)?.rsplitn(3, ':');
    let col = parts.next()?.parse().ok()?;
    let line = parts.next()?.parse().ok()?;
    Some((line, col))
}

/// The file of regorus's `--> FILE:line:col` marker.
fn file_in(message: &str) -> Option<&str> {
    let mut parts = marker(message)?.rsplitn(3, ':');
    parts.next()?;
    parts.next()?;
    parts.next().filter(|f| !f.is_empty())
}

/// The `FILE:LINE:COL` after regorus's `--> `.
fn marker(message: &str) -> Option<&str> {
    let at = message.find("--> ")? + 4;
    let rest = &message[at..];
    let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
    Some(&rest[..end])
}
