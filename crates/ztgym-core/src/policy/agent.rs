//! A loaded policy playing frozen: greedy, no exploration, no learning. Also what the page
//! needs to show why it acts: the value of each action now, and the states it knows.

use super::Policy;
use crate::env::{Agent, Environment};
use crate::learn::adapter::{self, allowed, labels, Adapter};
use crate::learn::{ActionSet, Model};
use serde::Serialize;

/// A policy as an [`Agent`].
pub struct PolicyAgent<A: Adapter> {
    name: String,
    model: Model,
    adapter: A,
}

/// Why a policy would act as it does on one observation.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Inspection<Action> {
    /// `(feature, value)` pairs.
    pub features: Vec<(&'static str, &'static str)>,
    /// The state index.
    pub state: usize,
    /// What the abstract actions act on now, named (for the SRE gym: `suspect`, the node to
    /// investigate next; `to_ticket`, the node a ticket would be filed on; `to_contain`, the
    /// node isolate and patch would act on).
    pub targets: Vec<(&'static str, Option<String>)>,
    /// Each abstract action's name, in the policy tables' order.
    pub actions: Vec<&'static str>,
    /// Each action's value (higher is better), in the order of `actions`.
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

impl<Action> Inspection<Action> {
    /// The target named `name`, if there is one now.
    pub fn target(&self, name: &str) -> Option<&str> {
        self.targets
            .iter()
            .find(|(n, _)| *n == name)
            .and_then(|(_, t)| t.as_deref())
    }
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
    /// Each action's value, in the policy tables' order.
    pub values: Vec<f64>,
}

type Obs<A> = <<A as Adapter>::Env as Environment>::Observation;
type Act<A> = <<A as Adapter>::Env as Environment>::Action;

impl<A: Adapter> PolicyAgent<A> {
    /// The policy, frozen, on its scenario; refuses another scenario.
    pub fn new(policy: &Policy<A>, scenario: &A::Scenario) -> Result<PolicyAgent<A>, String> {
        policy.check_scenario(scenario)?;
        Ok(PolicyAgent {
            name: policy.kind().as_str().to_string(),
            model: policy.model.clone(),
            adapter: A::new(scenario),
        })
    }

    /// Takes in an observation as [`Agent::act`] would, without choosing: replaying an
    /// episode's earlier observations this way lets [`PolicyAgent::inspect`] judge any step.
    pub fn observe(&mut self, obs: &Obs<A>) {
        self.adapter.observe(obs);
    }

    /// What the policy sees in `obs` and what it would do, without acting. Pass the
    /// observation [`Agent::act`] is about to get (or just got).
    pub fn inspect(&self, obs: &Obs<A>) -> Inspection<Act<A>> {
        let mut adapter = self.adapter.clone();
        let s = adapter.observe(obs);
        let n = adapter::actions::<A>();
        let allowed = allowed(&adapter, self.model.masked, obs);
        let chosen = self.model.greedy(A::FEATURES, s, allowed);
        Inspection {
            features: labels(A::FEATURES, s),
            state: s,
            targets: adapter.targets(),
            actions: A::ACTIONS.to_vec(),
            values: self.model.values(A::FEATURES, s),
            breaks_rule: (0..n).map(|a| adapter.breaks_rule(a, obs)).collect(),
            masked: (0..n).map(|a| !allowed.allows(a)).collect(),
            chosen,
            action: adapter.action(chosen, obs),
        }
    }
}

impl<A: Adapter> Policy<A> {
    /// The states training visited, most visited first, with the greedy action in each.
    pub fn visited_states(&self) -> Vec<StateRow> {
        let all = ActionSet::all(adapter::actions::<A>());
        let mut rows: Vec<StateRow> = (0..adapter::states::<A>())
            .filter(|&s| self.model.visits.get(s).is_some_and(|&v| v > 0))
            .map(|s| StateRow {
                state: s,
                features: labels(A::FEATURES, s),
                visits: self.model.visits[s],
                greedy: A::ACTIONS[self.model.greedy(A::FEATURES, s, all)],
                values: self.model.values(A::FEATURES, s),
            })
            .collect();
        rows.sort_by(|a, b| b.visits.cmp(&a.visits).then(a.state.cmp(&b.state)));
        rows
    }
}

impl<A: Adapter> Agent<A::Env> for PolicyAgent<A> {
    fn name(&self) -> &str {
        &self.name
    }

    fn reset(&mut self, _seed: u64) {
        self.adapter.reset();
    }

    fn act(&mut self, obs: &Obs<A>, _info: &<A::Env as Environment>::Info) -> Act<A> {
        let s = self.adapter.observe(obs);
        let allowed = allowed(&self.adapter, self.model.masked, obs);
        let a = self.model.greedy(A::FEATURES, s, allowed);
        self.adapter.action(a, obs)
    }
}
