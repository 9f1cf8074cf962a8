//! Zero Trust Gym's Rego engine, on `regorus`: what every environment's Rego gate, the CLI's
//! `rego` commands, the server and the page's Rego panel share.
//!
//! - [`bundle`]: modules and data in one engine, as OPA loads a bundle (packages across files,
//!   imports, `data.json`), any query, `opa test`-style runs with coverage; [`bundle_files`]:
//!   a bundle read from files and directories under bounds.
//! - [`policy`]: policies (v1 or legacy v0), `test_` rules, coverage (re-exported here);
//!   [`query`]: one rule compiled for the VM under the instruction budget; [`error`]: errors at
//!   line and column; [`value`]: values to and from JSON.
//! - [`bounds`], [`calls`]: the bounds on parsing, stack, memory, time and builtin arguments;
//!   the builtins refused (`call_sites` finds each call in the parsed policy).
//! - [`recursion`]: recursive rules and over-long rule chains, refused at load.
//! - [`gate`]: a policy as a gate over the core's [`ztgym_core::gate::Gate`] contract (its
//!   `broken` rule names the rules a serialized proposal breaks).

pub mod bounds;
pub mod bundle;
pub mod bundle_files;
mod call_sites;
pub mod calls;
pub mod error;
pub mod gate;
pub mod guards;
pub mod interpreter;
pub mod policy;
pub mod query;
pub mod recursion;
pub mod syntax;
pub mod value;

pub use bundle::{Bundle, BundleError, BundleTest, FileCoverage, LoadOptions, Module, TestRun};
pub use bundle_files::load_paths;
pub use error::{ErrorKind, RegoError};
pub use policy::{Policy, Syntax, TestResult, TestStatus, INSTRUCTION_BUDGET, MAX_POLICY_BYTES};
pub use query::Query;
/// The engine itself, for callers that need its values (`regorus::Value`).
pub use regorus;
pub use syntax::defines_rule;
pub use value::{to_json, to_rego};
