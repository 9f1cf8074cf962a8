//! Zero Trust Gym's hardening loop (seed 001, ZT-RL): telemetry updates a digital twin, an
//! agent proposes a change, a Rego policy gate (on `regorus`) answers with every reason, the
//! twin forecasts the risk and the breakage, and the change executes only if allowed and
//! passing. Seeded and deterministic; no clock, randomness or network in a decision.
//!
//! - [`rego`]: policies (v1 or legacy v0), errors at line and column, the VM's instruction
//!   budget, `test_` rules.
//! - [`rego_bounds`], [`rego_calls`]: the bounds on parsing, stack, memory, time and builtin
//!   arguments; the builtins refused.
//! - [`gate`]: a policy as the hardening gate (`allow` and every `deny` reason).
//! - [`twin`]: seed 001's twin, risk formula and breakage model.
//! - [`waf`]: use case 4's WAF rules and their traffic replay.
//! - [`pipeline`]: use case 7's CI/CD pipelines and their simulated builds.
//! - [`tenant`]: use case 9's tenants and their simulated workflows.
//! - [`compliance`]: use case 6's compliance controls and their compatibility check.
//! - [`scenario`]: scenario folders (`scenario.toml` + a `.rego` policy).
//! - [`env`]: the environment (one step = one cycle).
//! - [`agents`]: random, seed 001's bandit, the greedy baseline.
//! - [`adapter`]: the learners' view (Q, Lagrangian Q).
//! - [`sre_gate`]: the SRE gym's zero-trust rules as a Rego policy, as its gate.
//! - [`metrics`]: seed 001's evaluation and its six audit tables.

pub mod adapter;
pub mod agents;
mod checks;
pub mod commands;
pub mod compliance;
pub mod env;
pub mod gate;
pub mod index;
pub mod metrics;
pub mod pipeline;
pub mod recursion;
pub mod rego;
pub mod rego_bounds;
pub mod rego_calls;
pub mod scenario;
pub mod spec;
pub mod sre_gate;
pub mod tenant;
pub mod twin;
pub mod waf;

pub use env::{Action, HardenEnv, Options, Stage};
pub use scenario::Scenario;

/// This environment described once (see `ztgym_core::spec::EnvSpec`).
pub use spec::SPEC;
