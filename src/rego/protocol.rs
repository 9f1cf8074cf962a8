//! The messages between the page and the Rego worker, as JSON text (like the training
//! worker's). Each request carries an id; the answer repeats it, so the page drops an answer
//! to a request it has since replaced.

use serde::{Deserialize, Serialize};
use wasm_bindgen::JsValue;

/// From the page to the worker.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ToRego {
    /// Run every `test_` rule of the policy, like `opa test`.
    Tests { id: u64, name: String, text: String },
    /// The policy's decision on `input`, with every reason and the lines evaluated.
    Decide {
        id: u64,
        name: String,
        text: String,
        input: serde_json::Value,
    },
}

impl ToRego {
    pub fn id(&self) -> u64 {
        match self {
            ToRego::Tests { id, .. } | ToRego::Decide { id, .. } => *id,
        }
    }
}

/// From the worker to the page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum FromRego {
    /// The worker has loaded and takes messages.
    Ready,
    /// The results of [`ToRego::Tests`].
    Tests { id: u64, report: TestReport },
    /// The answer to [`ToRego::Decide`].
    Decision { id: u64, decision: DecisionReport },
    /// The policy did not load or the evaluation failed.
    Failed { id: u64, problem: Problem },
    /// A message the worker could not read.
    Unreadable { message: String },
}

/// A policy's error, with its place when known (from `ztgym::rego::RegoError`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Problem {
    /// `syntax`, `refused`, `bounds`, `recursion`, `budget` or `eval`.
    pub kind: String,
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
            line: None,
            column: None,
            message: message.into(),
        }
    }

    /// For people: `line 3, column 5: message`.
    pub fn describe(&self) -> String {
        match (self.line, self.column) {
            (Some(l), Some(c)) => format!("line {l}, column {c}: {}", self.message),
            (Some(l), None) => format!("line {l}: {}", self.message),
            _ => self.message.clone(),
        }
    }
}

/// How a `test_` rule ended: `PASS`, `FAIL`, `ERROR` or `SKIPPED`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TestRow {
    pub name: String,
    pub status: String,
    pub message: Option<String>,
}

/// Every `test_` rule's result, in the policy's order, and the counts.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TestReport {
    pub rows: Vec<TestRow>,
    pub passed: usize,
    pub failed: usize,
    pub errors: usize,
    pub skipped: usize,
}

impl TestReport {
    /// `3 passed, 1 failed, 0 errors` (and skipped ones when there are any).
    pub fn summary(&self) -> String {
        let mut s = format!(
            "{} passed, {} failed, {} error{}",
            self.passed,
            self.failed,
            self.errors,
            if self.errors == 1 { "" } else { "s" }
        );
        if self.skipped > 0 {
            s.push_str(&format!(", {} skipped", self.skipped));
        }
        s
    }
}

/// A policy's decision on one input.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DecisionReport {
    /// The package, e.g. `data.ztgym.sre`.
    pub package: String,
    pub allowed: bool,
    /// Every reason the policy gives (its `deny` messages, its `broken` rules as
    /// `id: reason`), in its order.
    pub reasons: Vec<String>,
    /// The 1-based lines the evaluation went through, ascending.
    pub covered: Vec<u32>,
}

fn to_js<T: Serialize>(value: &T) -> JsValue {
    JsValue::from_str(&serde_json::to_string(value).expect("messages always serialize"))
}

fn from_js<T: serde::de::DeserializeOwned>(value: &JsValue) -> Result<T, String> {
    let text = value.as_string().unwrap_or_default();
    serde_json::from_str(&text).map_err(|e| format!("Rego worker: unreadable message: {e}"))
}

impl ToRego {
    pub fn to_js(&self) -> JsValue {
        to_js(self)
    }

    pub fn from_js(value: &JsValue) -> Result<ToRego, String> {
        from_js(value)
    }
}

impl FromRego {
    pub fn to_js(&self) -> JsValue {
        to_js(self)
    }

    pub fn from_js(value: &JsValue) -> Result<FromRego, String> {
        from_js(value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_round_trip_as_json() {
        let m = ToRego::Decide {
            id: 7,
            name: "p.rego".into(),
            text: "package p".into(),
            input: serde_json::json!({"a": [1, "<b>"]}),
        };
        let text = serde_json::to_string(&m).unwrap();
        assert!(text.starts_with("{\"type\":\"decide\""), "{text}");
        assert_eq!(serde_json::from_str::<ToRego>(&text).unwrap(), m);
        assert_eq!(m.id(), 7);
        let r = FromRego::Failed {
            id: 3,
            problem: Problem::plain("eval", "x"),
        };
        let text = serde_json::to_string(&r).unwrap();
        assert_eq!(serde_json::from_str::<FromRego>(&text).unwrap(), r);
    }

    #[test]
    fn a_problem_says_where() {
        let p = Problem {
            kind: "syntax".into(),
            line: Some(4),
            column: Some(9),
            message: "unexpected token".into(),
        };
        assert_eq!(p.describe(), "line 4, column 9: unexpected token");
        assert_eq!(Problem::plain("eval", "boom").describe(), "boom");
    }

    #[test]
    fn the_summary_counts_each_status() {
        let r = TestReport {
            passed: 3,
            failed: 1,
            errors: 1,
            ..TestReport::default()
        };
        assert_eq!(r.summary(), "3 passed, 1 failed, 1 error");
    }
}
