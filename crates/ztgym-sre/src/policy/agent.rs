//! A loaded policy playing frozen: greedy, no exploration, no learning. Also what the page
//! needs to show why it acts: the value of each action now, and the states it knows.

use super::Policy;
use crate::action::Action;
use crate::agents::Agent;
use crate::features::{Features, FEATURES, STATES};
use crate::learn::executor::{AbstractAction, Executor, ACTIONS};
use crate::learn::Model;
use crate::observation::{Info, Observation};
use crate::scenario::Scenario;
use serde::Serialize;

/// A policy as an [`Agent`].
pub struct PolicyAgent {
    name: String,
    model: Model,
    executor: Executor,
}

/// Why a policy would act as it does on one observation.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Inspection {
    /// `(feature, value)` pairs.
    pub features: Vec<(&'static str, &'static str)>,
    /// The state index.
    pub state: usize,
    /// The node to investigate next, the node a ticket would be filed on, and the node
    /// isolate and patch would act on.
    pub suspect: Option<String>,
    /// See `suspect`.
    pub to_ticket: Option<String>,
    /// See `suspect`.
    pub to_contain: Option<String>,
    /// Each abstract action's name and value (higher is better), in `AbstractAction::ALL` order.
    pub actions: Vec<&'static str>,
    /// Each action's value, in the order of `actions`.
    pub values: Vec<f64>,
    /// Which actions would break a zero-trust rule now.
    pub breaks_rule: Vec<bool>,
    /// Which actions the policy may not choose (the rule-breaking ones if it is masked).
    pub masked: Vec<bool>,
    /// The index of the action it chooses.
    pub chosen: usize,
    /// The concrete action that would be sent.
    pub action: Action,
}

/// One state of the policy's table, for a "what it learned" view.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct StateRow {
    /// The state index and its features.
    pub state: usize,
    /// `(feature, value)` pairs.
    pub features: Vec<(&'static str, &'static str)>,
    /// Training visits.
    pub visits: u64,
    /// The greedy action (with no action masked).
    pub greedy: &'static str,
    /// Each action's value, in `AbstractAction::ALL` order.
    pub values: Vec<f64>,
}

fn labels(f: &Features) -> Vec<(&'static str, &'static str)> {
    f.values()
        .iter()
        .zip(FEATURES)
        .map(|(&v, spec)| (spec.name, spec.values[v]))
        .collect()
}

impl PolicyAgent {
    /// The policy, frozen, on its scenario; refuses another scenario.
    pub fn new(policy: &Policy, scenario: &Scenario) -> Result<PolicyAgent, String> {
        policy.check_scenario(scenario)?;
        Ok(PolicyAgent {
            name: policy.kind().as_str().to_string(),
            model: policy.model.clone(),
            executor: Executor::new(scenario),
        })
    }

    /// Takes in an observation as [`Agent::act`] would, without choosing: replaying an
    /// episode's earlier observations this way lets [`PolicyAgent::inspect`] judge any step.
    pub fn observe(&mut self, obs: &Observation) {
        self.executor.observe(obs);
    }

    /// What the policy sees in `obs` and what it would do, without acting. Pass the
    /// observation [`Agent::act`] is about to get (or just got).
    pub fn inspect(&self, obs: &Observation) -> Inspection {
        let mut executor = self.executor.clone();
        let f = executor.observe(obs);
        let values = self.model.values(&f);
        let t = *executor.targets();
        let breaks: Vec<bool> = AbstractAction::ALL
            .iter()
            .map(|a| a.breaks_rule(&executor, obs))
            .collect();
        let allowed = executor.allowed(self.model.masked, obs);
        let chosen = self.model.greedy(&f, &allowed);
        Inspection {
            features: labels(&f),
            state: f.state(),
            suspect: t.suspect.map(|i| executor.name(i).to_string()),
            to_ticket: t.to_ticket().map(|i| executor.name(i).to_string()),
            to_contain: t.to_contain().map(|i| executor.name(i).to_string()),
            actions: AbstractAction::ALL.iter().map(|a| a.as_str()).collect(),
            values: values.to_vec(),
            breaks_rule: breaks,
            masked: allowed.iter().map(|ok| !ok).collect(),
            chosen,
            action: executor.action(AbstractAction::ALL[chosen], obs),
        }
    }
}

impl Policy {
    /// The states training visited, most visited first, with the greedy action in each.
    pub fn visited_states(&self) -> Vec<StateRow> {
        let mut rows: Vec<StateRow> = (0..STATES)
            .filter(|&s| self.model.visits.get(s).is_some_and(|&v| v > 0))
            .map(|s| {
                let f = Features::from_state(s);
                let values = self.model.values(&f);
                StateRow {
                    state: s,
                    features: labels(&f),
                    visits: self.model.visits[s],
                    greedy: AbstractAction::ALL[self.model.greedy(&f, &[true; ACTIONS])].as_str(),
                    values: values.to_vec(),
                }
            })
            .collect();
        rows.sort_by(|a, b| b.visits.cmp(&a.visits).then(a.state.cmp(&b.state)));
        rows
    }
}

impl Agent for PolicyAgent {
    fn name(&self) -> &str {
        &self.name
    }

    fn reset(&mut self, _seed: u64) {
        self.executor.reset();
    }

    fn act(&mut self, obs: &Observation, _info: &Info) -> Action {
        let f = self.executor.observe(obs);
        let allowed = self.executor.allowed(self.model.masked, obs);
        let a = self.model.greedy(&f, &allowed);
        self.executor.action(AbstractAction::ALL[a], obs)
    }
}
