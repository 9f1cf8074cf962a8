//! The hardening page's run settings, as its share link carries them:
//! `#v=1&scenario=seed001&seed=7&stage=prod&mode=recommend&agent=greedy&speed=normal&env=harden`,
//! and `rego=1eJw...` for a policy edited in the page ([`crate::rego::link`]; the scenario's
//! own policy is not written).
//!
//! The shell reads the link's version and environment (`shell::url_hash`); these are the
//! hardening page's fields. Each bad field is reported by name and replaced by its default.
//! `show=hostile` (a test hook) puts a built-in policy whose denial reasons are hostile text in
//! force, to check every surface shows them as text.

use super::id::ENV;
use crate::play::decider::Agents;
use crate::play::link_fields::read_choice;
use crate::play::link_settings::{read_link, read_show};
use crate::play::speed::Speed;
use crate::rego::bundle::RegoBundle;
use crate::rego::link::{bundle_from_link, rego_field};
use crate::shell::url_hash;
use ztgym::harden::gate::RegoGate;
use ztgym::harden::{Scenario, Stage};

/// Who acts: a person, one of the crate's built-in agents ([`DECIDERS`]), or the tab's policy.
pub use crate::play::decider::Decider;

/// The agents of the Agent select, in the crate's order.
pub static DECIDERS: Agents = Agents {
    builtin: &[
        ("random", "Random"),
        ("bandit", "Bandit"),
        ("greedy", "Greedy"),
    ],
    policy_label: "Policy (trained or loaded)",
};

/// The built-in scenarios, in the crate's order.
pub fn scenario_names() -> Vec<&'static str> {
    Scenario::builtin_names().collect()
}

/// Everything needed to reproduce a run.
#[derive(Clone, Debug, PartialEq)]
pub struct HardenSettings {
    /// A built-in scenario's name.
    pub scenario: &'static str,
    pub seed: u64,
    /// sandbox, stage or prod.
    pub stage: Stage,
    /// Use case 10: the agent recommends, a person (or the scripted reviewer) accepts.
    pub recommend: bool,
    pub agent: Decider,
    pub speed: Speed,
    /// The hostile-text policy in force (`show=hostile`).
    pub hostile: bool,
    /// The policy in force when it is not the scenario's own (edited in the page).
    pub rego: Option<RegoBundle>,
}

impl Default for HardenSettings {
    fn default() -> Self {
        HardenSettings {
            scenario: "seed001",
            seed: 1,
            stage: Stage::Sandbox,
            recommend: false,
            agent: Decider::Human,
            speed: Speed::Normal,
            hostile: false,
            rego: None,
        }
    }
}

/// A bundle that can be the gate: it loads and its `allow` compiles.
fn gate_policy(bundle: RegoBundle) -> Result<RegoBundle, String> {
    let policy = bundle.to_policy().map_err(|p| p.located("policy.rego"))?;
    RegoGate::new(std::sync::Arc::new(policy)).map_err(|e| e.to_string())?;
    Ok(bundle)
}

crate::link_settings!(HardenSettings, DECIDERS);

impl HardenSettings {
    /// The settings the arena ranks on: this scenario in the sandbox, proposals applied, the
    /// scenario's own policy as the gate, as `ztgym eval --env harden --scenario S` plays it.
    pub fn ranked(&self) -> HardenSettings {
        HardenSettings {
            scenario: self.scenario,
            seed: self.seed,
            agent: self.agent,
            speed: self.speed,
            ..HardenSettings::default()
        }
    }

    /// The hash for these settings, without the leading `#`.
    pub fn to_hash(&self) -> String {
        let mut fields = vec![
            ("scenario", self.scenario.to_string()),
            ("seed", self.seed.to_string()),
            ("stage", self.stage.as_str().to_string()),
        ];
        if self.recommend {
            fields.push(("mode", "recommend".to_string()));
        }
        fields.push(("agent", self.agent.as_str().to_string()));
        fields.push(("speed", self.speed.as_str().to_string()));
        if self.hostile {
            fields.push(("show", "hostile".to_string()));
        }
        // A text too long for a link is not written (the panel says so when it is applied).
        fields.extend(rego_field(self.rego.as_ref()));
        url_hash::write(ENV, &fields)
    }

    /// Reads a hash (with or without `#`): the settings, with defaults for anything missing
    /// or bad, and one message per problem (the link's version and environment first).
    pub fn from_hash(hash: &str) -> (HardenSettings, Vec<String>) {
        read_link(
            hash,
            |s: &mut HardenSettings, key, value, problems| match key {
                "scenario" => {
                    read_choice(key, &value, &scenario_names(), &mut s.scenario, problems);
                }
                "stage" => _ = read_choice(key, &value, &Stage::ALL, &mut s.stage, problems),
                "mode" => match value.as_str() {
                    "recommend" => s.recommend = true,
                    "act" => s.recommend = false,
                    _ => problems.push(format!("mode {value:?} is not one of act, recommend")),
                },
                "show" => s.hostile |= read_show(&value, problems),
                "rego" => match bundle_from_link(&value, "policy.rego").and_then(gate_policy) {
                    Ok(bundle) => s.rego = Some(bundle),
                    Err(e) => {
                        problems.push(format!("rego: {e}; the scenario's policy is used instead"))
                    }
                },
                other => problems.push(format!("{other:?} is not a field of a hardening link")),
            },
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_arena_ranks_on_the_scenarios_defaults() {
        let on_screen = HardenSettings {
            scenario: "uc01-network-exposure",
            seed: 4,
            stage: Stage::Prod,
            recommend: true,
            agent: Decider::Agent("greedy"),
            ..HardenSettings::default()
        };
        assert_eq!(
            on_screen.ranked(),
            HardenSettings {
                scenario: "uc01-network-exposure",
                seed: 4,
                agent: Decider::Agent("greedy"),
                ..HardenSettings::default()
            }
        );
    }
    use crate::play::test_asserts::assert_link_round_trips;
    use crate::rego::link::policy_to_link;

    #[test]
    fn a_link_round_trips() {
        let s = HardenSettings {
            scenario: "uc04-waf-tuning",
            seed: 77,
            stage: Stage::Prod,
            recommend: true,
            agent: Decider::Agent("bandit"),
            speed: Speed::Max,
            hostile: true,
            rego: None,
        };
        assert_link_round_trips(
            s,
            "v=1&scenario=uc04-waf-tuning&seed=77&stage=prod&mode=recommend&agent=bandit&speed=max&show=hostile&env=harden",
        );
        let plain = HardenSettings::default();
        assert_eq!(HardenSettings::from_hash(&plain.to_hash()), (plain, vec![]));
    }

    #[test]
    fn an_edited_policy_rides_in_the_link_and_a_broken_one_is_named() {
        let own = Scenario::builtin_policy("seed001").unwrap();
        let edited = own.replace("quarantine", "quarantine_edited");
        let s = HardenSettings {
            rego: Some(RegoBundle::single("policy.rego", &edited)),
            ..HardenSettings::default()
        };
        let hash = s.to_hash();
        assert!(hash.contains("&rego="), "{hash}");
        assert_eq!(HardenSettings::from_hash(&hash), (s, vec![]));

        let broken = policy_to_link("package x\nallow if {\n").unwrap();
        let (s, problems) = HardenSettings::from_hash(&format!("#v=1&rego={broken}&env=harden"));
        assert_eq!(s.rego, None);
        assert!(
            problems[0].starts_with("rego: policy.rego:3:1") && problems[0].contains("scenario's"),
            "{problems:?}"
        );
    }

    #[test]
    fn bad_fields_are_named_and_defaulted() {
        let (s, problems) = HardenSettings::from_hash(
            "#v=1&scenario=uc99&seed=x&stage=moon&mode=auto&agent=sop&speed=warp&y=1&env=harden",
        );
        assert_eq!(s, HardenSettings::default());
        assert_eq!(problems.len(), 7, "{problems:?}");
        assert!(problems[0].contains("\"uc99\"") && problems[0].contains("seed001"));
        assert!(problems[1].contains("seed \"x\""));
        assert!(problems[2].contains("stage \"moon\""));
        assert!(problems[3].contains("mode \"auto\""));
        assert!(problems[4].contains("agent \"sop\"") && problems[4].contains("greedy"));
        assert!(problems[5].contains("speed \"warp\""));
        assert!(problems[6].contains("\"y\""));
    }

    #[test]
    fn the_ten_scenarios_and_every_agent_are_the_crates() {
        assert_eq!(scenario_names().len(), 10);
        for d in Decider::all(&DECIDERS) {
            assert_eq!(Decider::parse(d.as_str(), &DECIDERS), Some(d));
            if let Decider::Agent(name) = d {
                assert!(ztgym::harden::agents::builtin(name).is_ok(), "{name}");
            }
        }
    }
}
