//! The hardening loop as an environment: one step is one cycle. Telemetry has arrived and
//! updated the twin; the agent proposes an action; the Rego gate answers with every reason; the
//! twin forecasts; the change executes only if allowed and passing; the reward is seed 001's,
//! and the cost is breakage that happened. Then drift brings the next cycle's telemetry.
//!
//! Here the environment and its episode; beside it: `judge` (the gate's input and answers),
//! `proposals` (the candidates), `telemetry` (sensing and drift), `view` (the observation and
//! info), `contract` (the core's `Environment`). The wire types are in [`crate::types`].

use crate::gate::{GateDecision, RegoGate};
use crate::index::Index;
use crate::scenario::{Event, Scenario};
use crate::twin::Twin;
use ztgym_core::{Rng, Totals};
use ztgym_rego::RegoError;

mod contract;
mod judge;
mod proposals;
mod telemetry;
mod view;

pub use crate::types::{
    best, Action, Candidate, Cycle, Execution, Features, Info, Observation, Options, Reward, Stage,
    State, StepError, MAX_PARAM_MAGNITUDE,
};

/// The most gate answers kept (then forgotten all at once), or twice the candidates of a
/// cycle if more: a large twin's candidates are then judged once, not every cycle.
const DECISIONS_KEPT: usize = 1 << 14;

/// The hardening environment.
#[derive(Clone, Debug)]
pub struct HardenEnv {
    scenario: Scenario,
    /// The scenario twin's layout (every episode's twin has it): resources by name, flows by
    /// what they name.
    index: Index,
    gate: RegoGate,
    rng: Rng,
    /// The gate's answers by input (see [`HardenEnv::judge`]).
    decisions: std::collections::HashMap<String, GateDecision>,
    /// How many answers are kept (see [`DECISIONS_KEPT`]).
    decisions_kept: usize,
    environment: Stage,
    recommend_only: bool,
    twin: Twin,
    /// Telemetry events with the cycle they arrived in.
    telemetry: Vec<(u32, Event)>,
    cycle: u32,
    started: bool,
    done: bool,
    totals: Totals,
}

impl HardenEnv {
    /// An environment on a scenario; fails if its policy has no `allow` the VM can compile.
    pub fn new(scenario: Scenario) -> Result<HardenEnv, RegoError> {
        let gate = RegoGate::new(scenario.policy.clone())?;
        Ok(HardenEnv {
            twin: scenario.twin.clone(),
            index: Index::new(&scenario.twin, &scenario.flows),
            scenario,
            gate,
            rng: Rng::new(0),
            decisions: Default::default(),
            decisions_kept: DECISIONS_KEPT,
            environment: Stage::Sandbox,
            recommend_only: false,
            telemetry: Vec::new(),
            cycle: 0,
            started: false,
            done: false,
            totals: Totals::default(),
        })
    }

    pub fn scenario(&self) -> &Scenario {
        &self.scenario
    }

    pub fn twin(&self) -> &Twin {
        &self.twin
    }

    /// The policy in force.
    pub fn policy(&self) -> &ztgym_rego::Policy {
        &self.scenario.policy
    }

    /// Replaces the gate's policy from the next decision on. A policy without an `allow` the
    /// VM can compile is refused and nothing changes. The answers kept for the old policy are
    /// forgotten; the episode (twin, telemetry, stream) goes on as it was.
    pub fn set_policy(&mut self, policy: ztgym_rego::Policy) -> Result<(), RegoError> {
        let policy = std::sync::Arc::new(policy);
        let gate = RegoGate::new(policy.clone())?;
        self.gate = gate;
        self.scenario.policy = policy;
        self.decisions.clear();
        Ok(())
    }

    /// The observation now, judged by the policy in force (after [`HardenEnv::set_policy`]),
    /// and its info without a cycle. Draws nothing: the episode's stream is untouched.
    pub fn look(&mut self) -> (Observation, Info) {
        let obs = self.observe();
        let info = self.info(&obs, None);
        (obs, info)
    }

    pub(super) fn budget(&self) -> f64 {
        self.scenario.budget(self.environment.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ztgym_core::Environment;
    use ztgym_rego::Policy;

    fn seed001_in_prod() -> (HardenEnv, Observation) {
        let mut env = HardenEnv::new(Scenario::load("seed001").unwrap()).unwrap();
        let options = Options {
            environment: Stage::Prod,
            recommend_only: false,
        };
        let (obs, _) = env.reset(3, options);
        (env, obs)
    }

    #[test]
    fn set_policy_replaces_the_gate_from_the_next_decision_on() {
        let (mut env, obs) = seed001_in_prod();
        let quarantine = obs.best_of_kind("quarantine_workload").unwrap().clone();
        assert!(!quarantine.allowed, "seed 001 denies quarantine in prod");
        assert!(!quarantine.reasons.is_empty());

        let open = Policy::load("open.rego", "package open\n\ndefault allow := true\n").unwrap();
        env.set_policy(open).unwrap();
        assert_eq!(env.policy().name(), "open.rego");
        let (again, info) = env.look();
        assert_eq!(again.cycle, obs.cycle);
        assert_eq!(again.risk_score, obs.risk_score);
        assert!(info.cycle.is_none());
        assert!(again
            .candidates
            .iter()
            .all(|c| c.allowed && c.reasons.is_empty()));
        let step = env.step(&quarantine.action).unwrap();
        let cycle = step.info.cycle.unwrap();
        assert!(cycle.decision.allowed, "{:?}", cycle.decision);
    }

    #[test]
    fn a_policy_without_allow_is_refused_and_nothing_changes() {
        let (mut env, obs) = seed001_in_prod();
        let before = env.policy().text().to_string();
        let no_allow =
            Policy::load("x.rego", "package x\n\ndeny contains \"no\" if true\n").unwrap();
        assert!(env.set_policy(no_allow).is_err());
        assert_eq!(env.policy().text(), before);
        assert_eq!(env.look().0, obs, "the same policy judges");
    }

    #[test]
    fn look_draws_nothing() {
        let (mut a, _) = seed001_in_prod();
        let (mut b, _) = seed001_in_prod();
        for _ in 0..3 {
            a.look();
        }
        let act = |e: &mut HardenEnv| {
            let (o, _) = e.look();
            let action = o.candidates[0].action.clone();
            serde_json::to_string(&e.step(&action).unwrap().observation).unwrap()
        };
        for _ in 0..5 {
            assert_eq!(act(&mut a), act(&mut b));
        }
    }
}
