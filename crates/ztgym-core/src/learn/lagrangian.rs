//! Lagrangian Q-learning for the constrained MDP: maximize reward subject to an expected cost
//! per episode at most the budget. A reward table and a cost table are learned side by side;
//! actions are chosen on `q_reward - lambda x q_cost`, and the multiplier rises by dual ascent
//! while episodes spend more than the budget and falls while they spend less.

use super::greedy::argmax_by;
use super::q::{td, Next};
use super::{quantize, Hyperparameters};

/// One step's update of both tables. The next action is the greedy one under the combined
/// score, so both tables evaluate the same policy.
#[allow(clippy::too_many_arguments)]
pub fn update(
    q_reward: &mut [Vec<f64>],
    q_cost: &mut [Vec<f64>],
    lambda: f64,
    state: usize,
    action: usize,
    reward: f64,
    cost: f64,
    next: Option<Next>,
    h: &Hyperparameters,
) {
    let (future_reward, future_cost) = next.map_or((0.0, 0.0), |n| {
        let (r, c) = (&q_reward[n.state], &q_cost[n.state]);
        let a = argmax_by(r.len(), n.allowed, |a| r[a] - lambda * c[a]);
        (r[a], c[a])
    });
    td(
        &mut q_reward[state][action],
        reward + h.gamma * future_reward,
        h.alpha,
    );
    td(
        &mut q_cost[state][action],
        cost + h.cost_gamma * future_cost,
        h.alpha,
    );
}

/// `q_reward - lambda x q_cost`, per action.
pub fn combine(q_reward: &[f64], q_cost: &[f64], lambda: f64) -> Vec<f64> {
    q_reward
        .iter()
        .zip(q_cost)
        .map(|(r, c)| r - lambda * c)
        .collect()
}

/// The multiplier after an episode that cost `episode_cost`: projected dual ascent,
/// `max(0, lambda + lambda_lr x (episode_cost - cost_budget))`, capped at `lambda_max`.
pub fn dual_ascent(lambda: f64, episode_cost: f64, h: &Hyperparameters) -> f64 {
    let next = lambda + h.lambda_lr * (episode_cost - h.cost_budget);
    quantize(next.clamp(0.0, h.lambda_max))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::learn::greedy::argmax;
    use crate::learn::{ActionSet, Kind};

    #[test]
    fn multiplier_rises_over_budget_and_falls_under_it_never_below_zero() {
        let h = Hyperparameters::defaults(Kind::QLagrangian);
        let up = dual_ascent(1.0, 1.0, &h);
        assert!(up > 1.0);
        let down = dual_ascent(1.0, 0.0, &h);
        assert!(down < 1.0);
        assert_eq!(dual_ascent(0.0, 0.0, &h), 0.0);
        assert_eq!(dual_ascent(h.lambda_max, 5.0, &h), h.lambda_max);
    }

    #[test]
    fn the_multiplier_steers_the_greedy_action_away_from_cost() {
        let r = [5.0, 3.0, 0.0, 0.0, 0.0, 0.0, 0.0];
        let c = [1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0];
        let all = ActionSet::all(7);
        assert_eq!(argmax(&combine(&r, &c, 0.0), all), 0);
        assert_eq!(argmax(&combine(&r, &c, 3.0), all), 1);
    }
}
