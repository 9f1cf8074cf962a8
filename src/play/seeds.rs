//! Seeds for "New seed", drawn from the browser's cryptographic random source (getrandom's
//! `wasm_js` backend: Web Crypto), so each visitor gets seeds of their own. The simulator never
//! draws randomness itself: it only ever sees the seed.

/// Seeds drawn stay short enough to read and type: 0 to 999,999.
pub const SEED_RANGE: u64 = 1_000_000;

/// A seed other than `current`.
pub fn fresh_seed(current: u64) -> u64 {
    let drawn = getrandom::u64()
        // Without a random source (never seen in a browser that runs wasm), a step along a
        // fixed sequence: still a new seed, the same for everyone.
        .unwrap_or_else(|_| {
            current
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1)
        })
        % SEED_RANGE;
    if drawn == current {
        (drawn + 1) % SEED_RANGE
    } else {
        drawn
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fresh_seeds_are_new_in_range_and_not_a_fixed_sequence() {
        let seeds: Vec<u64> = (0..20).map(|_| fresh_seed(1)).collect();
        assert!(seeds.iter().all(|&s| s != 1 && s < SEED_RANGE));
        let distinct: std::collections::BTreeSet<_> = seeds.iter().collect();
        assert!(distinct.len() > 10, "random draws: {seeds:?}");
    }
}
