//! The contract every environment keeps, and the agents that act in one.

use serde::de::DeserializeOwned;
use serde::Serialize;
use std::fmt;

/// The result of one step: Gymnasium's five values plus Safety-Gymnasium's cost.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Step<O, I> {
    pub observation: O,
    pub reward: f64,
    /// What the step cost in broken rules: a channel apart from the reward.
    pub cost: f64,
    /// The episode ended by the rules (success, violation, outage).
    pub terminated: bool,
    /// The episode ran out of steps.
    pub truncated: bool,
    pub info: I,
}

impl<O, I> Step<O, I> {
    /// Either end.
    pub fn done(&self) -> bool {
        self.terminated || self.truncated
    }
}

/// The figures of the episode so far.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
pub struct Totals {
    pub episode_return: f64,
    pub episode_cost: f64,
    pub steps: u32,
    /// The episode ended in the environment's idea of success.
    pub success: bool,
}

/// A seeded, deterministic constrained MDP. The same seed, options and actions give the same
/// trajectory on every platform. Each value has a JSON form, so any environment can be driven
/// without knowing its types (see the `ztgym` facade's registry).
pub trait Environment: Clone {
    /// What an agent sends.
    type Action: Clone + fmt::Debug + Serialize + DeserializeOwned;
    /// What an agent sees.
    type Observation: Clone + fmt::Debug + Serialize;
    /// What comes beside the observation: an action mask, the events of the step, totals.
    type Info: Clone + fmt::Debug + Serialize;
    /// How `reset` sets up an episode.
    type Options: Clone + fmt::Debug + Default + Serialize + DeserializeOwned;
    /// The hidden state, for debugging and grading.
    type State: Serialize;
    /// Why a step was refused (the environment is unchanged after one).
    type Error: fmt::Display;

    /// Starts an episode.
    fn reset(&mut self, seed: u64, options: Self::Options) -> (Self::Observation, Self::Info);
    /// Advances one step.
    fn step(
        &mut self,
        action: &Self::Action,
    ) -> Result<Step<Self::Observation, Self::Info>, Self::Error>;
    /// The hidden state.
    fn state(&self) -> Self::State;
    /// The episode's figures so far.
    fn totals(&self) -> Totals;
    /// The name of the scenario (or task) played.
    fn scenario_name(&self) -> &str;
    /// The well-formed actions now, as JSON (what `info.action_mask` holds).
    fn action_mask(info: &Self::Info) -> serde_json::Value;
    /// The observation as text for a language-model agent.
    fn prompt(observation: &Self::Observation) -> String;
}

/// Something that picks actions in an environment.
pub trait Agent<E: Environment> {
    /// The agent's name, as on the command line.
    fn name(&self) -> &str;
    /// Called at the start of each episode with the episode's seed.
    fn reset(&mut self, seed: u64);
    /// The next action.
    fn act(&mut self, observation: &E::Observation, info: &E::Info) -> E::Action;
}
