//! What a learner has learned: the tables or weights that score the abstract actions in a
//! state, shared by training and by frozen play.

use super::executor::ACTIONS;
use super::lagrangian::combine;
use super::Kind;
use crate::features::{Features, STATES, VECTOR_LEN};
use serde::{Deserialize, Serialize};

/// The learned parameters of one kind of learner.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Params {
    /// Tabular Q-learning: `q[state][action]`, the discounted return.
    Q {
        /// `q[state][action]`.
        q: Vec<[f64; ACTIONS]>,
    },
    /// Lagrangian Q-learning: a reward table, a cost table and the multiplier; actions are
    /// scored `q_reward - lambda * q_cost`.
    QLagrangian {
        /// `q_reward[state][action]`: discounted return.
        q_reward: Vec<[f64; ACTIONS]>,
        /// `q_cost[state][action]`: expected cost (rules broken) to the end of the episode.
        q_cost: Vec<[f64; ACTIONS]>,
        /// The Lagrange multiplier.
        lambda: f64,
    },
    /// Seed 001's contextual bandit: one linear weight vector per action over the one-hot
    /// feature vector; an action scores `w . x`.
    Bandit {
        /// `weights[action]`, over `Features::vector`.
        weights: Vec<[f64; VECTOR_LEN]>,
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

impl Model {
    /// A model whose every value is zero (an untrained policy).
    pub fn zeros(kind: Kind, masked: bool, lambda: f64) -> Model {
        let table = || vec![[0.0; ACTIONS]; STATES];
        let params = match kind {
            Kind::Q => Params::Q { q: table() },
            Kind::QLagrangian => Params::QLagrangian {
                q_reward: table(),
                q_cost: table(),
                lambda,
            },
            Kind::Bandit => Params::Bandit {
                weights: vec![[0.0; VECTOR_LEN]; ACTIONS],
            },
        };
        Model {
            params,
            masked,
            visits: vec![0; STATES],
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

    /// The score of each abstract action in a state: higher is better.
    pub fn values(&self, f: &Features) -> [f64; ACTIONS] {
        let s = f.state();
        match &self.params {
            Params::Q { q } => q[s],
            Params::QLagrangian {
                q_reward,
                q_cost,
                lambda,
            } => combine(&q_reward[s], &q_cost[s], *lambda),
            Params::Bandit { weights } => {
                let x = f.vector();
                let mut v = [0.0; ACTIONS];
                for (out, w) in v.iter_mut().zip(weights) {
                    *out = w.iter().zip(&x).map(|(w, x)| w * x).sum();
                }
                v
            }
        }
    }

    /// The best allowed action by [`Model::values`]; ties go to the first in
    /// `AbstractAction::ALL` order, so an untrained model always investigates.
    pub fn greedy(&self, f: &Features, allowed: &[bool; ACTIONS]) -> usize {
        argmax(&self.values(f), allowed)
    }
}

/// The index of the largest allowed value, first on ties; 0 when nothing is allowed.
pub fn argmax(values: &[f64; ACTIONS], allowed: &[bool; ACTIONS]) -> usize {
    let mut best: Option<usize> = None;
    for a in 0..ACTIONS {
        if allowed[a] && best.is_none_or(|b| values[a] > values[b]) {
            best = Some(a);
        }
    }
    best.unwrap_or(0)
}
