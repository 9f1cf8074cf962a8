//! The SRE environment's wire types: here the reset options, step errors and the hidden state;
//! the action (`action.rs`) and the observation and info (`observation.rs`), too large to share
//! this file, are named here too, so every environment crate's `types` holds them all.

use crate::curriculum::{Curriculum, Level};
use crate::cve::ThreatClass;
use serde::{Deserialize, Serialize};
use std::fmt;

pub use crate::action::{Action, Privileged};
pub use crate::observation::{Info, Observation, Outcome, Step};

/// How `reset` sets up an episode.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(default, deny_unknown_fields)]
pub struct ResetOptions {
    /// The difficulty; the scenario's default when absent (ignored with `curriculum`).
    pub level: Option<Level>,
    /// Let the curriculum pick the level and the threat classes the agent is weak on.
    pub curriculum: bool,
}

/// Why a step was refused. The environment is unchanged after an error.
#[derive(Clone, Debug, PartialEq)]
pub enum StepError {
    /// `step` before the first `reset`.
    NotReset,
    /// The episode already ended; call `reset`.
    EpisodeOver { outcome: Outcome },
    /// The action names a service the scenario does not have.
    UnknownNode {
        tool: &'static str,
        node: String,
        known: Vec<String>,
    },
    /// The action names a ticket that was never filed.
    UnknownTicket { ticket: String, known: Vec<String> },
    /// A required field is empty.
    EmptyField {
        tool: &'static str,
        field: &'static str,
    },
}

impl fmt::Display for StepError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StepError::NotReset => write!(f, "step: call reset before the first step"),
            StepError::EpisodeOver { outcome } => {
                write!(
                    f,
                    "step: the episode is over ({}); call reset to start another",
                    outcome.as_str()
                )
            }
            StepError::UnknownNode { tool, node, known } => {
                write!(
                    f,
                    "{tool}.node: unknown service {node:?} (known: {})",
                    known.join(", ")
                )
            }
            StepError::UnknownTicket { ticket, known } => write!(
                f,
                "check_approval.ticket: unknown ticket {ticket:?} (filed: {})",
                if known.is_empty() {
                    "none".to_string()
                } else {
                    known.join(", ")
                }
            ),
            StepError::EmptyField { tool, field } => write!(f, "{tool}.{field}: must not be empty"),
        }
    }
}

impl std::error::Error for StepError {}

/// The hidden state of an episode, from [`crate::Env::state`].
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct State {
    pub scenario: String,
    pub seed: u64,
    pub level: Level,
    pub step: u32,
    pub outcome: Option<Outcome>,
    pub uptime: f64,
    pub episode_return: f64,
    pub episode_cost: f64,
    pub threats: Vec<ThreatState>,
    pub red_herrings: Vec<String>,
    pub curriculum: Curriculum,
}

/// One threat in [`State`].
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ThreatState {
    pub node: String,
    pub cve: String,
    pub class: ThreatClass,
    pub lateral_from: Option<String>,
    pub attacker_ip: String,
    pub contained: Option<Privileged>,
}
