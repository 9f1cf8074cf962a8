//! Which Rego syntax a module is written in, and reading a module in it: v1 by default, v0
//! for legacy text that does not use v1's keywords, errors from the reading that got further.

use crate::error::{ErrorKind, RegoError};
use regorus::Engine;
use serde::Serialize;
use std::fmt;

/// Which Rego syntax a policy was read in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Syntax {
    /// Rego v1 (`if`, `contains`), the default.
    V1,
    /// The legacy syntax (rules without `if`), as seed 001's policy is written.
    V0,
}

/// Whether the text uses `if`, `contains` or `every` as keywords without importing them
/// from `future.keywords` (so it is meant as Rego v1).
pub(crate) fn uses_v1_keywords(text: &str) -> bool {
    if text.contains("import future.keywords") {
        return false;
    }
    text.lines().any(|line| {
        let code = strip_comment(line);
        let mut in_string = false;
        let mut word = String::new();
        let mut found = false;
        for c in code.chars().chain(std::iter::once(' ')) {
            if c == '"' {
                in_string = !in_string;
            }
            if !in_string && (c.is_ascii_alphanumeric() || c == '_' || c == '.') {
                word.push(c);
            } else {
                found |= matches!(word.as_str(), "if" | "contains" | "every");
                word.clear();
            }
        }
        found
    })
}

/// Whether the text defines rule `name` (`name`, `default name`, `name contains ...`): a rule
/// head starts a line.
pub fn defines_rule(text: &str, name: &str) -> bool {
    text.lines().any(|line| {
        let code = strip_comment(line);
        if code.starts_with(char::is_whitespace) {
            return false;
        }
        let code = code.strip_prefix("default ").unwrap_or(code).trim_start();
        code.strip_prefix(name)
            .is_some_and(|rest| !rest.starts_with(|c: char| c.is_ascii_alphanumeric() || c == '_'))
    })
}

/// A line without its `#` comment (a `#` inside a string is kept).
pub(crate) fn strip_comment(line: &str) -> &str {
    let mut in_string = false;
    let mut escaped = false;
    for (i, c) in line.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' if in_string => escaped = true,
            '"' => in_string = !in_string,
            '#' if !in_string => return &line[..i],
            _ => {}
        }
    }
    line
}

/// Adds one module to the engine: as v1, else (when it does not use v1's keywords) as v0; or
/// as v0 throughout. A text that reads as neither is reported with the error of the reading
/// that got further into it.
pub(crate) fn parse_module(
    engine: &mut Engine,
    name: &str,
    text: &str,
    v0_compatible: bool,
) -> Result<(String, Syntax), RegoError> {
    let mut add = |v0: bool| {
        engine.set_rego_v0(v0);
        let added = engine.add_policy(name.to_string(), text.to_string());
        let v1 = engine.get_modules().last().is_some_and(|m| m.rego_v1);
        added.map(|package| (package, if v1 { Syntax::V1 } else { Syntax::V0 }))
    };
    let syntax_error = |e: &dyn fmt::Display| RegoError::from_engine(ErrorKind::Syntax, name, e);
    if v0_compatible {
        return add(true).map_err(|e| syntax_error(&e));
    }
    match add(false) {
        Ok(read) => Ok(read),
        // A text written with v1's keywords is v1 with a mistake.
        Err(e1) if uses_v1_keywords(text) => Err(syntax_error(&e1)),
        Err(e1) => add(true).map_err(|e0| {
            let (a, b) = (syntax_error(&e1), syntax_error(&e0));
            let further = |e: &RegoError| (e.line.unwrap_or(0), e.column.unwrap_or(0));
            if further(&b) > further(&a) {
                b
            } else {
                a
            }
        }),
    }
}
