//! Zero Trust Gym: the environments behind one facade.
//!
//! Re-exports the SRE gym (seed 000) under the paths the CLI and the playground have always
//! used (`ztgym::Env`, `ztgym::learn`, ...).

pub use ztgym_sre::*;
