//! Seed 001's epsilon-greedy contextual bandit, as a baseline: one linear weight vector per
//! action, score `w . x`, and after each step `w_a += lr x reward x x` for the action taken. It
//! learns from the immediate reward only, with no baseline and no look-ahead, exactly as the
//! seed does; so it cannot credit a ticket for the approval two steps later.

use super::quantize;

/// The seed's update for the action taken.
pub fn update(weights: &mut [f64], x: &[f64], reward: f64, lr: f64) {
    for (w, xi) in weights.iter_mut().zip(x) {
        *w = quantize(*w + lr * reward * xi);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rewards_move_only_the_active_features() {
        const VECTOR_LEN: usize = 19;
        let mut w = [0.0; VECTOR_LEN];
        let mut x = [0.0; VECTOR_LEN];
        x[0] = 1.0;
        x[VECTOR_LEN - 1] = 1.0;
        update(&mut w, &x, 10.0, 0.05);
        assert_eq!(w[0], 0.5);
        assert_eq!(w[1], 0.0);
        assert_eq!(w[VECTOR_LEN - 1], 0.5);
    }
}
