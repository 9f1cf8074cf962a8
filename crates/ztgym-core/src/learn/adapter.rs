//! What an environment provides so the learners can play it: a discretization of its
//! observation into named features (a state index), a few abstract actions and how each
//! becomes a concrete action, and which of them would break a rule (asked of the environment's
//! gate, not re-written here).

use crate::env::Environment;
use serde::de::DeserializeOwned;
use serde::Serialize;
use std::fmt;

/// One feature's name and the labels of its values.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FeatureSpec {
    /// The feature's name in policy files.
    pub name: &'static str,
    /// The labels of its values, index by index.
    pub values: &'static [&'static str],
}

/// A named choice of an environment's episodes that training and policy files record (the SRE
/// gym's level, say).
pub trait Variant: Copy + fmt::Debug + PartialEq + Serialize + DeserializeOwned + 'static {
    /// Every value, in order.
    const ALL: &'static [Self];
    /// The name in files and on the command line.
    fn as_str(self) -> &'static str;
    /// A value by name.
    fn parse(name: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|v| v.as_str() == name)
    }
}

/// An environment as the learners see it. Call [`Adapter::observe`] with every observation of
/// an episode in turn (after [`Adapter::reset`]); the other methods read the last one.
pub trait Adapter: Clone {
    /// The environment played.
    type Env: Environment;
    /// What a policy is trained on and may only play (a scenario, a task).
    type Scenario: Clone;
    /// The variant of episodes training plays.
    type Level: Variant;
    /// The `env` field of this environment's policy files.
    const POLICY_ENV: &'static str;
    /// The features, in the order of the state encoding (first most significant).
    const FEATURES: &'static [FeatureSpec];
    /// The abstract actions' names, in the order of the policy tables' columns.
    const ACTIONS: &'static [&'static str];

    /// An adapter for a scenario.
    fn new(scenario: &Self::Scenario) -> Self;
    /// An environment on a scenario.
    fn environment(scenario: &Self::Scenario) -> Self::Env;
    /// The scenario's name, recorded in policy files.
    fn scenario_name(scenario: &Self::Scenario) -> &str;
    /// The level played when none is chosen.
    fn default_level(scenario: &Self::Scenario) -> Self::Level;
    /// The reset options that play a level (the scenario's default when `None`).
    fn options(level: Option<Self::Level>) -> <Self::Env as Environment>::Options;

    /// Starts a new episode.
    fn reset(&mut self);
    /// Takes in an observation and returns its state index, in `0..states::<Self>()`.
    fn observe(&mut self, observation: &<Self::Env as Environment>::Observation) -> usize;
    /// The concrete action for abstract action `choice` on the observation last observed.
    /// Always well-formed, so the environment accepts it.
    fn action(
        &self,
        choice: usize,
        observation: &<Self::Env as Environment>::Observation,
    ) -> <Self::Env as Environment>::Action;
    /// Whether abstract action `choice` would break a rule now, as the environment's gate
    /// would judge it.
    fn breaks_rule(
        &self,
        choice: usize,
        observation: &<Self::Env as Environment>::Observation,
    ) -> bool;
    /// What the abstract actions act on now, named (for inspection).
    fn targets(&self) -> Vec<(&'static str, Option<String>)>;
}

/// The number of states: the product of the features' value counts.
pub fn states<A: Adapter>() -> usize {
    A::FEATURES.iter().map(|f| f.values.len()).product()
}

/// The number of abstract actions.
pub fn actions<A: Adapter>() -> usize {
    A::ACTIONS.len()
}

/// The length of the one-hot feature vector: every feature value, plus a constant 1 (bias).
pub fn vector_len<A: Adapter>() -> usize {
    A::FEATURES.iter().map(|f| f.values.len()).sum::<usize>() + 1
}

/// Each feature's value index in a state (the inverse of the mixed-radix encoding).
pub fn values_of(features: &[FeatureSpec], mut state: usize) -> Vec<usize> {
    let mut v = vec![0; features.len()];
    for (k, spec) in features.iter().enumerate().rev() {
        let n = spec.values.len();
        v[k] = state % n;
        state /= n;
    }
    v
}

/// The state index of feature values (mixed radix, first feature most significant).
pub fn state_of(features: &[FeatureSpec], values: &[usize]) -> usize {
    values
        .iter()
        .zip(features)
        .fold(0, |acc, (&v, spec)| acc * spec.values.len() + v)
}

/// The one-hot vector of a state: a 1 for each feature's value, then a constant 1.
pub fn vector(features: &[FeatureSpec], state: usize) -> Vec<f64> {
    let len = features.iter().map(|f| f.values.len()).sum::<usize>() + 1;
    let mut x = vec![0.0; len];
    let mut offset = 0;
    for (v, spec) in values_of(features, state).iter().zip(features) {
        x[offset + v] = 1.0;
        offset += spec.values.len();
    }
    x[len - 1] = 1.0;
    x
}

/// `(feature, value)` label pairs of a state.
pub fn labels(features: &[FeatureSpec], state: usize) -> Vec<(&'static str, &'static str)> {
    values_of(features, state)
        .iter()
        .zip(features)
        .map(|(&v, spec)| (spec.name, spec.values[v]))
        .collect()
}

/// The abstract actions that may be chosen: a set of indices below 64.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ActionSet(u64);

impl ActionSet {
    /// The first `n` actions.
    pub fn all(n: usize) -> ActionSet {
        debug_assert!(n <= 64);
        ActionSet(if n >= 64 { u64::MAX } else { (1 << n) - 1 })
    }

    /// Whether action `a` is in the set.
    pub fn allows(self, a: usize) -> bool {
        a < 64 && self.0 & (1 << a) != 0
    }

    /// Removes action `a`.
    pub fn remove(&mut self, a: usize) {
        if a < 64 {
            self.0 &= !(1 << a);
        }
    }

    /// The actions in the set, in increasing order.
    pub fn iter(self) -> impl Iterator<Item = usize> {
        (0..64).filter(move |&a| self.allows(a))
    }
}

/// Which abstract actions may be chosen now: all of them, or with `masked` only those that
/// break no rule.
pub fn allowed<A: Adapter>(
    adapter: &A,
    masked: bool,
    observation: &<A::Env as Environment>::Observation,
) -> ActionSet {
    let mut set = ActionSet::all(actions::<A>());
    if masked {
        for a in 0..actions::<A>() {
            if adapter.breaks_rule(a, observation) {
                set.remove(a);
            }
        }
    }
    set
}

#[cfg(test)]
mod tests {
    use super::*;

    const SPECS: [FeatureSpec; 2] = [
        FeatureSpec {
            name: "a",
            values: &["no", "yes"],
        },
        FeatureSpec {
            name: "b",
            values: &["x", "y", "z"],
        },
    ];

    #[test]
    fn states_round_trip_and_vectors_are_one_hot_with_a_bias() {
        for s in 0..6 {
            assert_eq!(state_of(&SPECS, &values_of(&SPECS, s)), s);
        }
        assert_eq!(values_of(&SPECS, 4), [1, 1]);
        assert_eq!(vector(&SPECS, 4), [0.0, 1.0, 0.0, 1.0, 0.0, 1.0]);
        assert_eq!(labels(&SPECS, 2), [("a", "no"), ("b", "z")]);
    }

    #[test]
    fn action_sets() {
        let mut s = ActionSet::all(7);
        s.remove(2);
        assert_eq!(s.iter().collect::<Vec<_>>(), [0, 1, 3, 4, 5, 6]);
        assert!(!s.allows(7));
    }
}
