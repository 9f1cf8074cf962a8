//! The L3 adversary: from the task's `drift_start_step` on it watches the agent's decisions and,
//! when a rate crosses the task's `adaptation_threshold`, reshapes what it sends to punish the
//! lazy strategy it sees.

use crate::rules::Adversary as Params;
use crate::types::Counts;
// A wire type (the state and info show it); named here too, where it was before.
pub use crate::types::Mode;

/// The adversary's state.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Adversary {
    pub mode: Mode,
}

fn rate(a: u32, b: u32) -> f64 {
    if b == 0 {
        0.0
    } else {
        f64::from(a) / f64::from(b)
    }
}

impl Adversary {
    /// Chooses the mode from the decisions so far.
    pub fn observe(&mut self, c: &Counts, threshold: f64, p: &Params) {
        let (phish, se) = (0, 3);
        self.mode = if c.safe_seen >= p.min_seen && rate(c.false_positives, c.safe_seen) > threshold
        {
            Mode::HardNegatives
        } else if c.class_seen[phish] >= p.min_seen
            && rate(c.class_stopped[phish], c.class_seen[phish]) > threshold
            && c.class_seen[se] >= p.min_seen.div_ceil(2)
            && rate(c.class_stopped[se], c.class_seen[se]) < 1.0 - threshold
        {
            Mode::SocialEngineeringSurge
        } else if c.threats_seen >= p.min_seen
            && rate(c.threats_stopped, c.threats_seen) < 1.0 - threshold
        {
            Mode::ThreatSurge
        } else {
            Mode::Probing
        };
    }

    /// Reshapes the next draw's mix.
    pub fn shape(&self, p: &Params, weights: &mut [f64; 5], safe_ratio: &mut f64, hard: &mut f64) {
        match self.mode {
            Mode::Probing => {}
            Mode::HardNegatives => {
                *safe_ratio = safe_ratio.max(p.overblock_safe_ratio);
                *hard = hard.max(p.overblock_hard_negative_share);
            }
            Mode::SocialEngineeringSurge => weights[3] *= p.surge_weight,
            Mode::ThreatSurge => {
                weights[0] *= p.surge_weight;
                weights[1] *= p.surge_weight;
            }
        }
    }
}
