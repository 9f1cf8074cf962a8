//! Zero Trust Gym's hardening loop (seed 001, ZT-RL): telemetry updates a digital twin, an
//! agent proposes a change, a Rego policy gate (on `regorus`) answers with every reason, the
//! twin forecasts the risk and the breakage, and the change executes only if allowed and
//! passing. Seeded and deterministic; no clock, randomness or network in a decision.
//!
//! The Rego engine (policies, errors at line and column, the bounds, `test_` rules) is
//! `ztgym-rego`'s.
//!
//! - [`gate`]: a policy as the hardening gate (`allow` and every `deny` reason).
//! - [`twin`]: seed 001's twin and risk formula; [`forecast`]: its forecast of a change;
//!   [`flow`]: the critical flows; [`index`]: resources and flows by name.
//! - [`network`], [`identity`]: seed 001's services and principals and their actions' effect.
//! - [`workload`]: use case 2's workloads and the pod security actions' effect.
//! - [`waf`]: use case 4's WAF rules and their traffic replay.
//! - [`pipeline`]: use case 7's CI/CD pipelines and their simulated builds.
//! - [`tenant`]: use case 9's tenants and their simulated workflows.
//! - [`compliance`]: use case 6's compliance controls and their compatibility check.
//! - [`scenario`]: scenario folders (`scenario.toml` + a `.rego` policy).
//! - [`types`]: the wire types; [`env`](mod@env): the environment (one step = one cycle).
//! - [`agents`]: random, seed 001's bandit, the greedy baseline.
//! - [`adapter`]: the learners' view (Q, Lagrangian Q).
//! - [`metrics`]: seed 001's evaluation and its six audit tables.
//!
//! The files, named alike in every environment crate (`ztgym-sre`, `ztgym-harden`,
//! `ztgym-triage`):
//! - `types.rs`: the wire types (action, observation, info, reset options, state, step errors);
//! - `env.rs` and `env/`: the dynamics, one file per part of a step; `env/contract.rs` keeps
//!   the core's `Environment` contract;
//! - rules: here each scenario's Rego policy (data), asked through the gate in `env/judge.rs`;
//! - `scenario.rs` (and `scenario/file.rs`, the file's shape): the scenario data
//!   (`scenarios/`);
//! - `agents.rs`: the built-in agents; `adapter.rs`: the learners' view.
//! - Each action family's effect lives with its use case (`network.rs`, `identity.rs`,
//!   `workload.rs`, `waf.rs`, `pipeline.rs`, `tenant.rs`, `compliance.rs`).

pub mod adapter;
pub mod agents;
mod checks;
#[cfg(feature = "commands")]
pub mod commands;
pub mod compliance;
mod effect;
pub mod env;
pub mod flow;
pub mod forecast;
pub mod gate;
pub mod identity;
pub mod index;
pub mod metrics;
pub mod network;
pub mod numeric;
pub mod pipeline;
pub mod scenario;
pub mod spec;
pub mod tenant;
pub mod twin;
pub mod types;
pub mod waf;
pub mod workload;

pub use env::{Action, HardenEnv, Options, Stage};
pub use scenario::Scenario;

/// This environment described once (see `ztgym_core::spec::EnvSpec`).
pub use spec::{INFO, SPEC};
