//! The messages between the page and the Rego worker, as JSON text (like the training
//! worker's). Each request carries an id; the answer repeats it, so the page drops an answer
//! to a request it has since replaced.

use super::bundle::RegoBundle;
pub use super::problem::Problem;
use serde::{Deserialize, Serialize};
use wasm_bindgen::JsValue;
pub use ztgym::rego::FileCoverage;

/// From the page to the worker. Each carries the whole bundle: the worker keeps the last one
/// it loaded, so a run of requests on one bundle parses it once.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ToRego {
    /// Run every `test_` rule of every module, like `opa test --coverage`.
    Tests { id: u64, bundle: RegoBundle },
    /// The first module's package's decision on `input`, with every reason and the lines
    /// evaluated.
    Decide {
        id: u64,
        bundle: RegoBundle,
        input: serde_json::Value,
    },
    /// Any query, like `opa eval` (`input` absent: undefined).
    Eval {
        id: u64,
        bundle: RegoBundle,
        query: String,
        input: Option<serde_json::Value>,
    },
}

impl ToRego {
    pub fn id(&self) -> u64 {
        match self {
            ToRego::Tests { id, .. } | ToRego::Decide { id, .. } | ToRego::Eval { id, .. } => *id,
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
    /// The answer to [`ToRego::Eval`], as `opa eval --format json` gives it.
    Output { id: u64, result: serde_json::Value },
    /// The policy did not load or the evaluation failed.
    Failed { id: u64, problem: Problem },
    /// A message the worker could not read.
    Unreadable { message: String },
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
    /// The lines each module's tests evaluated, and those they did not.
    #[serde(default)]
    pub coverage: Vec<FileCoverage>,
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
    /// The 1-based lines the evaluation went through, per module, ascending.
    pub covered: Vec<FileCoverage>,
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
            bundle: RegoBundle::single("p.rego", "package p"),
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
