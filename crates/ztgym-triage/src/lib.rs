//! Zero Trust Gym's message triage (seed 003, SecureAI-Guard): a personal security assistant
//! screens SMS, email and web messages and must stop threats without losing the user's trust or
//! drowning them in warnings. A POMDP on the core of `ztgym-core`: the observation never holds
//! the class of the message to decide.
//!
//! Pure Rust with no wasm, web or clock dependency: the same task, seed and actions give the same
//! trajectory natively and in the browser.
//!
//! The files, named alike in every environment crate (`ztgym-sre`, `ztgym-harden`,
//! `ztgym-triage`):
//! - `types.rs`: the wire types (action, observation, info, reset options, state, step errors);
//! - `env.rs` and `env/`: the dynamics; `env/contract.rs` keeps the core's `Environment`
//!   contract;
//! - `rules.rs`: every rule and constant (`data/triage.toml`);
//! - `task.rs`: the task data (with `catalog.rs`, `generate.rs` and `message.rs` for the
//!   messages);
//! - `agents.rs`: the built-in agents (`cues.rs`: the cue reader they share); `adapter.rs`: the
//!   learners' view.
//!
//! ```
//! use ztgym_triage::{Action, Decision, Env, ResetOptions, TaskId};
//! let mut env = Env::new(TaskId::L1);
//! let (observation, _) = env.reset(42, ResetOptions::default());
//! let step = env
//!     .step(&Action::new(Decision::Allow, 0.5, "No red flags."))
//!     .unwrap();
//! assert_eq!(step.observation.step, observation.step + 1);
//! ```

pub mod adapter;
pub mod adversary;
pub mod agents;
pub mod catalog;
#[cfg(feature = "commands")]
pub mod commands;
pub mod cues;
pub mod env;
pub mod eval;
pub mod generate;
pub mod learn;
pub mod message;
pub mod numeric;
pub mod rules;
pub mod scorer;
pub mod spec;
pub mod task;
pub mod types;

pub use adapter::Triage;
pub use agents::builtin_agent;
pub use env::{
    Action, Decision, Env, Grade, Info, Observation, ResetOptions, State, Step, StepError,
};
pub use message::{Channel, Class, Visible};
pub use rules::Rules;
pub use task::TaskId;

/// This environment described once (see `ztgym_core::spec::EnvSpec`).
pub use spec::{INFO, SPEC};
