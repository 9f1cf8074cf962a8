//! The hardening tab's Train and Policy panels' host (the tab's policies themselves are in
//! `policies.rs`).
//!
//! A hardening scenario is played by the adapter of its action set (seed 001's seven actions,
//! or those and a use case's own: `ztgym::harden::adapter::for_scenario`, as the CLI picks it),
//! so the tab keeps one policy per action set, each under its own storage key, and the
//! learning panels are those of the action set of the scenario on screen
//! ([`HardenLearning`]).

use super::desk::HardenDesk;
use super::policies::HardenSet;
use super::settings::{scenario_names, Decider};
use crate::learning::host::LearningHost;
use crate::learning::policy_store::{now_acts, LoadedPolicyOf, TabPolicyOf};
use std::marker::PhantomData;
use ztgym::harden::adapter::HardenAdapterOf;
use ztgym::harden::Stage;

/// The learning panels' host for the scenarios of action set `K`: the desk, with the tab's
/// policy of that set.
pub struct HardenLearning<K: HardenSet> {
    desk: HardenDesk,
    set: PhantomData<fn() -> K>,
}

impl<K: HardenSet> HardenLearning<K> {
    pub fn new(desk: HardenDesk) -> HardenLearning<K> {
        HardenLearning {
            desk,
            set: PhantomData,
        }
    }
}

impl<K: HardenSet> Clone for HardenLearning<K> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<K: HardenSet> Copy for HardenLearning<K> {}

impl<K: HardenSet> LearningHost for HardenLearning<K> {
    type Adapter = HardenAdapterOf<K>;
    const BUNDLED: &'static [(&'static str, &'static str)] = &super::policies::BUNDLED;
    const LEARNED_HINT: &'static str = "The twin states training met, most met first: what the policy reads in them (the risk band, a public exposure, a broad permission, the scenario's own gap, an attack under way) and the change it proposes there. In a good policy, a public exposure is closed first and a change the gate denies is never proposed.";
    const TRAINS_ON: &'static str = "the scenario and stage";
    const COST: &'static str = "breakage";

    fn tab_policy(&self) -> TabPolicyOf<HardenAdapterOf<K>> {
        K::tab(&self.desk.policies)
    }

    fn scenario(&self) -> String {
        self.desk.read(|s| s.settings().scenario.to_string())
    }

    /// The scenario and stage on screen, as `ztgym train --env harden --level STAGE` does.
    fn training_ground(&self) -> (String, Option<Stage>) {
        let s = self.desk.settings();
        (s.scenario.to_string(), Some(s.stage))
    }

    /// Makes `loaded` the tab's policy of its action set, keeps it for the next visit, and
    /// lets it play: the run switches to the policy's scenario if needed, with the Policy
    /// decider, same seed and stage.
    fn use_policy(&self, loaded: LoadedPolicyOf<HardenAdapterOf<K>>) {
        let summary = loaded.summary();
        let scenario = scenario_names()
            .into_iter()
            .find(|n| *n == loaded.policy.scenario);
        let saved = K::tab(&self.desk.policies).keep(loaded);
        let mut settings = self.desk.settings();
        if let Some(name) = scenario {
            settings.scenario = name;
        }
        settings.agent = Decider::Policy;
        self.desk.player.pause(self.desk.state);
        self.desk.start(settings, true);
        self.desk
            .notices
            .info(now_acts(&summary, "proposes", saved));
    }
}
