//! Policy files: a learned agent saved as versioned JSON, loaded back with every problem named
//! by its JSON path, and played frozen through the [`crate::Agent`] trait. The envelope is the
//! same for every environment; its `env`, `features`, `actions` and the tables' sizes come from
//! the environment's [`Adapter`]. The SRE gym's files look like this:
//!
//! ```json
//! {
//!   "format": "ztgym-policy",
//!   "version": 1,
//!   "env": "zero-trust-sre-gym",
//!   "scenario": "classic",
//!   "kind": "q-lagrangian",
//!   "features": ["suspect", "confirmed", "ticket", "isolation_ok", "patchable", "steps_left"],
//!   "actions": ["investigate", "ticket_isolate", "ticket_patch", "check_approval", "isolate", "patch", "wait"],
//!   "parameters": {"masked": false, "lambda": 0.4, "q_reward": [[...], ...], "q_cost": [[...], ...], "visits": [...]},
//!   "training": {"algorithm": "lagrangian-q-learning", "hyperparameters": {...}, "episodes": 2000,
//!                "seed": 0, "level": "warmup", "final_metrics": {...}}
//! }
//! ```

mod agent;
mod pretty;
mod validate;

pub use crate::json::Problem;
pub use agent::{Inspection, PolicyAgent, StateRow};

use crate::learn::{
    Adapter, Hyperparameters, Kind, Model, Params, Trainer, TrainingMetrics, Variant,
};
use serde::ser::{SerializeMap, Serializer};
use serde::Serialize;
use std::fmt;
use std::marker::PhantomData;

/// The `format` field of every policy file.
pub const FORMAT: &str = "ztgym-policy";
/// The version this build writes and reads.
pub const VERSION: u64 = 1;

/// How a policy was trained (the file's `training` object); `L` is the environment's level type.
#[derive(Clone, Debug, PartialEq)]
pub struct TrainingInfo<L> {
    /// `q-learning`, `lagrangian-q-learning` or `epsilon-greedy-contextual-bandit`.
    pub algorithm: String,
    /// Every hyperparameter; the file lists the ones the kind uses.
    pub hyperparameters: Hyperparameters,
    /// Episodes trained.
    pub episodes: u64,
    /// The training seed.
    pub seed: u64,
    /// The level episodes were played at.
    pub level: L,
    /// Averages over the last training episodes.
    pub final_metrics: TrainingMetrics,
}

/// A learned policy for one scenario of the environment `A` adapts.
pub struct Policy<A: Adapter> {
    /// The scenario it was trained on, the only one it may play.
    pub scenario: String,
    /// The learned parameters.
    pub model: Model,
    /// How it was trained.
    pub training: TrainingInfo<A::Level>,
    adapter: PhantomData<fn() -> A>,
}

impl<A: Adapter> Clone for Policy<A> {
    fn clone(&self) -> Self {
        Policy::new(
            self.scenario.clone(),
            self.model.clone(),
            self.training.clone(),
        )
    }
}

impl<A: Adapter> fmt::Debug for Policy<A> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Policy")
            .field("env", &A::POLICY_ENV)
            .field("scenario", &self.scenario)
            .field("model", &self.model)
            .field("training", &self.training)
            .finish()
    }
}

impl<A: Adapter> PartialEq for Policy<A> {
    fn eq(&self, other: &Self) -> bool {
        (&self.scenario, &self.model, &self.training)
            == (&other.scenario, &other.model, &other.training)
    }
}

/// Why a policy file was refused: every problem found, each with its JSON path.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PolicyError {
    /// The file's name as the user gave it.
    pub file: String,
    /// Every problem found, in file order.
    pub problems: Vec<Problem>,
}

/// Problems shown by `Display`; the rest are counted.
const SHOWN: usize = 50;

impl fmt::Display for PolicyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (k, p) in self.problems.iter().take(SHOWN).enumerate() {
            if k > 0 {
                writeln!(f)?;
            }
            if p.path.is_empty() {
                write!(f, "{}: {}", self.file, p.message)?;
            } else {
                write!(f, "{}: {}: {}", self.file, p.path, p.message)?;
            }
        }
        if self.problems.len() > SHOWN {
            write!(
                f,
                "\n{}: ... and {} more problems",
                self.file,
                self.problems.len() - SHOWN
            )?;
        }
        Ok(())
    }
}

impl std::error::Error for PolicyError {}

impl<A: Adapter> Policy<A> {
    /// A policy from its parts.
    pub fn new(scenario: String, model: Model, training: TrainingInfo<A::Level>) -> Policy<A> {
        Policy {
            scenario,
            model,
            training,
            adapter: PhantomData,
        }
    }

    /// The policy a trainer has learned so far.
    pub fn from_trainer(trainer: &Trainer<A>) -> Policy<A> {
        let config = trainer.config();
        let scenario = trainer.scenario();
        Policy::new(
            A::scenario_name(scenario).to_string(),
            trainer.model().clone(),
            TrainingInfo {
                algorithm: config.kind.algorithm().to_string(),
                hyperparameters: config.hyperparameters.clone(),
                episodes: trainer.state().episodes_done,
                seed: config.seed,
                level: config.level.unwrap_or(A::default_level(scenario)),
                final_metrics: trainer.metrics(),
            },
        )
    }

    /// The kind of learner.
    pub fn kind(&self) -> Kind {
        self.model.kind()
    }

    /// Refuses a policy trained for another scenario.
    pub fn check_scenario(&self, scenario: &A::Scenario) -> Result<(), String> {
        let name = A::scenario_name(scenario);
        if self.scenario == name {
            Ok(())
        } else {
            Err(format!(
                "policy: trained on scenario {:?}; it cannot play {:?} (its features and \
                 actions are read against that scenario's services)",
                self.scenario, name
            ))
        }
    }

    /// The policy file's text: two-space indented JSON with one table row per line, ending in
    /// a newline. The same policy always gives the same bytes.
    pub fn to_json(&self) -> String {
        let kind = self.kind();
        let out = FileOut {
            format: FORMAT,
            version: VERSION,
            env: A::POLICY_ENV,
            scenario: &self.scenario,
            kind: kind.as_str(),
            features: A::FEATURES.iter().map(|f| f.name).collect(),
            actions: A::ACTIONS.to_vec(),
            parameters: ParamsOut(&self.model),
            training: TrainingOut {
                algorithm: &self.training.algorithm,
                hyperparameters: self.training.hyperparameters.for_kind(kind),
                episodes: self.training.episodes,
                seed: self.training.seed,
                level: self.training.level.as_str(),
                final_metrics: &self.training.final_metrics,
            },
        };
        let compact = serde_json::to_string(&out).expect("a policy always serializes");
        let mut text = pretty::layout(&compact);
        text.push('\n');
        text
    }
}

#[derive(Serialize)]
struct FileOut<'a> {
    format: &'static str,
    version: u64,
    env: &'static str,
    scenario: &'a str,
    kind: &'static str,
    features: Vec<&'static str>,
    actions: Vec<&'static str>,
    parameters: ParamsOut<'a>,
    training: TrainingOut<'a>,
}

#[derive(Serialize)]
struct TrainingOut<'a> {
    algorithm: &'a str,
    hyperparameters: crate::learn::hyper::HyperparametersOf<'a>,
    episodes: u64,
    seed: u64,
    level: &'static str,
    final_metrics: &'a TrainingMetrics,
}

/// The `parameters` object, in a fixed field order per kind.
struct ParamsOut<'a>(&'a Model);

impl Serialize for ParamsOut<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let m = self.0;
        let mut map = s.serialize_map(None)?;
        map.serialize_entry("masked", &m.masked)?;
        match &m.params {
            Params::Q { q } => map.serialize_entry("q", q)?,
            Params::QLagrangian {
                q_reward,
                q_cost,
                lambda,
            } => {
                map.serialize_entry("lambda", lambda)?;
                map.serialize_entry("q_reward", q_reward)?;
                map.serialize_entry("q_cost", q_cost)?;
            }
            Params::Bandit { weights } => map.serialize_entry("weights", weights)?,
        }
        map.serialize_entry("visits", &m.visits)?;
        map.end()
    }
}
