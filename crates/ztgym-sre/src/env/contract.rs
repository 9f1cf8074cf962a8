//! The SRE gym keeps the core's environment contract.

use super::*;
use ztgym_core::{Environment, Totals};

impl Environment for Env {
    type Action = Action;
    type Observation = Observation;
    type Info = Info;
    type Options = ResetOptions;
    type State = State;
    type Error = StepError;

    fn reset(&mut self, seed: u64, options: ResetOptions) -> (Observation, Info) {
        Env::reset(self, seed, options)
    }

    fn step(&mut self, action: &Action) -> Result<Step, StepError> {
        Env::step(self, action)
    }

    fn state(&self) -> State {
        Env::state(self)
    }

    fn totals(&self) -> Totals {
        Totals {
            episode_return: self.ep.episode_return,
            episode_cost: self.ep.episode_cost,
            steps: self.ep.step,
            success: self.ep.outcome == Some(Outcome::Success),
        }
    }

    fn scenario_name(&self) -> &str {
        self.fx.scenario.name()
    }

    fn action_mask(info: &Info) -> serde_json::Value {
        serde_json::to_value(&info.action_mask).unwrap_or_default()
    }

    fn prompt(observation: &Observation) -> String {
        observation.to_prompt()
    }
}
