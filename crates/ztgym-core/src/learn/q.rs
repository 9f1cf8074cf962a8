//! Tabular Q-learning: the one-step temporal-difference update on the reward.

use super::adapter::ActionSet;
use super::greedy::argmax;
use super::quantize;

/// The state after a step, if the episode goes on: its index and the actions allowed there.
#[derive(Clone, Copy, Debug)]
pub struct Next {
    /// The next state's index.
    pub state: usize,
    /// The actions the policy may choose there.
    pub allowed: ActionSet,
}

/// `q[s][a] += alpha x (r + gamma x max_a' q[s'][a'] - q[s][a])`, with no bootstrap at the end
/// of the episode (success, violation, outage and the step budget all end it for good).
pub fn update(
    q: &mut [Vec<f64>],
    state: usize,
    action: usize,
    reward: f64,
    next: Option<Next>,
    alpha: f64,
    gamma: f64,
) {
    let future = next.map_or(0.0, |n| {
        let row = &q[n.state];
        row[argmax(row, n.allowed)]
    });
    td(&mut q[state][action], reward + gamma * future, alpha);
}

/// Moves `value` a step `alpha` towards `target`, rounded (see [`quantize`]).
pub(crate) fn td(value: &mut f64, target: f64, alpha: f64) {
    *value = quantize(*value + alpha * (target - *value));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn moves_towards_the_bootstrapped_target() {
        let mut q = vec![vec![0.0; 7]; 2];
        q[1] = vec![1.0, 4.0, 2.0, 0.0, 0.0, 0.0, 0.0];
        let all = ActionSet::all(7);
        update(
            &mut q,
            0,
            3,
            1.0,
            Some(Next {
                state: 1,
                allowed: all,
            }),
            0.5,
            0.5,
        );
        assert_eq!(q[0][3], 0.5 * (1.0 + 0.5 * 4.0));
        let mut only = ActionSet::all(7);
        for a in [0, 1, 3, 4, 5, 6] {
            only.remove(a);
        }
        update(
            &mut q,
            0,
            0,
            0.0,
            Some(Next {
                state: 1,
                allowed: only,
            }),
            1.0,
            1.0,
        );
        assert_eq!(q[0][0], 2.0, "the max is over the allowed actions");
        update(&mut q, 0, 0, -3.0, None, 1.0, 1.0);
        assert_eq!(q[0][0], -3.0, "no bootstrap at the end");
    }
}
