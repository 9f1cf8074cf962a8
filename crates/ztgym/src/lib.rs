//! Zero Trust Gym: the simulator. Pure Rust: no wasm, web or clock dependency.

/// The simulator's version, shown by the CLI and the playground.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
