//! Zero Trust Gym's Rego engine, on `regorus`: what every environment's Rego gate, the CLI's
//! `rego` commands, the server and the page's Rego panel share.
//!
//! - [`policy`]: policies (v1 or legacy v0), errors at line and column, the VM's instruction
//!   budget, `test_` rules, coverage, values to and from JSON (re-exported here).
//! - [`bounds`], [`calls`]: the bounds on parsing, stack, memory, time and builtin arguments;
//!   the builtins refused.
//! - [`recursion`]: recursive rules and over-long rule chains, refused at load.
//! - [`gate`]: a policy as a gate over the core's [`ztgym_core::gate::Gate`] contract (its
//!   `broken` rule names the rules a serialized proposal breaks).

pub mod bounds;
pub mod calls;
pub mod gate;
pub mod policy;
pub mod recursion;

pub use policy::{
    to_json, to_rego, ErrorKind, Policy, Query, RegoError, Syntax, TestResult, TestStatus,
    INSTRUCTION_BUDGET, MAX_POLICY_BYTES,
};
/// The engine itself, for callers that need its values (`regorus::Value`).
pub use regorus;
