//! Learned agents: tabular Q-learning, Lagrangian Q-learning for the constrained MDP, and seed
//! 001's epsilon-greedy contextual bandit, over any environment's [`Adapter`]: a discretized
//! observation (named features, a state index) and a few abstract actions.
//!
//! Everything is deterministic and platform-independent: the only randomness is the crate's
//! seeded [`crate::rng::Rng`], and the arithmetic is `+ - * /`, comparisons and rounding (no
//! `exp`, `ln` or `powf`, whose last bits differ between native code and wasm). Every learned
//! number is rounded to 1e-9 after each update so that it survives a trip through JSON bit for
//! bit: a policy or trainer saved and loaded again behaves exactly as before.

pub mod adapter;
pub mod bandit;
mod greedy;
pub mod hyper;
pub mod lagrangian;
pub mod model;
pub mod numeric;
pub mod q;
pub mod trainer;

pub use adapter::{ActionSet, Adapter, FeatureSpec, Variant};
pub use hyper::Hyperparameters;
pub use model::{Model, Params};
pub use trainer::{ChunkReport, EpisodeStats, TrainConfig, Trainer, TrainerState, TrainingMetrics};

use serde::{Deserialize, Serialize};

/// The kinds of learner.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    /// Tabular Q-learning on the reward alone.
    Q,
    /// Lagrangian Q-learning: reward and cost tables, a multiplier set by dual ascent.
    QLagrangian,
    /// Seed 001's epsilon-greedy contextual bandit (per-action linear scores).
    Bandit,
}

impl Kind {
    /// Every kind, in the order the CLI lists them.
    pub const ALL: [Kind; 3] = [Kind::Q, Kind::QLagrangian, Kind::Bandit];
    /// Their names, in the same order (what an environment's spec lists as its learners).
    pub const NAMES: [&'static str; 3] = ["q", "q-lagrangian", "bandit"];

    /// The name on the command line and in policy files (`kind`).
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Q => "q",
            Kind::QLagrangian => "q-lagrangian",
            Kind::Bandit => "bandit",
        }
    }

    /// A kind by name.
    pub fn parse(name: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.as_str() == name)
    }

    /// The algorithm's name, recorded in policy files (`training.algorithm`).
    pub fn algorithm(self) -> &'static str {
        match self {
            Kind::Q => "q-learning",
            Kind::QLagrangian => "lagrangian-q-learning",
            Kind::Bandit => "epsilon-greedy-contextual-bandit",
        }
    }
}

/// Rounds to a multiple of 1e-9. Values so rounded print in at most 15 significant digits
/// (for magnitudes below 1e6), which `serde_json` parses back exactly.
pub fn quantize(x: f64) -> f64 {
    if x.abs() < 1e6 {
        (x * 1e9).round() / 1e9
    } else {
        x
    }
}

/// SplitMix64: a well-mixed 64-bit value from a seed and an index (integer arithmetic only).
pub(crate) fn mix(seed: u64, index: u64) -> u64 {
    let mut z = seed
        .wrapping_add(index.wrapping_mul(0x9E37_79B9_7F4A_7C15))
        .wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantized_values_survive_json_exactly() {
        let mut x = 0.123_456_789_123_f64;
        for _ in 0..2000 {
            x = quantize(x * 1.37 - 3.1);
            if x.abs() > 1e5 {
                x = quantize(x / 7919.0);
            }
            let back: f64 = serde_json::from_str(&serde_json::to_string(&x).unwrap()).unwrap();
            assert_eq!(back.to_bits(), x.to_bits(), "{x}");
        }
    }

    #[test]
    fn kinds_round_trip_by_name() {
        for k in Kind::ALL {
            assert_eq!(Kind::parse(k.as_str()), Some(k));
        }
        assert_eq!(Kind::parse("dqn"), None);
    }
}
