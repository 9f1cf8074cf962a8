//! Which environments the training worker trains, and one run of any of them behind one
//! interface: the core's generic [`Trainer`] over the environment's adapter. A worker message
//! names the environment; its settings are read here as that environment's types.

use crate::learning::adapters::{harden_builtin, with_harden_adapter, PageAdapter};
use ztgym::core::learn::{Adapter, ChunkReport, TrainConfig, Trainer, TrainingMetrics};
use ztgym::core::policy::Policy;
use ztgym::harden::adapter::for_scenario;

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

/// The environments the worker trains, by id.
pub const ENVS: [&str; 3] = [
    crate::envs::sre::ENV,
    crate::envs::triage::ENV,
    crate::envs::harden::ENV,
];

/// A new run of `env` on its built-in scenario `scenario`, with `config` as the page sent it
/// (its level read as the environment's). Every problem is named: an environment the worker
/// does not train, a scenario it does not have, settings that do not read or are out of range.
pub fn start(
    env: &str,
    scenario: &str,
    config: &serde_json::Value,
) -> Result<Box<dyn Learner>, String> {
    match env {
        e if e == crate::envs::sre::ENV => start_on::<ztgym::learn::Executor>(scenario, config),
        e if e == crate::envs::triage::ENV => start_on::<ztgym::triage::Triage>(scenario, config),
        // The adapter of the scenario's action set, as `ztgym train --env harden` picks it.
        e if e == crate::envs::harden::ENV => {
            let set = harden_builtin(scenario)
                .map(|s| for_scenario(&s))
                .map_err(|e| format!("{} environment: {e}", crate::envs::harden::ENV))?;
            with_harden_adapter!(set, A => start_on::<A>(scenario, config))
        }
        other => Err(format!(
            "this worker trains the {} environments, not {other:?}",
            ENVS.map(|e| format!("{e:?}")).join(", ")
        )),
    }
}

fn start_on<A: PageAdapter>(
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
