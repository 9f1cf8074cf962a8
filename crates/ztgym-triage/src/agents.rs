//! Built-in agents (always-allow, always-block, random, seed 003's keyword rule-based agent, a
//! risk-threshold agent). The cue reader they use is in [`crate::cues`].

use crate::env::Env;
use crate::types::{Action, Decision, Info, Observation};
use std::borrow::Cow;
use ztgym_core::{Agent, Rng};

// The cue reader, where the adapter and the page name it.
pub use crate::cues::{
    host, is_known_domain, is_lookalike, links_in, read_cues, reasoning_for, sender_domain,
};

/// Allows everything.
#[derive(Clone, Debug, Default)]
pub struct AlwaysAllow;

impl Agent<Env> for AlwaysAllow {
    fn name(&self) -> &str {
        "always-allow"
    }
    fn reset(&mut self, _: u64) {}
    fn act(&mut self, _: &Observation, _: &Info) -> Action {
        Action::new(Decision::Allow, 1.0, "Allowed: every message is delivered.")
    }
}

/// Blocks everything.
#[derive(Clone, Debug, Default)]
pub struct AlwaysBlock;

impl Agent<Env> for AlwaysBlock {
    fn name(&self) -> &str {
        "always-block"
    }
    fn reset(&mut self, _: u64) {}
    fn act(&mut self, _: &Observation, _: &Info) -> Action {
        Action::new(Decision::Block, 1.0, "Blocked: every message is held back.")
    }
}

/// Uniform decisions and confidences, seeded per episode.
#[derive(Clone, Debug)]
pub struct RandomAgent {
    rng: Rng,
}

impl Default for RandomAgent {
    fn default() -> Self {
        RandomAgent { rng: Rng::new(0) }
    }
}

impl Agent<Env> for RandomAgent {
    fn name(&self) -> &str {
        "random"
    }
    fn reset(&mut self, seed: u64) {
        self.rng = Rng::new(seed ^ 0x5EED_0003);
    }
    fn act(&mut self, _: &Observation, _: &Info) -> Action {
        let d = Decision::ALL[self.rng.below(4)];
        let confidence = (self.rng.below(101) as f64) / 100.0;
        Action::new(d, confidence, "Random choice.")
    }
}

/// Seed 003's rule-based fallback: counts its high-risk keywords in the text and the risk
/// score; blocks on two hits or a high score, warns on one, allows otherwise.
#[derive(Clone, Debug, Default)]
pub struct RuleBased;

const SEED_KEYWORDS: &[&str] = &[
    "verify",
    "password",
    "suspended",
    "urgent",
    "winner",
    "prize",
    "gift card",
    "click",
    "login",
    "locked",
    "bitcoin",
    "invoice",
    "install",
];

impl Agent<Env> for RuleBased {
    fn name(&self) -> &str {
        "rule-based"
    }
    fn reset(&mut self, _: u64) {}
    fn act(&mut self, obs: &Observation, _: &Info) -> Action {
        let text = obs.message.text.to_ascii_lowercase();
        let hits = SEED_KEYWORDS.iter().filter(|k| text.contains(*k)).count();
        if hits >= 2 || obs.risk_score >= 0.7 {
            Action::new(
                Decision::Block,
                0.9,
                "High-risk keywords found: urgent request for a password or a prize.",
            )
        } else if hits == 1 || obs.risk_score >= 0.5 {
            Action::new(
                Decision::Warn,
                0.6,
                "One suspicious keyword: warning the user.",
            )
        } else {
            Action::new(Decision::Allow, 0.8, "No suspicious keywords.")
        }
    }
}

/// Blocks when the risk score reaches a threshold, else allows: the scorer alone.
#[derive(Clone, Debug)]
pub struct Threshold {
    pub threshold: f64,
    /// What to do at or above it.
    pub decision: Decision,
}

impl Agent<Env> for Threshold {
    fn name(&self) -> &str {
        "threshold"
    }
    fn reset(&mut self, _: u64) {}
    fn act(&mut self, obs: &Observation, _: &Info) -> Action {
        let d = if obs.risk_score >= self.threshold {
            self.decision
        } else {
            Decision::Allow
        };
        Action {
            decision: d,
            confidence: 0.8,
            reasoning: Cow::Borrowed("Decided on the risk score alone."),
        }
    }
}

/// The built-in agents' names.
pub const AGENTS: [&str; 4] = ["always-allow", "always-block", "random", "rule-based"];

/// A built-in agent by name.
pub fn builtin_agent(name: &str) -> Result<Box<dyn Agent<Env>>, String> {
    match name {
        "always-allow" => Ok(Box::new(AlwaysAllow)),
        "always-block" => Ok(Box::new(AlwaysBlock)),
        "random" => Ok(Box::new(RandomAgent::default())),
        "rule-based" => Ok(Box::new(RuleBased)),
        other => Err(format!(
            "agent: unknown triage agent {other:?} (built-in: {}; learners: q, q-lagrangian, bandit)",
            AGENTS.join(", ")
        )),
    }
}
