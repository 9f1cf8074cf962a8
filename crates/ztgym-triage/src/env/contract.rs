//! The triage environment keeps the core's environment contract.

use crate::env::{Action, Env, Info, Observation, ResetOptions, State, Step, StepError};
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
        let (episode_return, episode_cost, steps, success) = self.totals_parts();
        Totals {
            episode_return,
            episode_cost,
            steps,
            success,
        }
    }

    fn scenario_name(&self) -> &str {
        self.task().as_str()
    }

    fn action_mask(info: &Info) -> serde_json::Value {
        serde_json::to_value(info.action_mask).unwrap_or_default()
    }

    fn prompt(observation: &Observation) -> String {
        observation.to_prompt()
    }
}
