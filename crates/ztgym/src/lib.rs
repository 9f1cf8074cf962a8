//! Zero Trust Gym: the environments behind one facade, and a [`registry`] that makes any of them
//! by id.
//!
//! Re-exports the SRE gym (seed 000) under the paths the CLI and the playground have always
//! used (`ztgym::Env`, `ztgym::learn`, ...), and the shared core as [`core`].

pub mod registry;
pub mod scenario_dir;

pub use ztgym_core as core;
#[cfg(feature = "harden")]
pub use ztgym_harden as harden;
/// The Rego engine (the SRE gym's gate in Rego is [`rego_gate`]).
#[cfg(feature = "rego")]
pub use ztgym_rego as rego;
pub use ztgym_sre::*;
/// The message triage environment (seed 003).
pub use ztgym_triage as triage;
