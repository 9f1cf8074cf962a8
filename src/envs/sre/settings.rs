//! The SRE gym's run settings, as its share link carries them:
//! `#v=1&scenario=classic&level=warmup&seed=42&agent=sop&speed=normal&env=sre`.
//!
//! The shell reads the link's version and environment (`shell::url_hash`); these are the SRE
//! gym's fields. Each bad field is reported by name and replaced by its default.
//!
//! `policy=classic-q-lagrangian` names a policy bundled with the page
//! ([`super::bundled_policies`]): it becomes the tab's policy for the run, so a link that says
//! "watch the trained agent" (`agent=policy&policy=...`) plays in any browser. Links without it
//! read and write as before.
//!
//! `gate=rego` judges privileged actions with the SRE gym's rules as a Rego policy, and
//! `rego=1eJw...` carries an edited policy's text ([`crate::rego::link`]); the shipped policy
//! is not written. (`policy=` already names a bundled learning policy, hence `rego=`.)

use super::bundled_policies;
use super::gate_choice::{self, GateChoice};
use super::id::ENV;
use crate::play::decider::Agents;
use crate::play::link_fields::read_choice;
use crate::play::link_settings::read_link;
use crate::play::speed::Speed;
use crate::rego::bundle::RegoBundle;
use crate::rego::link::{bundle_from_link, rego_field};
use crate::shell::url_hash;
use ztgym::{Level, Scenario};

/// Who acts in the episode: a person, Random (uniform over well-formed actions), the SOP
/// operator (scripted, compliant), or the tab's policy.
pub use crate::play::decider::Decider;

/// Uniform over well-formed actions.
pub const RANDOM: Decider = Decider::Agent("random");
/// The scripted compliant operator.
pub const SOP: Decider = Decider::Agent("sop");

/// The agents of the Agent select.
pub static DECIDERS: Agents = Agents {
    builtin: &[("random", "Random"), ("sop", "SOP operator")],
    policy_label: "Policy (loaded)",
};

/// Everything needed to reproduce a run.
#[derive(Clone, Debug, PartialEq)]
pub struct RunSettings {
    pub scenario: String,
    pub level: Level,
    pub seed: u64,
    pub agent: Decider,
    pub speed: Speed,
    /// A bundled policy the link names, by its link name (`classic-q-lagrangian`).
    pub policy: Option<String>,
    /// The gate judging privileged actions.
    pub gate: GateChoice,
    /// The Rego gate's text when edited (`None`: the shipped policy).
    pub rego: Option<RegoBundle>,
}

impl Default for RunSettings {
    fn default() -> Self {
        RunSettings {
            scenario: "classic".into(),
            level: Level::Warmup,
            seed: 1,
            agent: Decider::Human,
            speed: Speed::Normal,
            policy: None,
            gate: GateChoice::Builtin,
            rego: None,
        }
    }
}

crate::link_settings!(RunSettings, DECIDERS);

impl RunSettings {
    /// The settings the arena ranks on: this scenario at its default level with the built-in
    /// gate, as `ztgym eval --scenario S` plays it (a bundled policy the link names stays).
    pub fn ranked(&self) -> RunSettings {
        let level = Scenario::builtin(&self.scenario)
            .map_or(Level::Warmup, |sc| sc.file.scenario.default_level);
        RunSettings {
            scenario: self.scenario.clone(),
            level,
            seed: self.seed,
            agent: self.agent,
            speed: self.speed,
            policy: self.policy.clone(),
            ..RunSettings::default()
        }
    }

    /// The hash for these settings, without the leading `#`.
    pub fn to_hash(&self) -> String {
        let mut fields = vec![
            ("scenario", self.scenario.clone()),
            ("level", self.level.as_str().to_string()),
            ("seed", self.seed.to_string()),
            ("agent", self.agent.as_str().to_string()),
            ("speed", self.speed.as_str().to_string()),
        ];
        if let Some(policy) = &self.policy {
            fields.push(("policy", policy.clone()));
        }
        if self.gate == GateChoice::Rego {
            fields.push(("gate", self.gate.as_str().to_string()));
            // A policy too long for a link is left out; the page says so when it is shared.
            fields.extend(rego_field(self.rego.as_ref()));
        }
        url_hash::write(ENV, &fields)
    }

    /// Reads a hash (with or without `#`). Returns the settings, with defaults for anything
    /// missing or bad, and one message per problem (the link's version and environment
    /// first). An empty hash is not a problem.
    pub fn from_hash(hash: &str) -> (RunSettings, Vec<String>) {
        let mut level_given = false;
        let mut scenario_given = false;
        let (mut s, mut problems) =
            read_link(
                hash,
                |s: &mut RunSettings, key, value, problems| match key {
                    "scenario" => {
                        if Scenario::builtin_text(&value).is_some() {
                            s.scenario = value;
                            scenario_given = true;
                        } else {
                            let known: Vec<&str> = Scenario::builtin_names().collect();
                            problems.push(format!(
                                "scenario {value:?} is not built in (known: {})",
                                known.join(", ")
                            ));
                        }
                    }
                    "level" => {
                        level_given |= read_choice(key, &value, &Level::ALL, &mut s.level, problems)
                    }
                    "policy" => match bundled_policies::find(&value) {
                        Some((file, _)) => {
                            s.policy = Some(bundled_policies::link_name(file).to_string())
                        }
                        None => problems.push(format!(
                            "policy {value:?} is not a policy bundled with the page (bundled: {})",
                            bundled_policies::names()
                        )),
                    },
                    "gate" => _ = read_choice(key, &value, &GateChoice::ALL, &mut s.gate, problems),
                    "rego" => match bundle_from_link(&value, gate_choice::FILE_NAME)
                        .and_then(|b| gate_choice::rego_gate(&b).map(|_| b))
                    {
                        Ok(bundle) => s.rego = gate_choice::edited(&bundle),
                        Err(e) => {
                            problems.push(format!("rego: {e}; the shipped policy is used instead"))
                        }
                    },
                    // Unknown keys are ignored: a newer page may add fields.
                    _ => {}
                },
            );
        // A bundled policy plays its own scenario: without a scenario in the link it chooses
        // it; against another scenario it is dropped, said so.
        if let Some(policy) = s.policy.clone() {
            let trained_on = bundled_policies::scenario_of(&policy);
            if !scenario_given && Scenario::builtin_text(trained_on).is_some() {
                s.scenario = trained_on.to_string();
            } else if trained_on != s.scenario {
                problems.push(format!(
                    "policy {policy:?} plays scenario {trained_on:?}, not {:?}: not loaded",
                    s.scenario
                ));
                s.policy = None;
            }
        }
        if !level_given {
            if let Ok(sc) = Scenario::builtin(&s.scenario) {
                s.level = sc.file.scenario.default_level;
            }
        }
        (s, problems)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_arena_ranks_on_the_scenarios_defaults() {
        let on_screen = RunSettings {
            scenario: "enterprise".into(),
            level: Level::Expert,
            seed: 7,
            agent: Decider::Agent("sop"),
            gate: GateChoice::Rego,
            ..RunSettings::default()
        };
        let ranked = on_screen.ranked();
        let default_level = Scenario::builtin("enterprise")
            .unwrap()
            .file
            .scenario
            .default_level;
        assert_eq!(
            (
                ranked.scenario.as_str(),
                ranked.level,
                ranked.gate,
                ranked.seed,
                ranked.agent
            ),
            (
                "enterprise",
                default_level,
                GateChoice::Builtin,
                7,
                Decider::Agent("sop")
            )
        );
    }
    use crate::rego::link::policy_to_link;

    #[test]
    fn round_trips() {
        let s = RunSettings {
            scenario: "enterprise".into(),
            level: Level::Expert,
            seed: u64::MAX,
            agent: SOP,
            speed: Speed::Max,
            policy: None,
            gate: GateChoice::Builtin,
            rego: None,
        };
        let (back, problems) = RunSettings::from_hash(&format!("#{}", s.to_hash()));
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(back, s);
        let s = RunSettings {
            agent: Decider::Policy,
            policy: Some("enterprise-q-lagrangian".into()),
            ..s
        };
        assert!(
            s.to_hash()
                .ends_with("&speed=max&policy=enterprise-q-lagrangian&env=sre"),
            "{}",
            s.to_hash()
        );
        let (back, problems) = RunSettings::from_hash(&format!("#{}", s.to_hash()));
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(back, s);
    }

    #[test]
    fn a_link_can_name_a_bundled_policy() {
        let (s, problems) =
            RunSettings::from_hash("#v=1&agent=policy&policy=classic-q-lagrangian&env=sre");
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(s.policy.as_deref(), Some("classic-q-lagrangian"));
        assert_eq!(s.agent, Decider::Policy);
        assert_eq!(s.scenario, "classic");
        // Without a scenario, the policy's own; with the file name, the same.
        let (s, problems) = RunSettings::from_hash("#v=1&policy=enterprise-q-lagrangian.json");
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(
            (s.scenario.as_str(), s.level, s.policy.as_deref()),
            (
                "enterprise",
                Level::Intermediate,
                Some("enterprise-q-lagrangian")
            )
        );
    }

    #[test]
    fn an_unknown_or_mismatched_policy_is_named_and_dropped() {
        let (s, problems) = RunSettings::from_hash("#v=1&agent=policy&policy=mars-q");
        assert_eq!(s.policy, None);
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(
            problems[0].contains("policy \"mars-q\"")
                && problems[0].contains("classic-q-lagrangian"),
            "{problems:?}"
        );
        let (s, problems) =
            RunSettings::from_hash("#v=1&scenario=classic&policy=enterprise-q-lagrangian");
        assert_eq!((s.scenario.as_str(), s.policy), ("classic", None));
        assert!(
            problems[0].contains("plays scenario \"enterprise\""),
            "{problems:?}"
        );
    }

    #[test]
    fn a_link_carries_the_gate_and_an_edited_policy() {
        use ztgym::rego_gate::SRE_GATE;
        let edited = SRE_GATE.replace("order := [", "# edited\norder := [");
        let s = RunSettings {
            gate: GateChoice::Rego,
            rego: Some(RegoBundle::single(gate_choice::FILE_NAME, &edited)),
            ..RunSettings::default()
        };
        let hash = s.to_hash();
        assert!(hash.contains("&gate=rego&rego=1"), "{hash}");
        let (back, problems) = RunSettings::from_hash(&hash);
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(back, s);
        // The shipped policy is not written; the built-in gate writes nothing.
        let shipped = RunSettings {
            rego: None,
            ..s.clone()
        };
        assert!(shipped.to_hash().ends_with("&gate=rego&env=sre"));
        assert!(!RunSettings::default().to_hash().contains("gate"));
    }

    #[test]
    fn a_bad_gate_or_policy_in_a_link_is_named_and_the_shipped_one_used() {
        let (s, problems) = RunSettings::from_hash("#v=1&gate=opa&rego=1xyz");
        assert_eq!((s.gate, s.rego), (GateChoice::Builtin, None));
        assert_eq!(problems.len(), 2, "{problems:?}");
        assert!(problems[0].contains("gate \"opa\""), "{problems:?}");
        assert!(
            problems[1].starts_with("rego: the policy in the link"),
            "{problems:?}"
        );
        let broken = policy_to_link("package ztgym.sre\n\nbroken := [\n").unwrap();
        let (s, problems) = RunSettings::from_hash(&format!("#v=1&gate=rego&rego={broken}"));
        assert_eq!((s.gate, s.rego), (GateChoice::Rego, None));
        assert!(
            problems[0].starts_with("rego: sre_gate.rego:") && problems[0].contains("shipped"),
            "{problems:?}"
        );
    }

    #[test]
    fn empty_hash_is_the_default_without_complaint() {
        assert_eq!(RunSettings::from_hash(""), (RunSettings::default(), vec![]));
        assert_eq!(
            RunSettings::from_hash("#"),
            (RunSettings::default(), vec![])
        );
    }

    #[test]
    fn bad_fields_are_named_and_defaulted() {
        let (s, problems) = RunSettings::from_hash(
            "#v=1&scenario=mars&seed=-4&agent=genius&speed=ludicrous&level=godlike&extra=1",
        );
        assert_eq!(s, RunSettings::default());
        assert_eq!(problems.len(), 5, "{problems:?}");
        assert!(problems[0].contains("scenario \"mars\""));
        assert!(problems.iter().any(|p| p.contains("seed \"-4\"")));
        assert!(problems.iter().any(|p| p.contains("agent \"genius\"")));
        assert!(problems.iter().any(|p| p.contains("speed \"ludicrous\"")));
        assert!(problems.iter().any(|p| p.contains("level \"godlike\"")));
    }

    #[test]
    fn versions_are_checked() {
        let (_, p) = RunSettings::from_hash("#v=9&seed=3");
        assert!(p[0].contains("version \"9\""));
        let (s, p) = RunSettings::from_hash("#seed=3");
        assert_eq!(s.seed, 3, "fields still apply");
        assert!(p[0].contains("no version"));
    }

    #[test]
    fn a_scenario_without_level_takes_its_default_level() {
        let (s, _) = RunSettings::from_hash("#v=1&scenario=enterprise");
        assert_eq!(s.level, Level::Intermediate);
    }

    #[test]
    fn links_written_before_env_existed_open_the_sre_gym_unchanged() {
        let old = "#v=1&scenario=enterprise&level=expert&seed=42&agent=sop&speed=max";
        let (s, problems) = RunSettings::from_hash(old);
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(
            s,
            RunSettings {
                scenario: "enterprise".into(),
                level: Level::Expert,
                seed: 42,
                agent: SOP,
                speed: Speed::Max,
                policy: None,
                gate: GateChoice::Builtin,
                rego: None,
            }
        );
        assert_eq!(s.to_hash(), format!("{}&env=sre", &old[1..]));
    }

    #[test]
    fn env_sre_is_read_and_written_last() {
        let (s, problems) = RunSettings::from_hash("#v=1&env=sre&seed=7");
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(s.seed, 7);
        assert!(
            s.to_hash().ends_with("&speed=normal&env=sre"),
            "{}",
            s.to_hash()
        );
    }

    #[test]
    fn an_unknown_env_is_a_link_problem_and_the_rest_still_applies() {
        let (s, problems) = RunSettings::from_hash("#v=1&env=mars&seed=9&agent=genius");
        assert_eq!(s.seed, 9);
        assert_eq!(s.agent, Decider::Human, "the default");
        assert_eq!(problems.len(), 2, "{problems:?}");
        assert!(problems[0].contains("env \"mars\""), "{problems:?}");
        let (_, problems) = RunSettings::from_hash("#v=1&env=venus");
        assert!(problems[0].contains("env \"venus\""), "{problems:?}");
    }
}
