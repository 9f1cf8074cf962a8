//! Difficulty levels and the curriculum that moves an agent through them (seed 000's rules).

use crate::cve::ThreatClass;
use serde::{Deserialize, Serialize};

/// The five difficulty levels, easiest first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Level {
    Warmup,
    Beginner,
    Intermediate,
    Advanced,
    Expert,
}

impl ztgym_core::learn::Variant for Level {
    const ALL: &'static [Level] = &Level::ALL;

    fn as_str(self) -> &'static str {
        Level::as_str(self)
    }
}

impl Level {
    /// All levels, easiest first.
    pub const ALL: [Level; 5] = [
        Level::Warmup,
        Level::Beginner,
        Level::Intermediate,
        Level::Advanced,
        Level::Expert,
    ];

    /// The level's name as it appears in files and on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Warmup => "warmup",
            Level::Beginner => "beginner",
            Level::Intermediate => "intermediate",
            Level::Advanced => "advanced",
            Level::Expert => "expert",
        }
    }

    /// Parses a level name.
    pub fn parse(name: &str) -> Option<Level> {
        Level::ALL.into_iter().find(|l| l.as_str() == name)
    }

    /// Position in [`Level::ALL`].
    pub fn index(self) -> usize {
        self as usize
    }

    /// What an episode at this level looks like.
    pub fn params(self) -> LevelParams {
        // Budgets are seed 000's; the rest grows the pressure with the level while keeping every
        // level winnable by the book (investigate, ticket, approval, contain) within its budget.
        let (max_steps, threats, red_herrings, spread_after, noise) = match self {
            Level::Warmup => (15, 1, 0, 0, 0.1),
            Level::Beginner => (13, 1, 1, 0, 0.2),
            Level::Intermediate => (11, 1, 2, 8, 0.3),
            Level::Advanced => (9, 2, 1, 8, 0.4),
            Level::Expert => (7, 1, 3, 5, 0.5),
        };
        LevelParams {
            max_steps,
            threats,
            red_herrings,
            spread_after,
            noise_per_step: noise,
            loud_red_herrings: self >= Level::Advanced,
        }
    }
}

/// The parameters of one difficulty level.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct LevelParams {
    /// The step budget (the SLA).
    pub max_steps: u32,
    /// Threats at the start of an episode.
    pub threats: usize,
    /// Nodes that raise suspicious but harmless alerts.
    pub red_herrings: usize,
    /// Steps an uncontained attacker needs to move to a neighbour; 0 = it never moves.
    pub spread_after: u32,
    /// Chance of a benign noise alert each step.
    pub noise_per_step: f64,
    /// Whether red herrings raise alerts as severe as real threats.
    pub loud_red_herrings: bool,
}

/// Per-threat-class mastery and the level it earns (seed 000's curriculum).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Curriculum {
    /// Mastery in [0, 1] per [`ThreatClass`], in the order of `ThreatClass::ALL`.
    pub mastery: [f64; 5],
    /// Episodes recorded so far.
    pub episodes: u32,
}

impl Default for Curriculum {
    fn default() -> Self {
        Curriculum {
            mastery: [0.0; 5],
            episodes: 0,
        }
    }
}

/// Episodes needed before each level can be reached.
const MIN_EPISODES: [u32; 5] = [2, 4, 8, 12, 16];
/// Average mastery needed for each level.
const MIN_MASTERY: [f64; 5] = [0.0, 0.2, 0.4, 0.6, 0.75];

impl Curriculum {
    /// Records an episode against a threat class: success adds 0.10 + 0.08 x (15 - steps) / 15,
    /// failure subtracts 0.05; mastery stays in [0, 1].
    pub fn record(&mut self, class: ThreatClass, success: bool, steps: u32) {
        let m = &mut self.mastery[class.index()];
        let delta = if success {
            0.10 + 0.08 * (15.0 - steps.min(15) as f64) / 15.0
        } else {
            -0.05
        };
        *m = (*m + delta).clamp(0.0, 1.0);
        self.episodes += 1;
    }

    /// Average mastery over the five classes.
    pub fn average(&self) -> f64 {
        self.mastery.iter().sum::<f64>() / 5.0
    }

    /// The hardest level whose episode count and average mastery are both met; warmup always.
    pub fn level(&self) -> Level {
        let avg = self.average();
        Level::ALL
            .into_iter()
            .rev()
            .find(|l| {
                let i = l.index();
                i == 0 || (self.episodes >= MIN_EPISODES[i] && avg >= MIN_MASTERY[i])
            })
            .unwrap_or(Level::Warmup)
    }

    /// Weights for drawing a threat class: the weaker the agent, the likelier the class.
    pub fn class_weights(&self) -> [f64; 5] {
        self.mastery.map(|m| 1.1 - m)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mastery_follows_seed_rules() {
        let mut c = Curriculum::default();
        c.record(ThreatClass::Rce, true, 0);
        assert!((c.mastery[0] - 0.18).abs() < 1e-12);
        c.record(ThreatClass::Rce, true, 15);
        assert!((c.mastery[0] - 0.28).abs() < 1e-12);
        c.record(ThreatClass::Injection, false, 3);
        assert_eq!(c.mastery[ThreatClass::Injection.index()], 0.0);
        assert_eq!(c.episodes, 3);
    }

    #[test]
    fn promotion_needs_episodes_and_mastery() {
        let mut c = Curriculum::default();
        assert_eq!(c.level(), Level::Warmup);
        c.mastery = [0.5; 5];
        c.episodes = 3;
        assert_eq!(c.level(), Level::Warmup, "4 episodes needed for beginner");
        c.episodes = 8;
        assert_eq!(c.level(), Level::Intermediate);
        c.mastery = [0.9; 5];
        c.episodes = 20;
        assert_eq!(c.level(), Level::Expert);
    }

    #[test]
    fn weak_classes_are_drawn_more() {
        let mut c = Curriculum::default();
        c.mastery[ThreatClass::Rce.index()] = 1.0;
        let w = c.class_weights();
        assert!(w[ThreatClass::Rce.index()] < w[ThreatClass::Injection.index()]);
        assert!(w.iter().all(|x| *x > 0.0));
    }
}
