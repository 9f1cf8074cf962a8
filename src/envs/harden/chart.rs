//! Small SVG line charts: a series' points scaled into a box. Plain Rust, tested natively.

/// The `points` of an SVG polyline for `values` in a `w` x `h` box, `lo` at the bottom and `hi`
/// at the top (values outside are clamped); one value is drawn as a flat line.
pub fn points(values: &[f64], w: f64, h: f64, lo: f64, hi: f64) -> String {
    let span = if hi > lo { hi - lo } else { 1.0 };
    let y = |v: f64| h - (v.clamp(lo, hi) - lo) / span * h;
    match values {
        [] => String::new(),
        [v] => format!("0,{:.1} {w:.1},{:.1}", y(*v), y(*v)),
        _ => {
            let step = w / (values.len() - 1) as f64;
            values
                .iter()
                .enumerate()
                .map(|(i, v)| format!("{:.1},{:.1}", i as f64 * step, y(*v)))
                .collect::<Vec<_>>()
                .join(" ")
        }
    }
}

/// The lowest and highest of `values` with `floor` and `ceil` included (a range that always
/// holds zero, say), widened when flat.
pub fn range(values: &[f64], floor: f64, ceil: f64) -> (f64, f64) {
    let lo = values.iter().copied().fold(floor, f64::min);
    let hi = values.iter().copied().fold(ceil, f64::max);
    if hi - lo < 1e-9 {
        (lo - 1.0, hi + 1.0)
    } else {
        (lo, hi)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn points_scale_into_the_box() {
        assert_eq!(points(&[], 100.0, 50.0, 0.0, 100.0), "");
        assert_eq!(
            points(&[50.0], 100.0, 50.0, 0.0, 100.0),
            "0,25.0 100.0,25.0"
        );
        assert_eq!(
            points(&[0.0, 100.0, 200.0], 100.0, 50.0, 0.0, 100.0),
            "0.0,50.0 50.0,0.0 100.0,0.0"
        );
    }

    #[test]
    fn ranges_hold_their_bounds() {
        assert_eq!(range(&[-2.0, 0.5], 0.0, 0.0), (-2.0, 0.5));
        assert_eq!(range(&[0.0], 0.0, 0.0), (-1.0, 1.0));
    }
}
