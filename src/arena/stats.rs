//! The 95% confidence intervals of an arena's figures. A mean (return, cost, score) gets
//! Student's t interval, `mean ± t(0.975, n-1) · s / √n` with `s` the sample standard
//! deviation: the episodes of one agent on a set of seeds are independent draws of its
//! figure. A rate (success or pass) gets the Wilson score interval, which, unlike `p ± z·√(p(1-p)/n)`,
//! stays inside [0, 1] and is not empty at 0 or 1 successes of 20. No bootstrap: with the
//! same seeds the table must read the same on every machine, and these are closed forms.

use serde::{Deserialize, Serialize};

/// The normal quantile of 0.975.
const Z: f64 = 1.959_963_984_540_054;

/// Student's t quantile of 0.975 for 1 to 30 degrees of freedom (the usual table).
const T_TABLE: [f64; 30] = [
    12.7062, 4.3027, 3.1824, 2.7764, 2.5706, 2.4469, 2.3646, 2.3060, 2.2622, 2.2281, 2.2010,
    2.1788, 2.1604, 2.1448, 2.1314, 2.1199, 2.1098, 2.1009, 2.0930, 2.0860, 2.0796, 2.0739, 2.0687,
    2.0639, 2.0595, 2.0555, 2.0518, 2.0484, 2.0452, 2.0423,
];

/// A figure with its 95% interval, `low ≤ value ≤ high`.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Estimate {
    pub value: f64,
    /// `None` where there is no interval (a single episode).
    pub interval: Option<(f64, f64)>,
}

/// Student's t quantile of 0.975 with `df` degrees of freedom: the table to 30, then the
/// Cornish-Fisher expansion around the normal quantile (off by less than 1e-4 from 31 on).
pub fn t_quantile(df: usize) -> f64 {
    if df == 0 {
        return f64::INFINITY;
    }
    if df <= T_TABLE.len() {
        return T_TABLE[df - 1];
    }
    let (z, n) = (Z, df as f64);
    let (z3, z5, z7) = (z.powi(3), z.powi(5), z.powi(7));
    z + (z3 + z) / (4.0 * n)
        + (5.0 * z5 + 16.0 * z3 + 3.0 * z) / (96.0 * n * n)
        + (3.0 * z7 + 19.0 * z5 + 17.0 * z3 - 15.0 * z) / (384.0 * n * n * n)
}

/// The mean of `values` (summed in order, as `ztgym eval` sums) with its t interval.
pub fn mean_estimate(values: &[f64]) -> Estimate {
    let n = values.len();
    if n == 0 {
        return Estimate {
            value: 0.0,
            interval: None,
        };
    }
    let mean = values.iter().sum::<f64>() / n as f64;
    if n < 2 {
        return Estimate {
            value: mean,
            interval: None,
        };
    }
    let var = values.iter().map(|x| (x - mean) * (x - mean)).sum::<f64>() / (n - 1) as f64;
    let half = t_quantile(n - 1) * (var / n as f64).sqrt();
    Estimate {
        value: mean,
        interval: Some((mean - half, mean + half)),
    }
}

/// The share of `successes` in `n` with its Wilson score interval.
pub fn rate_estimate(successes: usize, n: usize) -> Estimate {
    if n == 0 {
        return Estimate {
            value: 0.0,
            interval: None,
        };
    }
    let (k, n) = (successes as f64, n as f64);
    let p = k / n;
    let z2 = Z * Z;
    let denominator = 1.0 + z2 / n;
    let centre = (p + z2 / (2.0 * n)) / denominator;
    let half = Z / denominator * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt();
    Estimate {
        value: p,
        interval: Some(((centre - half).max(0.0), (centre + half).min(1.0))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64, eps: f64) -> bool {
        (a - b).abs() < eps
    }

    #[test]
    fn the_t_interval_matches_a_worked_example() {
        // 1..=5: mean 3, s = √2.5, t(4) = 2.7764: 3 ± 1.9632.
        let e = mean_estimate(&[1.0, 2.0, 3.0, 4.0, 5.0]);
        assert_eq!(e.value, 3.0);
        let (lo, hi) = e.interval.unwrap();
        assert!(
            close(lo, 3.0 - 1.963_2, 1e-3) && close(hi, 3.0 + 1.963_2, 1e-3),
            "{lo} {hi}"
        );
        // Equal values: no spread, the interval is the value.
        assert_eq!(mean_estimate(&[2.0; 20]).interval, Some((2.0, 2.0)));
        assert_eq!(mean_estimate(&[7.0]).interval, None);
        assert_eq!(mean_estimate(&[]).value, 0.0);
    }

    #[test]
    fn the_t_quantile_joins_the_table_smoothly_and_tends_to_the_normal() {
        assert_eq!(t_quantile(19), 2.0930);
        // Published values: t(40) = 2.0211, t(60) = 2.0003, t(120) = 1.9799.
        assert!(close(t_quantile(40), 2.0211, 2e-4), "{}", t_quantile(40));
        assert!(close(t_quantile(60), 2.0003, 2e-4));
        assert!(close(t_quantile(120), 1.9799, 2e-4));
        assert!(close(t_quantile(31), 2.0395, 2e-4), "{}", t_quantile(31));
        assert!(t_quantile(100_000) > Z && close(t_quantile(100_000), Z, 1e-4));
    }

    #[test]
    fn the_wilson_interval_stays_in_the_unit_range() {
        // 0 of 20: [0, 0.1611]; 20 of 20: [0.8389, 1]; 10 of 20: [0.2993, 0.7007].
        let none = rate_estimate(0, 20);
        assert_eq!(none.value, 0.0);
        let (lo, hi) = none.interval.unwrap();
        assert!(lo == 0.0 && close(hi, 0.1611, 1e-4), "{hi}");
        let (lo, hi) = rate_estimate(20, 20).interval.unwrap();
        assert!(
            close(lo, 0.8389, 1e-4) && close(hi, 1.0, 1e-12),
            "{lo} {hi}"
        );
        let (lo, hi) = rate_estimate(10, 20).interval.unwrap();
        assert!(
            close(lo, 0.2993, 1e-4) && close(hi, 0.7007, 1e-4),
            "{lo} {hi}"
        );
    }
}
