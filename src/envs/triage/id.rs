//! The environment's id, which its files share (kept out of `mod.rs`, which mounts them).

/// The triage page's id in links and storage keys.
pub const ENV: &str = "triage";
