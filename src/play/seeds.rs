//! Seeds for "New seed": a step along a fixed sequence from the current seed.

/// Seeds drawn stay short enough to read and type: 0 to 999,999.
pub const SEED_RANGE: u64 = 1_000_000;

/// The seed after `current`.
pub fn fresh_seed(current: u64) -> u64 {
    current
        .wrapping_mul(6_364_136_223_846_793_005)
        .wrapping_add(1)
        % SEED_RANGE
}
