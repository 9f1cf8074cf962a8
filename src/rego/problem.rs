//! What went wrong with a policy, a bundle or a request, at its module, line and column when
//! known (from `ztgym::rego::RegoError`), as the Rego panel shows it.

use serde::{Deserialize, Serialize};

/// A policy's error, with its place when known (from `ztgym::rego::RegoError`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Problem {
    /// `syntax`, `refused`, `bounds`, `recursion`, `budget` or `eval`.
    pub kind: String,
    /// The module (or `Data`) it is in, when known.
    #[serde(default)]
    pub file: Option<String>,
    pub line: Option<u32>,
    pub column: Option<u32>,
    /// The engine's message (it may hold the source line and a caret).
    pub message: String,
}

impl Problem {
    /// A problem with no place, e.g. the worker stopped.
    pub fn plain(kind: &str, message: impl Into<String>) -> Problem {
        Problem {
            kind: kind.to_string(),
            file: None,
            line: None,
            column: None,
            message: message.into(),
        }
    }

    /// For people: `lib.rego, line 3, column 5: message`.
    pub fn describe(&self) -> String {
        match (self.place(), self.file.as_deref()) {
            (Some(place), _) => format!("{place}: {}", self.message),
            (None, Some(file)) => format!("{file}: {}", self.message),
            (None, None) => self.message.clone(),
        }
    }

    /// As the CLI writes it: `lib.rego:3:5: message` (`default_file` when none is known).
    pub fn located(&self, default_file: &str) -> String {
        let file = self.file.as_deref().unwrap_or(default_file);
        match (self.line, self.column) {
            (Some(l), Some(c)) => format!("{file}:{l}:{c}: {}", self.message),
            (Some(l), None) => format!("{file}:{l}: {}", self.message),
            _ => format!("{file}: {}", self.message),
        }
    }

    /// Where it is: `lib.rego, line 3, column 5` (no line: none).
    pub fn place(&self) -> Option<String> {
        let file = self
            .file
            .as_deref()
            .map(|f| format!("{f}, "))
            .unwrap_or_default();
        match (self.line, self.column) {
            (Some(l), Some(c)) => Some(format!("{file}line {l}, column {c}")),
            (Some(l), None) => Some(format!("{file}line {l}")),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_problem_says_where() {
        let mut p = Problem {
            kind: "syntax".into(),
            file: None,
            line: Some(4),
            column: Some(9),
            message: "unexpected token".into(),
        };
        assert_eq!(p.describe(), "line 4, column 9: unexpected token");
        p.file = Some("lib.rego".into());
        assert_eq!(p.describe(), "lib.rego, line 4, column 9: unexpected token");
        assert_eq!(Problem::plain("eval", "boom").describe(), "boom");
    }
}
