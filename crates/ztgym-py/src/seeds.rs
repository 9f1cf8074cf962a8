//! The seed of each next episode when the caller names none: a fixed function of the last one,
//! so a run seeded once replays exactly.

/// The seed after `seed` (SplitMix64's step: every seed leads somewhere new), below 2^63 so
/// it fits the int64 arrays Gymnasium batches infos into.
pub fn next(seed: u64) -> u64 {
    let mut z = seed.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    (z ^ (z >> 31)) >> 1
}
