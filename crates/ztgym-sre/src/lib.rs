//! Zero Trust Gym's SRE gym (seed 000): a constrained MDP for security agents that must act fast
//! and by the book, on the core of `ztgym-core`.
//!
//! Pure Rust with no wasm, web or clock dependency: the same code runs natively and in the
//! browser, and the same scenario, seed and actions give the same trajectory everywhere.
//!
//! The files, named alike in every environment crate (`ztgym-sre`, `ztgym-harden`,
//! `ztgym-triage`):
//! - `types.rs`: the wire types (action, observation, info, reset options, state, step
//!   errors; here the action and the observation have files of their own, `action.rs` and
//!   `observation.rs`, and `types` names them too);
//! - `env.rs` and `env/`: the dynamics, one file per part of a step; `env/contract.rs` keeps
//!   the core's `Environment` contract;
//! - `rules.rs`: the reward and cost constants (and `gate.rs`, the zero-trust gate);
//! - `scenario.rs`: the scenario data (`data/scenarios/`);
//! - `agents.rs`: the built-in agents; `adapter.rs`: the learners' view.
//!
//! The `rego` feature adds `rego_gate`: the gym's rules as a Rego policy, as its gate (on
//! `ztgym-rego`, the only part of the gym that needs the engine).
//!
//! ```
//! use ztgym_sre::{Action, Env, ResetOptions, Scenario};
//! let mut env = Env::new(Scenario::builtin("classic").unwrap());
//! let (observation, info) = env.reset(42, ResetOptions::default());
//! assert!(info.action_mask.allows(&Action::Wait));
//! let step = env.step(&Action::Wait).unwrap();
//! assert_eq!(step.observation.step, observation.step + 1);
//! ```

pub mod action;
pub mod adapter;
pub mod agents;
pub mod casefile;
#[cfg(feature = "commands")]
pub mod commands;
pub mod curriculum;
pub mod cve;
pub mod env;
pub mod eval;
pub mod features;
pub mod gate;
pub mod judge;
pub mod learn;
pub mod numeric;
pub mod observation;
pub mod policy;
#[cfg(feature = "rego")]
pub mod rego_gate;
pub use ztgym_core::rng;
pub mod rules;
pub mod scenario;
mod scenario_arg;
#[cfg(feature = "schema")]
mod schema;
pub mod siem;
pub mod spec;
pub mod types;

pub use action::{Action, Privileged};
pub use agents::{builtin_agent, Agent, RandomAgent, SopAgent};
pub use curriculum::{Curriculum, Level};
pub use cve::{CveCatalog, ThreatClass};
pub use env::{Env, ResetOptions, StepError};
pub use learn::{Kind, TrainConfig, Trainer};
pub use observation::{Info, Observation, Outcome, Step};
pub use policy::{Policy, PolicyAgent, PolicyError};
pub use scenario::{Scenario, ScenarioError};

/// The simulator's version, shown by the CLI and the playground.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// This environment described once (see `ztgym_core::spec::EnvSpec`).
pub use spec::{SreSpec, INFO, SPEC};
