//! Every rule and constant of the environment, read from `data/triage.toml` (one file, data not
//! code), checked once.

use crate::message::Class;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::sync::OnceLock;

/// The shipped rules file.
pub const RULES_TOML: &str = include_str!("../data/triage.toml");

#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Reward {
    pub w_security: f64,
    pub w_friction: f64,
    pub w_delay: f64,
    pub w_reasoning: f64,
    pub confidence_base: f64,
    pub confidence_scale: f64,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Security {
    pub threat_block: f64,
    pub threat_investigate: f64,
    pub threat_warn: f64,
    pub threat_allow: f64,
    pub safe_allow: f64,
    pub safe_warn: f64,
    pub safe_investigate: f64,
    pub safe_block: f64,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Friction {
    pub warn: f64,
    pub investigate: f64,
    pub safe_block: f64,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Delay {
    pub investigate: f64,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Trust {
    pub start: f64,
    pub max: f64,
    pub block_threat: f64,
    pub warn_threat: f64,
    pub allow_safe: f64,
    pub block_safe: f64,
    pub allow_threat: f64,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Fatigue {
    pub start: f64,
    pub max: f64,
    pub warn: f64,
    pub investigate: f64,
    pub allow_safe: f64,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Grader {
    pub w_security: f64,
    pub w_retention: f64,
    pub w_precision: f64,
    pub w_reasoning: f64,
    pub credit_block: f64,
    pub credit_investigate: f64,
    pub credit_warn: f64,
    pub flag_safe_weight: f64,
    pub retention_fatigue_weight: f64,
    pub letters: Vec<(String, f64)>,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Reasoning {
    pub max_chars: usize,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ObservationRules {
    pub recent_decisions: usize,
}

/// One stretch of a task's episode with its own mix of messages.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Phase {
    pub from_step: u32,
    pub safe_ratio: f64,
    pub hard_negative_share: f64,
    /// Threat weights by class name.
    pub weights: BTreeMap<String, f64>,
}

/// A task (L1, L2, L3).
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Task {
    pub id: String,
    pub name: String,
    pub title: String,
    pub max_steps: u32,
    pub threshold: f64,
    pub trust_penalty_multiplier: f64,
    pub threat_types: Vec<String>,
    pub drift_enabled: bool,
    pub drift_start_step: u32,
    pub adaptation_threshold: f64,
    pub phases: Vec<Phase>,
    /// The weights of phases, per class in [`Class::ALL`] order (filled in by the check).
    #[serde(skip)]
    pub class_weights: Vec<[f64; 5]>,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Adversary {
    pub overblock_safe_ratio: f64,
    pub overblock_hard_negative_share: f64,
    pub surge_weight: f64,
    pub min_seen: u32,
}

/// The whole rules file.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Rules {
    pub reward: Reward,
    pub security: Security,
    pub friction: Friction,
    pub delay: Delay,
    pub trust: Trust,
    pub fatigue: Fatigue,
    pub grader: Grader,
    pub reasoning: Reasoning,
    pub observation: ObservationRules,
    #[serde(rename = "task")]
    pub tasks: Vec<Task>,
    pub adversary: Adversary,
}

impl Rules {
    /// Parses and checks a rules file; errors name the field.
    pub fn parse(text: &str) -> Result<Rules, String> {
        let mut rules: Rules = toml::from_str(text).map_err(|e| format!("triage rules: {e}"))?;
        let mut problems = Vec::new();
        for (i, t) in rules.tasks.iter_mut().enumerate() {
            let at = format!("task[{i}] ({})", t.id);
            if t.max_steps == 0 {
                problems.push(format!("{at}.max_steps: must be at least 1"));
            }
            if !(0.0..=1.0).contains(&t.threshold) {
                problems.push(format!("{at}.threshold: must be in [0, 1]"));
            }
            if t.phases.is_empty() || t.phases[0].from_step != 0 {
                problems.push(format!("{at}.phases: the first phase must start at step 0"));
            }
            if t.drift_enabled && !(0.0..=1.0).contains(&t.adaptation_threshold) {
                problems.push(format!("{at}.adaptation_threshold: must be in [0, 1]"));
            }
            let mut types = Vec::new();
            for name in &t.threat_types {
                match Class::parse(name) {
                    Some(c) if c != Class::Safe => types.push(c),
                    _ => problems.push(format!("{at}.threat_types: {name:?} is not a threat type")),
                }
            }
            t.class_weights.clear();
            for (k, p) in t.phases.iter().enumerate() {
                let pat = format!("{at}.phases[{k}]");
                if k > 0 && p.from_step <= t.phases[k - 1].from_step {
                    problems.push(format!("{pat}.from_step: phases must start in order"));
                }
                if !(0.0..1.0).contains(&p.safe_ratio) {
                    problems.push(format!("{pat}.safe_ratio: must be in [0, 1)"));
                }
                if !(0.0..=1.0).contains(&p.hard_negative_share) {
                    problems.push(format!("{pat}.hard_negative_share: must be in [0, 1]"));
                }
                let mut w = [0.0; 5];
                for (name, &x) in &p.weights {
                    match Class::parse(name) {
                        Some(c) if types.contains(&c) && x >= 0.0 && x.is_finite() => {
                            w[c.index()] = x
                        }
                        Some(c) if c != Class::Safe && !types.contains(&c) => problems.push(
                            format!("{pat}.weights.{name}: not one of the task's threat_types"),
                        ),
                        _ => problems.push(format!("{pat}.weights.{name}: not a threat weight")),
                    }
                }
                if w.iter().sum::<f64>() <= 0.0 {
                    problems.push(format!("{pat}.weights: at least one must be positive"));
                }
                t.class_weights.push(w);
            }
        }
        if rules.tasks.is_empty() {
            problems.push("task: at least one task".into());
        }
        if rules.grader.letters.is_empty() {
            problems.push("grader.letters: at least one letter".into());
        }
        if problems.is_empty() {
            Ok(rules)
        } else {
            Err(format!("triage rules: {}", problems.join("; ")))
        }
    }

    /// The shipped rules (checked by a test).
    pub fn builtin() -> &'static Rules {
        static RULES: OnceLock<Rules> = OnceLock::new();
        RULES.get_or_init(|| Rules::parse(RULES_TOML).expect("the shipped triage rules are valid"))
    }

    /// A task by id (`L1`) or name (`basic_security`).
    pub fn task(&self, key: &str) -> Result<&Task, String> {
        self.tasks
            .iter()
            .find(|t| t.id == key || t.name == key)
            .ok_or_else(|| {
                let known: Vec<String> = self
                    .tasks
                    .iter()
                    .map(|t| format!("{} ({})", t.id, t.name))
                    .collect();
                format!("task: unknown task {key:?} (known: {})", known.join(", "))
            })
    }

    /// The letter of a score.
    pub fn letter(&self, score: f64) -> &str {
        self.grader
            .letters
            .iter()
            .find(|(_, floor)| score >= *floor)
            .or(self.grader.letters.last())
            .map_or("F", |(l, _)| l.as_str())
    }
}

impl Task {
    /// The phase in force at `step` (0-based).
    pub fn phase(&self, step: u32) -> usize {
        self.phases
            .iter()
            .rposition(|p| p.from_step <= step)
            .unwrap_or(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_rules_parse_and_tasks_are_found_by_id_and_name() {
        let r = Rules::builtin();
        assert_eq!(r.task("L2").unwrap().name, "trust_management");
        assert_eq!(r.task("adversarial_drift").unwrap().max_steps, 100);
        assert!(r.task("L9").unwrap_err().contains("basic_security"));
        assert_eq!(r.letter(0.95), "A+");
        assert_eq!(r.letter(0.75), "B");
        assert_eq!(r.letter(0.1), "F");
    }

    #[test]
    fn bad_rules_name_the_field() {
        let bad = RULES_TOML.replace(
            "threat_types = [\"phishing\", \"spam\"]",
            "threat_types = [\"phishing\", \"ransom\"]",
        );
        let e = Rules::parse(&bad).unwrap_err();
        assert!(e.contains("task[0] (L1).threat_types: \"ransom\""), "{e}");
        let bad = RULES_TOML.replace("max_steps = 50", "max_steps = 0");
        assert!(Rules::parse(&bad).unwrap_err().contains("max_steps"));
    }
}
