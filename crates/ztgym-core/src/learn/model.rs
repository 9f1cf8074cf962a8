//! What a learner has learned: the tables or weights that score the abstract actions in a
//! state, shared by training and by frozen play.

use super::adapter::{vector, ActionSet, FeatureSpec};
use super::Kind;
// The greedy choice, where the learners and the policy files name it.
pub use super::greedy::{argmax, argmax_by};
use serde::{Deserialize, Serialize};

/// The learned parameters of one kind of learner.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Params {
    /// Tabular Q-learning: `q[state][action]`, the discounted return.
    Q {
        /// `q[state][action]`.
        q: Vec<Vec<f64>>,
    },
    /// Lagrangian Q-learning: a reward table, a cost table and the multiplier; actions are
    /// scored `q_reward - lambda * q_cost`.
    QLagrangian {
        /// `q_reward[state][action]`: discounted return.
        q_reward: Vec<Vec<f64>>,
        /// `q_cost[state][action]`: expected cost (rules broken) to the end of the episode.
        q_cost: Vec<Vec<f64>>,
        /// The Lagrange multiplier.
        lambda: f64,
    },
    /// Seed 001's contextual bandit: one linear weight vector per action over the one-hot
    /// feature vector; an action scores `w . x`.
    Bandit {
        /// `weights[action]`, over the one-hot feature vector.
        weights: Vec<Vec<f64>>,
    },
}

/// A learned policy's parameters and how it chooses.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Model {
    /// The tables or weights.
    pub params: Params,
    /// Rule-breaking actions are removed from the choice (off by default: the constraint is
    /// learned, not given).
    pub masked: bool,
    /// How often training visited each state (for inspection).
    pub visits: Vec<u64>,
}

/// The sizes of a model: states, abstract actions, and the one-hot vector's length.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Shape {
    pub states: usize,
    pub actions: usize,
    pub vector_len: usize,
}

impl Model {
    /// A model whose every value is zero (an untrained policy).
    pub fn zeros(kind: Kind, masked: bool, lambda: f64, shape: Shape) -> Model {
        let table = || vec![vec![0.0; shape.actions]; shape.states];
        let params = match kind {
            Kind::Q => Params::Q { q: table() },
            Kind::QLagrangian => Params::QLagrangian {
                q_reward: table(),
                q_cost: table(),
                lambda,
            },
            Kind::Bandit => Params::Bandit {
                weights: vec![vec![0.0; shape.vector_len]; shape.actions],
            },
        };
        Model {
            params,
            masked,
            visits: vec![0; shape.states],
        }
    }

    /// The kind of learner that produced it.
    pub fn kind(&self) -> Kind {
        match self.params {
            Params::Q { .. } => Kind::Q,
            Params::QLagrangian { .. } => Kind::QLagrangian,
            Params::Bandit { .. } => Kind::Bandit,
        }
    }

    /// Whether the tables have `shape`'s sizes.
    pub fn has_shape(&self, shape: Shape) -> bool {
        let table = |t: &[Vec<f64>], rows: usize, cols: usize| {
            t.len() == rows && t.iter().all(|r| r.len() == cols)
        };
        let params = match &self.params {
            Params::Q { q } => table(q, shape.states, shape.actions),
            Params::QLagrangian {
                q_reward, q_cost, ..
            } => {
                table(q_reward, shape.states, shape.actions)
                    && table(q_cost, shape.states, shape.actions)
            }
            Params::Bandit { weights } => table(weights, shape.actions, shape.vector_len),
        };
        params && self.visits.len() == shape.states
    }

    /// The score of each abstract action in `state` (whose features are `features`): higher is
    /// better.
    pub fn values(&self, features: &[FeatureSpec], state: usize) -> Vec<f64> {
        match &self.params {
            Params::Q { q } => q[state].clone(),
            Params::QLagrangian {
                q_reward,
                q_cost,
                lambda,
            } => super::lagrangian::combine(&q_reward[state], &q_cost[state], *lambda),
            Params::Bandit { weights } => {
                let x = vector(features, state);
                weights
                    .iter()
                    .map(|w| w.iter().zip(&x).map(|(w, x)| w * x).sum())
                    .collect()
            }
        }
    }

    /// The best allowed action by [`Model::values`]; ties go to the first action, so an
    /// untrained model always takes the first.
    pub fn greedy(&self, features: &[FeatureSpec], state: usize, allowed: ActionSet) -> usize {
        match &self.params {
            // The tables are read in place: no allocation per step.
            Params::Q { q } => argmax(&q[state], allowed),
            Params::QLagrangian {
                q_reward,
                q_cost,
                lambda,
            } => {
                let (r, c) = (&q_reward[state], &q_cost[state]);
                argmax_by(r.len(), allowed, |a| r[a] - lambda * c[a])
            }
            Params::Bandit { .. } => argmax(&self.values(features, state), allowed),
        }
    }
}
