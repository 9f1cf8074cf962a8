//! The hardening tab's policies, one per action set, each kept under its own storage key: the
//! one that plays as an agent (`agent=policy`) and is inspected on the twin on screen.

use super::adapter::with_set;
use super::settings::{Decider, HardenSettings};
use crate::learning::bundled::stand_in;
use crate::learning::policy_store::TabPolicyOf;
use ztgym::core::policy::{Inspection, PolicyAgent};
use ztgym::core::Agent;
use ztgym::harden::adapter::{
    for_scenario, ActionSetOf, Controls, HardenAdapterOf, Kinds, Pipelines, Pods, Seed, Tenants,
    Waf,
};
use ztgym::harden::env::Observation;
use ztgym::harden::{Action, HardenEnv, Scenario};

/// The hardening policies shipped with the page, trained by the CLI (`docs/src/policies.md`):
/// the one of a scenario plays `agent=policy` in a browser that keeps none for it.
pub const BUNDLED: [(&str, &str); 2] = [
    (
        "seed001-q.json",
        include_str!("../../../assets/policies/harden/seed001-q.json"),
    ),
    (
        "uc01-network-exposure-q.json",
        include_str!("../../../assets/policies/harden/uc01-network-exposure-q.json"),
    ),
];

/// An action set as the page keeps its policy: where in local storage, and which of the tab's
/// policies is its.
pub trait HardenSet: Kinds + Send + Sync + 'static {
    /// The action set.
    const SET: ActionSetOf;
    /// The storage name of its policy (`ztgym.{STORE}.policy`).
    const STORE: &'static str;
    /// Its policy among the tab's.
    fn tab(policies: &HardenPolicies) -> TabPolicyOf<HardenAdapterOf<Self>>;
}

macro_rules! harden_set {
    ($kinds:ident, $set:ident, $store:literal, $field:ident) => {
        impl HardenSet for $kinds {
            const SET: ActionSetOf = ActionSetOf::$set;
            const STORE: &'static str = $store;
            fn tab(policies: &HardenPolicies) -> TabPolicyOf<HardenAdapterOf<Self>> {
                policies.$field
            }
        }
    };
}

harden_set!(Seed, Seed, "harden", seed);
harden_set!(Pods, Pods, "harden.pods", pods);
harden_set!(Waf, Waf, "harden.waf", waf);
harden_set!(Pipelines, Pipelines, "harden.pipelines", pipelines);
harden_set!(Tenants, Tenants, "harden.tenants", tenants);
harden_set!(Controls, Controls, "harden.controls", controls);

/// The tab's policies, one per action set: the one loaded or trained last for its scenarios.
/// Cheap handles.
#[derive(Clone, Copy)]
pub struct HardenPolicies {
    seed: TabPolicyOf<HardenAdapterOf<Seed>>,
    pods: TabPolicyOf<HardenAdapterOf<Pods>>,
    waf: TabPolicyOf<HardenAdapterOf<Waf>>,
    pipelines: TabPolicyOf<HardenAdapterOf<Pipelines>>,
    tenants: TabPolicyOf<HardenAdapterOf<Tenants>>,
    controls: TabPolicyOf<HardenAdapterOf<Controls>>,
}

impl HardenPolicies {
    /// The policies an earlier visit kept, and the problem with each that no longer reads.
    pub fn restore() -> (HardenPolicies, Vec<String>) {
        let mut problems = Vec::new();
        let policies = HardenPolicies {
            seed: kept::<Seed>(&mut problems),
            pods: kept::<Pods>(&mut problems),
            waf: kept::<Waf>(&mut problems),
            pipelines: kept::<Pipelines>(&mut problems),
            tenants: kept::<Tenants>(&mut problems),
            controls: kept::<Controls>(&mut problems),
        };
        (policies, problems)
    }

    /// The `Policy` decider of `settings`: the tab's policy of the scenario's action set as an
    /// agent on it (`None`: the settings name another decider, or there is no such policy).
    pub fn agent_for(
        &self,
        settings: &HardenSettings,
    ) -> Option<Result<Box<dyn Agent<HardenEnv>>, String>> {
        if settings.agent != Decider::Policy {
            return None;
        }
        let scenario = match Scenario::load(settings.scenario) {
            Ok(s) => s,
            Err(e) => return Some(Err(e.to_string())),
        };
        with_set!(for_scenario(&scenario), K => self.agent_of::<K>(&scenario))
    }

    /// For the `Policy` agent, the scenario's bundled policy when the tab holds none for the
    /// scenario; what to tell the person.
    pub fn stand_in(&self, settings: &HardenSettings) -> Option<String> {
        if settings.agent != Decider::Policy {
            return None;
        }
        let scenario = Scenario::load(settings.scenario).ok()?;
        with_set!(for_scenario(&scenario), K => stand_in(K::tab(self), &BUNDLED, settings.scenario))
    }

    fn agent_of<K: HardenSet>(
        &self,
        scenario: &Scenario,
    ) -> Option<Result<Box<dyn Agent<HardenEnv>>, String>> {
        let policy = K::tab(self).get_untracked()?;
        Some(
            PolicyAgent::new(&policy, scenario)
                .map(|a| Box::new(a) as Box<dyn Agent<HardenEnv>>)
                .map_err(|e| format!("agent policy: {e}")),
        )
    }

    /// What the tab's policy for `scenario` would do on `observation` (tracks the policy);
    /// `None` without a policy trained on that scenario.
    pub fn inspect(
        &self,
        scenario: &Scenario,
        observation: &Observation,
    ) -> Option<Inspection<Action>> {
        with_set!(for_scenario(scenario), K => K::tab(self).with(|p| {
            let agent = PolicyAgent::new(&p?.policy, scenario).ok()?;
            Some(agent.inspect(observation))
        }))
    }
}

/// The policy an earlier visit kept for action set `K`; a problem with it is added to
/// `problems`.
fn kept<K: HardenSet>(problems: &mut Vec<String>) -> TabPolicyOf<HardenAdapterOf<K>> {
    let (tab, problem) = TabPolicyOf::restore(K::STORE);
    problems.extend(problem);
    tab
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::envs::harden::session::Session;
    use crate::envs::harden::settings::scenario_names;
    use crate::play::page_session::PageSession;
    use crate::play::speed::Speed;
    use ztgym::core::learn::{Kind, TrainConfig, Trainer};
    use ztgym::core::policy::Policy;
    use ztgym::harden::adapter::HardenAdapter;
    use ztgym::harden::{Options, Stage};

    #[test]
    fn each_bundled_policy_loads_for_its_scenario() {
        use crate::learning::bundled::bundled_for;
        use crate::learning::policy_store::LoadedPolicyOf;
        for scenario in ["seed001", "uc01-network-exposure"] {
            let files = bundled_for(&BUNDLED, scenario);
            assert_eq!(files, [format!("{scenario}-q.json")]);
            let (_, text) = BUNDLED.iter().find(|(f, _)| *f == files[0]).unwrap();
            let loaded = LoadedPolicyOf::<HardenAdapter>::from_file(files[0], text, scenario);
            assert!(loaded.is_ok(), "{scenario}: {:?}", loaded.err());
        }
        // What plays `agent=policy` with them is the e2e's (harden-training.test.mjs): the
        // tab's policies live in the browser's storage.
    }

    fn trained(scenario: &str, episodes: u64) -> Policy<HardenAdapter> {
        let mut config = TrainConfig::new(Kind::QLagrangian);
        config.episodes = episodes;
        config.seed = 2;
        config.level = Some(Stage::Sandbox);
        let mut t =
            Trainer::<HardenAdapter>::new(Scenario::load(scenario).unwrap(), config).unwrap();
        while !t.is_finished() {
            t.run(50);
        }
        Policy::from_trainer(&t)
    }

    fn settings(seed: u64, recommend: bool) -> HardenSettings {
        HardenSettings {
            scenario: "seed001",
            seed,
            stage: Stage::Prod,
            recommend,
            agent: Decider::Policy,
            speed: Speed::Normal,
            hostile: false,
            rego: None,
        }
    }

    /// The policy as the tab's agent plays as `ztgym run --env harden --scenario seed001
    /// --policy FILE --seed S --level prod` does (`play_episode` with a `PolicyAgent` read from
    /// the file); in recommend-only mode, behind the scripted reviewer.
    #[test]
    fn the_policy_agent_plays_as_the_cli_plays_the_file() {
        let file = trained("seed001", 100).to_json();
        let read = Policy::<HardenAdapter>::parse("policy.json", &file, Some("seed001")).unwrap();
        let scenario = Scenario::load("seed001").unwrap();
        for (seed, recommend) in [(0, false), (7, false), (3, true)] {
            let agent: Box<dyn Agent<HardenEnv>> =
                Box::new(PolicyAgent::new(&read, &scenario).unwrap());
            let mut s =
                Session::with_policy_agent(settings(seed, recommend), Some(Ok(agent))).unwrap();
            assert!(s.automated());
            s.play(10_000, false);
            assert!(s.done());
            let mut env = HardenEnv::new(scenario.clone()).unwrap();
            let mut cli: Box<dyn Agent<HardenEnv>> =
                Box::new(PolicyAgent::new(&read, &scenario).unwrap());
            if recommend {
                cli = Box::new(ztgym::harden::agents::Reviewer::new(
                    cli,
                    ztgym::harden::agents::REVIEWER_MAX_BREAKAGE,
                ));
            }
            let options = Options {
                environment: Stage::Prod,
                recommend_only: recommend,
            };
            let expected =
                ztgym::core::eval::trajectory_jsonl(&mut env, cli.as_mut(), seed, &options);
            assert_eq!(s.trajectory_jsonl(), expected, "seed {seed}");
        }
    }

    #[test]
    fn agent_policy_without_a_policy_is_refused_by_name() {
        let e = Session::with_policy_agent(settings(0, false), None)
            .err()
            .unwrap();
        assert!(e.contains("no policy for scenario seed001"), "{e}");
        // A policy of another scenario of the same action set is refused by PolicyAgent.
        let other = trained("uc01-network-exposure", 1);
        let e = PolicyAgent::new(&other, &Scenario::load("seed001").unwrap())
            .err()
            .unwrap();
        assert!(e.contains("uc01-network-exposure"), "{e}");
    }

    #[test]
    fn every_action_set_has_its_own_storage_key() {
        let keys = [
            Seed::STORE,
            Pods::STORE,
            Waf::STORE,
            Pipelines::STORE,
            Tenants::STORE,
            Controls::STORE,
        ];
        for (i, k) in keys.iter().enumerate() {
            assert!(!keys[i + 1..].contains(k), "{k}");
        }
        for name in scenario_names() {
            let set = for_scenario(&Scenario::load(name).unwrap());
            with_set!(set, K => assert_eq!(K::SET, set));
        }
    }
}
