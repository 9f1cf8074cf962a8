//! The greedy choice: the best allowed action by value, first on ties.

use super::adapter::ActionSet;

/// The index of the largest allowed value, first on ties; 0 when nothing is allowed.
pub fn argmax(values: &[f64], allowed: ActionSet) -> usize {
    argmax_by(values.len(), allowed, |a| values[a])
}

/// [`argmax`] over `n` actions scored by `value`.
pub fn argmax_by(n: usize, allowed: ActionSet, value: impl Fn(usize) -> f64) -> usize {
    let mut best: Option<(usize, f64)> = None;
    for a in 0..n {
        if allowed.allows(a) {
            let v = value(a);
            if best.is_none_or(|(_, b)| v > b) {
                best = Some((a, v));
            }
        }
    }
    best.map_or(0, |(a, _)| a)
}
