//! The hardening environment's wire types: the proposal (action), the reset options, the
//! observation with its candidates, the cycle record and info, the hidden state, step errors.

use crate::gate::GateDecision;
use crate::scenario::Event;
use crate::twin::{Forecast, Twin};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use ztgym_core::Totals;

/// A proposal: an action id (any text: unknown ones are the gate's to deny) and parameters.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Action {
    pub id: String,
    #[serde(default, deserialize_with = "params_within_64_bits")]
    #[cfg_attr(
        feature = "schema",
        schemars(with = "std::collections::BTreeMap<String, ParamValue>")
    )]
    pub params: Map<String, Value>,
    /// Recommend-only mode: a person's answer to this recommendation (accepted runs it,
    /// if the gate allows it and the twin passes it; rejected or absent never runs).
    /// On the wire a boolean or absent (`null` is not written back, so it is not taken).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "schema", schemars(with = "bool"))]
    pub accepted: Option<bool>,
}

/// The largest magnitude of a number in a proposal's parameters: 10^19, exact as a float and
/// as an integer. JSON readers keep a larger integer only as a rounded float, so
/// 18446744073709551617 would reach the gate equal to 18446744073709551616 (OPA keeps it
/// exact; here it is refused, and the schema says so).
pub const MAX_PARAM_MAGNITUDE: f64 = 1e19;

/// A proposal's parameters, refusing a number past [`MAX_PARAM_MAGNITUDE`] at any depth.
fn params_within_64_bits<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> Result<Map<String, Value>, D::Error> {
    const MAX_INT: u64 = MAX_PARAM_MAGNITUDE as u64;
    fn check(v: &Value, path: &str) -> Result<(), String> {
        match v {
            Value::Number(n) => {
                // Integers compare exactly, floats as floats.
                let too_big = match (n.as_u64(), n.as_i64(), n.as_f64()) {
                    (Some(u), _, _) => u > MAX_INT,
                    (None, Some(_), _) => false, // |i64| < 10^19
                    (None, None, Some(f)) => f.abs() > MAX_PARAM_MAGNITUDE,
                    _ => true,
                };
                if too_big {
                    return Err(format!(
                        "params{path}: {n} is larger than 10^19 in magnitude (write it as a string)"
                    ));
                }
                Ok(())
            }
            Value::Array(a) => a
                .iter()
                .enumerate()
                .try_for_each(|(i, v)| check(v, &format!("{path}[{i}]"))),
            Value::Object(o) => o
                .iter()
                .try_for_each(|(k, v)| check(v, &format!("{path}.{k}"))),
            _ => Ok(()),
        }
    }
    let params = Map::<String, Value>::deserialize(d)?;
    for (k, v) in &params {
        check(v, &format!(".{k}")).map_err(serde::de::Error::custom)?;
    }
    Ok(params)
}

/// What a parameter may be, for the schema only: any JSON value whose numbers are at most 10^19
/// in magnitude.
#[cfg(feature = "schema")]
#[derive(schemars::JsonSchema)]
#[schemars(untagged)]
#[allow(dead_code)]
enum ParamValue {
    Text(String),
    Number(#[schemars(range(min = -1e19, max = 1e19))] f64),
    Flag(bool),
    Nothing(()),
    List(Vec<ParamValue>),
    Table(std::collections::BTreeMap<String, ParamValue>),
}

/// The environment the changes run in.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "lowercase")]
pub enum Stage {
    #[default]
    Sandbox,
    Stage,
    Prod,
}

impl Stage {
    pub const ALL: [Stage; 3] = [Stage::Sandbox, Stage::Stage, Stage::Prod];
    pub fn as_str(self) -> &'static str {
        match self {
            Stage::Sandbox => "sandbox",
            Stage::Stage => "stage",
            Stage::Prod => "prod",
        }
    }
}

impl ztgym_core::learn::Variant for Stage {
    const ALL: &'static [Stage] = &Stage::ALL;
    fn as_str(self) -> &'static str {
        Stage::as_str(self)
    }
}

/// How `reset` sets up an episode.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Options {
    /// sandbox (default), stage or prod.
    #[serde(default)]
    pub environment: Stage,
    /// Use case 10: the agent recommends (the candidates come ranked, each with a rollback
    /// hint) and a person accepts or rejects; nothing runs unaccepted.
    #[serde(default)]
    pub recommend_only: bool,
}

/// Seed 001's state features.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Features {
    pub failed_auth_rate_5m: f64,
    pub anomaly_score: f64,
    pub open_inbound_ports_count: f64,
    pub privilege_entropy_score: f64,
    pub public_exposure_score: f64,
}

/// One candidate proposal, judged and forecast (what an action mask is to other gyms).
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Candidate {
    pub action: Action,
    pub allowed: bool,
    pub reasons: Vec<String>,
    pub forecast: Forecast,
    /// Recommend-only mode: how to undo the change.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rollback: Option<String>,
}

impl Observation {
    /// The candidates proposing action `id`, in order.
    pub fn of_kind<'a>(&'a self, id: &'a str) -> impl Iterator<Item = &'a Candidate> + 'a {
        self.candidates.iter().filter(move |c| c.action.id == id)
    }

    /// The best candidate of action `id`: allowed and passing first, then the largest risk
    /// cut, then the least breakage, then the first.
    pub fn best_of_kind(&self, id: &str) -> Option<&Candidate> {
        best(self.candidates.iter().filter(|c| c.action.id == id))
    }
}

/// The best of some candidates (see [`Observation::best_of_kind`]).
pub fn best<'a>(candidates: impl Iterator<Item = &'a Candidate>) -> Option<&'a Candidate> {
    let key = |c: &Candidate| {
        (
            c.allowed && c.forecast.pass,
            -c.forecast.risk_delta,
            -c.forecast.breakage_risk,
        )
    };
    candidates.fold(None, |acc: Option<&Candidate>, c| match acc {
        Some(b) if key(b) >= key(c) => Some(b),
        _ => Some(c),
    })
}

/// What the agent sees.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Observation {
    pub cycle: u32,
    pub environment: Stage,
    pub features: Features,
    pub risk_score: f64,
    /// The candidate proposals now (every action on every resource that needs it), each
    /// judged and forecast.
    pub candidates: Vec<Candidate>,
}

/// What happened to a change.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Execution {
    pub executed: bool,
    /// `applied` or `skipped` (seed 001's statuses).
    pub status: &'static str,
    pub applied_changes: Map<String, Value>,
    /// Breakage that happened (an outage the change caused), if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub breakage: Option<String>,
}

/// Seed 001's reward and its parts.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Reward {
    pub reward: f64,
    pub risk_reduction: f64,
    pub breakage_risk: f64,
    pub policy_penalty: f64,
    pub exec_penalty: f64,
}

/// Every stage of a cycle.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Cycle {
    pub cycle: u32,
    pub environment: Stage,
    /// The telemetry the state was computed from.
    pub telemetry: Vec<Event>,
    pub features: Features,
    pub risk_score: f64,
    pub proposal: Action,
    /// The input the gate saw.
    pub gate_input: Value,
    pub decision: GateDecision,
    pub simulation: Forecast,
    pub execution: Execution,
    pub after_risk: f64,
    pub reward: Reward,
    /// Telemetry that arrived after the cycle (drift), for the next one.
    pub drift: Vec<Event>,
}

/// Beside each observation.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Info {
    /// The cycle just played (absent after `reset`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cycle: Option<Box<Cycle>>,
    /// The candidates' ids the gate allows and the twin passes now.
    pub action_mask: Vec<String>,
    #[cfg_attr(feature = "schema", schemars(with = "serde_json::Value"))]
    pub totals: Totals,
}

/// The hidden state.
#[derive(Clone, Debug, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct State {
    pub scenario: String,
    pub environment: Stage,
    pub cycle: u32,
    pub twin: Twin,
    pub telemetry: Vec<(u32, Event)>,
    #[cfg_attr(feature = "schema", schemars(with = "serde_json::Value"))]
    pub totals: Totals,
}

/// Why a step was refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StepError {
    NotStarted,
    Finished,
}

impl std::fmt::Display for StepError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            StepError::NotStarted => "step before reset",
            StepError::Finished => "the episode is over: reset to play again",
        })
    }
}
