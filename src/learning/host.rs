//! What the learning panels (Train, Policy) and the training worker's client need of the
//! environment on screen. An environment's page implements it on its state handle; the panels
//! then work for it as they are.

use super::policy_store::LoadedPolicy;
use ztgym::Level;

/// The environment on screen, as the learning panels see it. Implemented on a cheap `Copy`
/// handle.
pub trait LearningHost: Copy + Send + Sync + 'static {
    /// The environment's id: its policy's storage key and the training worker's messages
    /// carry it.
    const ENV: &'static str;
    /// The example policies the page ships for the environment: file name and text. A file's
    /// name starts with its scenario's (`classic-q.json`).
    const BUNDLED: &'static [(&'static str, &'static str)];

    /// The scenario on screen, tracking only a change of scenario.
    fn scenario(&self) -> String;
    /// What Train trains on: the scenario and level on screen.
    fn training_ground(&self) -> (String, Level);
    /// Makes `loaded` the tab's policy and lets it play.
    fn use_policy(&self, loaded: LoadedPolicy);
    /// A policy training just handed over. By default it plays at once; an environment may
    /// first ask a person who is mid-episode.
    fn offer_trained(&self, loaded: LoadedPolicy) {
        self.use_policy(loaded);
    }
}
