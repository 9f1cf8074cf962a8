//! What the interpreter's runs share, for a single policy and for a bundle: its time limit,
//! the `test_` rules a module defines, how a test ended, values shortened for messages, and the
//! longest module accepted.

use regorus::unstable::{Expr, Rule, RuleHead};
use regorus::{Engine, Value};
use serde::Serialize;

/// The longest policy text accepted (bytes).
pub const MAX_POLICY_BYTES: usize = 256 * 1024;

/// The `test_` rules (and `todo_test_` ones, skipped) of the module `file` loaded in `engine`,
/// in order, each with the line of its first head: complete rules whose name starts so, as
/// `opa test` finds them (read from the parsed module, so an indented head counts and a line
/// of a string does not).
pub(crate) fn test_heads(engine: &mut Engine, file: &str) -> Vec<(String, u32)> {
    let mut heads: Vec<(String, u32)> = Vec::new();
    let modules = engine.get_modules().iter();
    for module in modules.filter(|m| m.package.span.source.get_path() == file) {
        for rule in &module.policy {
            let Rule::Spec {
                head: RuleHead::Compr { refr, .. },
                ..
            } = rule.as_ref()
            else {
                continue;
            };
            let Expr::Var { span, .. } = refr.as_ref() else {
                continue;
            };
            let name = span.text();
            let is_test = name.starts_with("test_") || name.starts_with("todo_test_");
            if is_test && !heads.iter().any(|(known, _)| known == name) {
                heads.push((name.to_string(), span.line));
            }
        }
    }
    heads
}

/// Natively, the interpreter is stopped after two seconds (its only limit is a wall clock,
/// which does not exist in a browser: there the page runs it in a worker).
pub(crate) fn limit_time(engine: &mut Engine) {
    #[cfg(not(target_arch = "wasm32"))]
    engine.set_execution_timer_config(crate::bounds::time_limit(1));
    #[cfg(target_arch = "wasm32")]
    let _ = engine;
}

pub(crate) fn short(v: &Value) -> String {
    let s = v.to_json_str().unwrap_or_default();
    if s.chars().count() > 120 {
        format!("{}...", s.chars().take(120).collect::<String>())
    } else {
        s
    }
}

/// How a `test_` rule ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum TestStatus {
    Pass,
    Fail,
    Error,
    Skip,
}

impl TestStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            TestStatus::Pass => "PASS",
            TestStatus::Fail => "FAIL",
            TestStatus::Error => "ERROR",
            TestStatus::Skip => "SKIPPED",
        }
    }
}

/// One `test_` rule's result.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TestResult {
    pub name: String,
    pub status: TestStatus,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
}
