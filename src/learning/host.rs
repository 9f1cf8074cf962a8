//! What the learning panels (Train, Policy) and the training worker's client need of the
//! environment on screen. An environment's page implements it on its state handle; the panels
//! then work for it as they are.

use super::adapters::PageAdapter;
use super::policy_store::{LoadedPolicyOf, TabPolicyOf};
use ztgym::core::learn::Adapter;

/// The level type of an environment's learners (the SRE gym's level, a triage task).
pub type LevelOf<H> = <<H as LearningHost>::Adapter as Adapter>::Level;

/// The environment on screen, as the learning panels see it. Implemented on a cheap `Copy`
/// handle.
pub trait LearningHost: Copy + Send + Sync + 'static {
    /// The environment's learners' adapter: what policies and training runs are of.
    type Adapter: PageAdapter;
    /// The environment's id: its policy's storage key and the training worker's messages
    /// carry it.
    const ENV: &'static str = <Self::Adapter as PageAdapter>::ENV;
    /// The example policies the page ships for the environment: file name and text. A file's
    /// name starts with its scenario's (`classic-q.json`).
    const BUNDLED: &'static [(&'static str, &'static str)];
    /// The Policy panel's note under "What it learned": how to read the table of states.
    const LEARNED_HINT: &'static str;
    /// Whether the Policy panel's table of states shows the value of every action in each
    /// (a few actions), or only the greedy one (many).
    const TABLE_VALUES: bool = false;
    /// What Train trains on, in the Train panel's words.
    const TRAINS_ON: &'static str = "the scenario and level";
    /// What the environment's cost counts, for the cost curve's title.
    const COST: &'static str = "rules broken";

    /// The tab's policy.
    fn tab_policy(&self) -> TabPolicyOf<Self::Adapter>;

    /// The scenario on screen, tracking only a change of scenario.
    fn scenario(&self) -> String;
    /// What Train trains on: the scenario on screen, and the level (`None`: the scenario's
    /// default, as the CLI trains without `--level`).
    fn training_ground(&self) -> (String, Option<LevelOf<Self>>);
    /// Makes `loaded` the tab's policy and lets it play.
    fn use_policy(&self, loaded: LoadedPolicyOf<Self::Adapter>);
    /// A policy training just handed over. By default it plays at once; an environment may
    /// first ask a person who is mid-episode.
    fn offer_trained(&self, loaded: LoadedPolicyOf<Self::Adapter>) {
        self.use_policy(loaded);
    }
}
