//! Zero Trust Gym's message triage (seed 003, SecureAI-Guard): a personal security assistant
//! screens SMS, email and web messages and must stop threats without losing the user's trust or
//! drowning them in warnings. A POMDP on the core of `ztgym-core`: the observation never holds
//! the class of the message to decide.
//!
//! Pure Rust with no wasm, web or clock dependency: the same task, seed and actions give the same
//! trajectory natively and in the browser.
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
pub mod commands;
mod contract;
pub mod env;
pub mod eval;
pub mod generate;
pub mod learn;
pub mod message;
pub mod rules;
pub mod scorer;
pub mod spec;
pub mod task;

pub use adapter::Triage;
pub use agents::builtin_agent;
pub use env::{
    Action, Decision, Env, Grade, Info, Observation, ResetOptions, State, Step, StepError,
};
pub use message::{Channel, Class, Visible};
pub use rules::Rules;
pub use task::TaskId;

/// This environment described once (see `ztgym_core::spec::EnvSpec`).
pub use spec::SPEC;
