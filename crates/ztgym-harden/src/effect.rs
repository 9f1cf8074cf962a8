//! What a change does to the one resource it touches, as each action family writes it (in its
//! use case's module: `network`, `identity`, `workload`, `waf`, `pipeline`, `tenant`,
//! `compliance`): its breakage, its notes and the settings it changes. The forecast
//! (`forecast.rs`) adds the rest: the risk after it and the critical flows it would break.

use serde_json::{Map, Value};

/// One family's effect of a change, collected as the forecast goes.
#[derive(Debug, Default)]
pub(crate) struct Effect {
    pub breakage: f64,
    pub notes: Vec<String>,
    pub changes: Map<String, Value>,
}

/// Breakage added for each critical flow a change would break (over any budget but sandbox's).
pub const FLOW_BREAKAGE: f64 = 0.4;

pub(crate) fn param<'a>(params: &'a Map<String, Value>, key: &str, default: &'a str) -> &'a str {
    params.get(key).and_then(Value::as_str).unwrap_or(default)
}

/// Serde's default for the resources' "it works" flags (`ready`, `compatible`, ...): a
/// resource works until a change breaks it.
pub(crate) fn works() -> bool {
    true
}
