//! The environments, one folder each.

pub mod sre;
