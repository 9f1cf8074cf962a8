//! How the training worker trains an environment, and one run of any of them behind one
//! interface: the core's generic [`Trainer`] over the environment's adapter. A worker message
//! names the environment; its settings are read as that environment's types.

use crate::learning::adapters::PageAdapter;
use ztgym::core::learn::{Adapter, ChunkReport, TrainConfig, Trainer, TrainingMetrics};
use ztgym::core::policy::Policy;

/// A training run of some environment, as the worker's loop drives it.
pub trait Learner {
    /// Trains up to `episodes` more and reports on them ([`Trainer::run`]).
    fn run(&mut self, episodes: u64) -> ChunkReport;
    fn is_finished(&self) -> bool;
    /// Raises the number of episodes to train in all.
    fn extend(&mut self, more: u64);
    fn episodes_done(&self) -> u64;
    fn episodes_total(&self) -> u64;
    fn metrics(&self) -> TrainingMetrics;
    /// The policy so far, as the policy file the CLI writes.
    fn policy_file(&self) -> String;
}

impl<A: Adapter> Learner for Trainer<A> {
    fn run(&mut self, episodes: u64) -> ChunkReport {
        Trainer::run(self, episodes)
    }

    fn is_finished(&self) -> bool {
        Trainer::is_finished(self)
    }

    fn extend(&mut self, more: u64) {
        Trainer::extend(self, more);
    }

    fn episodes_done(&self) -> u64 {
        self.state().episodes_done
    }

    fn episodes_total(&self) -> u64 {
        self.config().episodes
    }

    fn metrics(&self) -> TrainingMetrics {
        Trainer::metrics(self)
    }

    fn policy_file(&self) -> String {
        Policy::from_trainer(self).to_json()
    }
}

/// Starts a run on the built-in scenario named, with the settings as the page sent them.
pub type Start = fn(scenario: &str, config: &serde_json::Value) -> Result<Box<dyn Learner>, String>;

/// How the worker trains one environment: its id (the one worker messages carry) and how a run
/// of it starts. The environments' folders say theirs; `src/envs/mod.rs` lists them, and the
/// worker's entry point hands that list to the worker.
#[derive(Clone, Copy)]
pub struct Trains {
    pub env: &'static str,
    pub start: Start,
}

/// A new run of `env` on its built-in scenario `scenario`, with `config` as the page sent it
/// (its level read as the environment's). Every problem is named: an environment the worker
/// does not train, a scenario it does not have, settings that do not read or are out of range.
pub fn start(
    trains: &[Trains],
    env: &str,
    scenario: &str,
    config: &serde_json::Value,
) -> Result<Box<dyn Learner>, String> {
    match trains.iter().find(|t| t.env == env) {
        Some(t) => (t.start)(scenario, config),
        None => Err(format!(
            "this worker trains the {} environments, not {env:?}",
            trains
                .iter()
                .map(|t| format!("{:?}", t.env))
                .collect::<Vec<_>>()
                .join(", ")
        )),
    }
}

/// A new run of the environment of adapter `A` on its built-in scenario `scenario`: what an
/// environment's [`Trains::start`] is, or calls once it has picked its adapter.
pub fn start_on<A: PageAdapter>(
    scenario: &str,
    config: &serde_json::Value,
) -> Result<Box<dyn Learner>, String> {
    let scenario = A::builtin(scenario).map_err(|e| format!("{} environment: {e}", A::ENV))?;
    let config: TrainConfig<A::Level> = serde_json::from_value(config.clone()).map_err(|e| {
        format!(
            "{} environment: the training settings do not read: {e}",
            A::ENV
        )
    })?;
    Ok(Box::new(Trainer::<A>::new(scenario, config)?))
}
