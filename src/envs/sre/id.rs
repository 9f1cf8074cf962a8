//! The environment's id, which its files share (kept out of `mod.rs`, which mounts them).

/// The SRE gym's id in links, storage keys and the training worker's messages.
pub const ENV: &str = "sre";
