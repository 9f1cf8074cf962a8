//! The hardening environment keeps the core's environment contract: one step is one cycle.

use super::HardenEnv;
use crate::types::{
    Action, Cycle, Execution, Info, Observation, Options, Reward, State, StepError,
};
use serde_json::{Map, Value};
use ztgym_core::{Environment, Rng, Step, Totals};

impl Environment for HardenEnv {
    type Action = Action;
    type Observation = Observation;
    type Info = Info;
    type Options = Options;
    type State = State;
    type Error = StepError;

    fn reset(&mut self, seed: u64, options: Options) -> (Observation, Info) {
        self.rng = Rng::new(seed);
        self.environment = options.environment;
        self.recommend_only = options.recommend_only;
        self.twin = self.scenario.twin.clone();
        self.telemetry = self
            .scenario
            .telemetry
            .iter()
            .map(|e| (0, e.clone()))
            .collect();
        self.cycle = 0;
        self.started = true;
        self.done = false;
        self.totals = Totals::default();
        let obs = self.observe();
        let info = self.info(&obs, None);
        (obs, info)
    }

    fn step(&mut self, action: &Action) -> Result<Step<Observation, Info>, StepError> {
        if !self.started {
            return Err(StepError::NotStarted);
        }
        if self.done {
            return Err(StepError::Finished);
        }
        let (telemetry, features) = self.sense();
        let before = self.twin.risk();
        let (gate_input, decision) = self.judge(action, before);
        let mut next = self.twin.clone();
        let (simulation, _) = next.apply(
            &self.index,
            &self.twin.total(),
            &action.id,
            &action.params,
            self.budget(),
            &self.scenario.flows,
            self.scenario.breakage.get(&action.id).copied(),
        );
        let run = decision.allowed
            && simulation.pass
            && (!self.recommend_only || action.accepted == Some(true));
        let mut cost = 0.0;
        let mut breakage = None;
        if run {
            self.twin = next;
            // Breakage that happens: every critical flow the change breaks, for sure; else
            // the forecast's breakage risk, drawn.
            if !simulation.broken_flows.is_empty() {
                cost = simulation.broken_flows.len() as f64;
                breakage = Some(format!(
                    "{} broke critical flow(s): {}",
                    action.id,
                    simulation.broken_flows.join(", ")
                ));
            } else if self.rng.chance(simulation.breakage_risk) {
                cost = 1.0;
                breakage = Some(format!(
                    "{} broke a dependency: an outage or a critical flow denied",
                    action.id
                ));
            }
        }
        let after = self.twin.risk();
        let risk_reduction = (before - after).max(0.0);
        let policy_penalty = if decision.allowed { 0.0 } else { 1.0 };
        let exec_penalty = if run { 0.0 } else { 1.0 };
        let reward =
            risk_reduction - 2.0 * simulation.breakage_risk - policy_penalty - 0.5 * exec_penalty;
        let reward = (reward * 1e9).round() / 1e9;
        let execution = Execution {
            executed: run,
            status: if run { "applied" } else { "skipped" },
            applied_changes: if run {
                simulation.applied_changes.clone()
            } else {
                Map::new()
            },
            breakage,
        };
        let drift = self.drift();
        let cycle = Box::new(Cycle {
            cycle: self.cycle,
            environment: self.environment,
            telemetry,
            features,
            risk_score: before,
            proposal: action.clone(),
            gate_input,
            decision,
            simulation: simulation.clone(),
            execution,
            after_risk: after,
            reward: Reward {
                reward,
                risk_reduction,
                breakage_risk: simulation.breakage_risk,
                policy_penalty,
                exec_penalty,
            },
            drift,
        });
        self.cycle += 1;
        self.totals.steps += 1;
        self.totals.episode_return += reward;
        self.totals.episode_cost += cost;
        let truncated = self.cycle >= self.scenario.max_cycles;
        self.done = truncated;
        let obs = self.observe();
        if truncated {
            self.totals.success = obs.risk_score <= self.scenario.target_risk;
        }
        let info = self.info(&obs, Some(cycle));
        Ok(Step {
            observation: obs,
            reward,
            cost,
            terminated: false,
            truncated,
            info,
        })
    }

    fn state(&self) -> State {
        State {
            scenario: self.scenario.name.clone(),
            environment: self.environment,
            cycle: self.cycle,
            twin: self.twin.clone(),
            telemetry: self.telemetry.clone(),
            totals: self.totals,
        }
    }

    fn totals(&self) -> Totals {
        self.totals
    }

    fn scenario_name(&self) -> &str {
        &self.scenario.name
    }

    fn action_mask(info: &Info) -> Value {
        Value::from(info.action_mask.clone())
    }

    fn prompt(o: &Observation) -> String {
        let mut s = format!(
            "Hardening cycle {} in {}: risk {:.1}/100. Features: failed_auth_rate_5m {}, \
             anomaly_score {}, open_inbound_ports_count {}, privilege_entropy_score {:.2}, \
             public_exposure_score {:.2}.\nCandidates (send {{\"id\", \"params\"}}):\n",
            o.cycle,
            o.environment.as_str(),
            o.risk_score,
            o.features.failed_auth_rate_5m,
            o.features.anomaly_score,
            o.features.open_inbound_ports_count,
            o.features.privilege_entropy_score,
            o.features.public_exposure_score,
        );
        for c in &o.candidates {
            s.push_str(&format!(
                "- {} {}: gate {}, risk {} -> {}, breakage {}{}\n",
                c.action.id,
                Value::Object(c.action.params.clone()),
                if c.allowed { "allows" } else { "denies" },
                c.forecast.before_risk,
                c.forecast.after_risk,
                c.forecast.breakage_risk,
                if c.reasons.is_empty() {
                    String::new()
                } else {
                    format!(" ({})", c.reasons.join("; "))
                }
            ));
        }
        s
    }
}
