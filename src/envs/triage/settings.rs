//! The triage page's run settings, as its share link carries them:
//! `#v=1&task=L2&seed=7&agent=rule-based&speed=normal&env=triage`.
//!
//! The shell reads the link's version and environment (`shell::url_hash`); these are the
//! triage page's fields. Each bad field is reported by name and replaced by its default.
//! `show=hostile` (a test hook) puts a built-in message of hostile text first in the episode.

use super::id::ENV;
use crate::play::decider::Agents;
use crate::play::link_settings::{read_link, read_show};
use crate::play::speed::Speed;
use crate::shell::url_hash;
use ztgym::triage::TaskId;

/// Who acts: a person, one of the crate's built-in agents ([`DECIDERS`]), or the tab's policy.
pub use crate::play::decider::Decider;

/// The agents of the Agent select, in the crate's order.
pub static DECIDERS: Agents = Agents {
    builtin: &[
        ("always-allow", "Always allow"),
        ("always-block", "Always block"),
        ("random", "Random"),
        ("rule-based", "Rule-based"),
    ],
    policy_label: "Policy (trained or loaded)",
};

/// Everything needed to reproduce a run.
#[derive(Clone, Debug, PartialEq)]
pub struct TriageSettings {
    pub task: TaskId,
    pub seed: u64,
    pub agent: Decider,
    pub speed: Speed,
    /// The hostile-text specimen first (`show=hostile`).
    pub hostile: bool,
}

impl Default for TriageSettings {
    fn default() -> Self {
        TriageSettings {
            task: TaskId::L1,
            seed: 1,
            agent: Decider::Human,
            speed: Speed::Normal,
            hostile: false,
        }
    }
}

crate::link_settings!(TriageSettings, DECIDERS);

impl TriageSettings {
    /// The settings the arena ranks on: this task from its usual first message, as
    /// `ztgym eval --env triage --task T` plays it.
    pub fn ranked(&self) -> TriageSettings {
        TriageSettings {
            task: self.task,
            seed: self.seed,
            agent: self.agent,
            speed: self.speed,
            ..TriageSettings::default()
        }
    }

    /// The hash for these settings, without the leading `#`.
    pub fn to_hash(&self) -> String {
        let mut fields = vec![
            ("task", self.task.as_str().to_string()),
            ("seed", self.seed.to_string()),
            ("agent", self.agent.as_str().to_string()),
            ("speed", self.speed.as_str().to_string()),
        ];
        if self.hostile {
            fields.push(("show", "hostile".to_string()));
        }
        url_hash::write(ENV, &fields)
    }

    /// Reads a hash (with or without `#`): the settings, with defaults for anything missing
    /// or bad, and one message per problem (the link's version and environment first).
    pub fn from_hash(hash: &str) -> (TriageSettings, Vec<String>) {
        read_link(
            hash,
            |s: &mut TriageSettings, key, value, problems| match key {
                "task" => match TaskId::parse(&value) {
                    Ok(t) => s.task = t,
                    Err(e) => problems.push(e),
                },
                "show" => s.hostile |= read_show(&value, problems),
                other => problems.push(format!("{other:?} is not a field of a triage link")),
            },
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_arena_ranks_on_the_tasks_defaults() {
        let on_screen = TriageSettings {
            task: TaskId::L3,
            seed: 9,
            hostile: true,
            ..TriageSettings::default()
        };
        let ranked = on_screen.ranked();
        assert_eq!(
            (ranked.task, ranked.seed, ranked.hostile),
            (TaskId::L3, 9, false)
        );
    }
    use crate::play::test_asserts::assert_link_round_trips;

    #[test]
    fn a_link_round_trips() {
        let s = TriageSettings {
            task: TaskId::L3,
            seed: 77,
            agent: Decider::Agent("rule-based"),
            speed: Speed::Max,
            hostile: true,
        };
        assert_link_round_trips(
            s,
            "v=1&task=L3&seed=77&agent=rule-based&speed=max&show=hostile&env=triage",
        );
    }

    #[test]
    fn bad_fields_are_named_and_defaulted() {
        let (s, problems) =
            TriageSettings::from_hash("#v=1&task=L9&seed=-1&agent=sop&speed=warp&x=1&env=triage");
        assert_eq!(s, TriageSettings::default());
        assert_eq!(problems.len(), 5, "{problems:?}");
        assert!(problems[0].contains("\"L9\""), "{problems:?}");
        assert!(problems[1].contains("seed \"-1\""));
        assert!(problems[2].contains("agent \"sop\"") && problems[2].contains("rule-based"));
        assert!(problems[3].contains("speed \"warp\""));
        assert!(problems[4].contains("\"x\""));
    }

    #[test]
    fn every_agent_is_a_builtin_one() {
        for d in Decider::all(&DECIDERS) {
            assert_eq!(Decider::parse(d.as_str(), &DECIDERS), Some(d));
            if let Decider::Agent(name) = d {
                assert!(ztgym::triage::builtin_agent(name).is_ok(), "{name}");
            }
        }
    }
}
