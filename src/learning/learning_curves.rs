//! Learning curves as SVG plots, one per figure (return, cost, compliance, success, the
//! Lagrange multiplier), drawn from the training points as they arrive: the raw points faint,
//! a smoothed line (the mean of the last few points) over them, and an episode axis.

use leptos::prelude::*;
use ztgym::learn::ChunkReport;

/// At most this many points are drawn per curve; longer runs are averaged into buckets, so a
/// long run costs the page no more than a short one.
const MAX_DRAWN: usize = 240;

const WIDTH: f64 = 360.0;
const HEIGHT: f64 = 150.0;

/// The smoothed line is the mean of up to this many drawn points, ending at each one.
const SMOOTH_POINTS: usize = 12;

/// `data` smoothed: each point's value is the mean of up to [`SMOOTH_POINTS`] points ending at
/// it (fewer at the start), so the line lags no more than that and never looks ahead.
fn smoothed(data: &[(f64, f64)]) -> Vec<(f64, f64)> {
    let mut sum = 0.0;
    data.iter()
        .enumerate()
        .map(|(k, &(x, y))| {
            sum += y;
            if k >= SMOOTH_POINTS {
                sum -= data[k - SMOOTH_POINTS].1;
            }
            (x, sum / (k + 1).min(SMOOTH_POINTS) as f64)
        })
        .collect()
}

/// The episode axis's ticks: 0, the middle and the last episode drawn, as `(x, label)`.
fn episode_ticks(last_episode: f64) -> [(f64, String); 3] {
    let last = last_episode.max(1.0);
    let middle = (last / 2.0).round();
    [
        (0.0, "0".to_string()),
        (middle / last * WIDTH, format!("{middle:.0}")),
        (WIDTH, format!("{last:.0}")),
    ]
}

/// One curve's figure and how to scale it.
struct Curve {
    id: &'static str,
    title: &'static str,
    value: fn(&ChunkReport) -> Option<f64>,
    /// A fixed range (rates), or one fitted to the data.
    range: Option<(f64, f64)>,
    digits: usize,
}

const CURVES: [Curve; 5] = [
    Curve {
        id: "return",
        title: "Return per episode",
        value: |p| Some(p.mean_return),
        range: None,
        digits: 1,
    },
    Curve {
        id: "cost",
        // Named by the environment: see [`LearningCurves`]'s `cost`.
        title: "Cost per episode",
        value: |p| Some(p.mean_cost),
        range: None,
        digits: 2,
    },
    Curve {
        id: "compliance",
        title: "Compliance rate",
        value: |p| Some(p.compliance_rate),
        range: Some((0.0, 1.0)),
        digits: 2,
    },
    Curve {
        id: "success",
        title: "Success rate",
        value: |p| Some(p.success_rate),
        range: Some((0.0, 1.0)),
        digits: 2,
    },
    Curve {
        id: "lambda",
        title: "Lagrange multiplier λ",
        value: |p| p.lambda,
        range: None,
        digits: 2,
    },
];

/// `(episodes done, value)` pairs, averaged into at most [`MAX_DRAWN`] buckets.
fn series(points: &[ChunkReport], value: fn(&ChunkReport) -> Option<f64>) -> Vec<(f64, f64)> {
    let raw: Vec<(f64, f64)> = points
        .iter()
        .filter_map(|p| value(p).map(|v| (p.episodes_done as f64, v)))
        .collect();
    let per_bucket = raw.len().div_ceil(MAX_DRAWN).max(1);
    raw.chunks(per_bucket)
        .map(|c| {
            let n = c.len() as f64;
            (c[c.len() - 1].0, c.iter().map(|p| p.1).sum::<f64>() / n)
        })
        .collect()
}

/// The polyline's `points` attribute and the y range drawn.
fn polyline(data: &[(f64, f64)], range: Option<(f64, f64)>) -> (String, f64, f64) {
    let (lo, hi) = y_range(data, range);
    (points_attr(data, lo, hi), lo, hi)
}

/// The y range a plot spans: `range`, or the data's with 0 included.
fn y_range(data: &[(f64, f64)], range: Option<(f64, f64)>) -> (f64, f64) {
    let (lo, hi) = range.unwrap_or_else(|| {
        let lo = data.iter().map(|p| p.1).fold(f64::INFINITY, f64::min);
        let hi = data.iter().map(|p| p.1).fold(f64::NEG_INFINITY, f64::max);
        let (lo, hi) = (lo.min(0.0), hi.max(0.0));
        if hi - lo < 1e-9 {
            (lo, lo + 1.0)
        } else {
            (lo, hi)
        }
    });
    (lo, hi)
}

/// A polyline's `points` attribute for `data` on a plot spanning `lo..hi`.
fn points_attr(data: &[(f64, f64)], lo: f64, hi: f64) -> String {
    let x_max = data.last().map_or(1.0, |p| p.0.max(1.0));
    data.iter()
        .map(|&(x, y)| format!("{:.1},{:.1}", x / x_max * WIDTH, y_of(y, lo, hi)))
        .collect::<Vec<_>>()
        .join(" ")
}

/// The y of `value` on a plot spanning `lo..hi`.
fn y_of(value: f64, lo: f64, hi: f64) -> f64 {
    HEIGHT - (value - lo) / (hi - lo) * HEIGHT
}

/// The five plots. `goal` draws a dashed line on the compliance plot, `budget` one on the
/// cost plot (the Lagrangian learner's cost budget); `cost` says what the environment's cost
/// counts (`rules broken`).
#[component]
pub fn LearningCurves(
    points: RwSignal<Vec<ChunkReport>>,
    #[prop(into)] budget: Signal<Option<f64>>,
    goal: f64,
    cost: &'static str,
) -> impl IntoView {
    CURVES
        .iter()
        .map(|curve| {
            let title = if curve.id == "cost" {
                format!("Cost ({cost}) per episode")
            } else {
                curve.title.to_string()
            };
            let caption = title.clone();
            let drawn = Memo::new(move |_| points.with(|p| series(p, curve.value)));
            let plot = move || {
                let data = drawn.get();
                if data.is_empty() {
                    let hint = if curve.id == "lambda" && points.with(|p| !p.is_empty()) {
                        "Only the Lagrangian learner has a multiplier."
                    } else {
                        "No training yet."
                    };
                    return view! { <p class="curve-empty">{hint}</p> }.into_any();
                }
                let (raw_line, lo, hi) = polyline(&data, curve.range);
                let smooth = smoothed(&data);
                let smooth_line = points_attr(&smooth, lo, hi);
                let smooth_last = smooth.last().map_or(0.0, |p| p.1);
                let reference = match curve.id {
                    "compliance" => Some(goal),
                    "cost" => budget.get(),
                    _ => None,
                }
                .filter(|v| (lo..=hi).contains(v))
                .map(|v| {
                    let y = format!("{:.1}", y_of(v, lo, hi));
                    view! {
                        <line class="curve-reference" x1="0" x2=WIDTH y1=y.clone() y2=y />
                    }
                });
                let zero = (lo < 0.0 && hi > 0.0).then(|| {
                    let y = format!("{:.1}", y_of(0.0, lo, hi));
                    view! { <line class="curve-zero" x1="0" x2=WIDTH y1=y.clone() y2=y /> }
                });
                let last = data.last().map_or(0.0, |p| p.1);
                let episodes = data.last().map_or(0.0, |p| p.0);
                let ticks = episode_ticks(episodes);
                view! {
                    <svg
                        class="curve"
                        viewBox=format!("0 0 {WIDTH} {HEIGHT}")
                        preserveAspectRatio="none"
                        role="img"
                        aria-label=format!(
                            "{title}: {last:.prec$} after {episodes} episodes (smoothed {smooth_last:.prec$})",
                            prec = curve.digits,
                        )
                    >
                        {zero}
                        {reference}
                        {ticks
                            .iter()
                            .map(|(x, _)| {
                                let x = format!("{x:.1}");
                                view! {
                                    <line class="curve-tick" x1=x.clone() x2=x y1=HEIGHT - 4.0 y2=HEIGHT />
                                }
                            })
                            .collect_view()}
                        <polyline class="curve-raw" points=raw_line />
                        <polyline
                            class="curve-line curve-smooth"
                            data-testid=format!("curve-{}-smooth", curve.id)
                            points=smooth_line
                        />
                    </svg>
                    <p class="curve-x-axis" data-testid=format!("curve-{}-x-axis", curve.id)>
                        // Each label at its tick's true position (the title on its own line).
                        {ticks.iter().map(|(x, label)| view! { <span class="curve-x-tick" style:left=format!("{:.2}%", x / WIDTH * 100.0)>{label.clone()}</span> }).collect_view()}
                        <span class="curve-x-title">"episodes"</span>
                    </p>
                    <p class="curve-axis">
                        <span>{format!("{hi:.prec$}", prec = curve.digits)}</span>
                        <span>{format!("{lo:.prec$}", prec = curve.digits)}</span>
                    </p>
                    <p class="curve-last" data-testid=format!("curve-{}-last", curve.id)>
                        {format!("{last:.prec$}", prec = curve.digits)}
                        <span class="curve-episodes">
                            {format!(
                                " at episode {episodes} · smoothed {smooth_last:.prec$}",
                                prec = curve.digits,
                            )}
                        </span>
                    </p>
                }
                .into_any()
            };
            view! {
                <figure
                    class="curve-card"
                    data-testid=format!("curve-{}", curve.id)
                    data-points=move || drawn.with(Vec::len).to_string()
                >
                    <figcaption>{caption}</figcaption>
                    {plot}
                </figure>
            }
        })
        .collect_view()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn point(done: u64, ret: f64) -> ChunkReport {
        ChunkReport {
            episodes_run: 10,
            episodes_done: done,
            episodes_total: 100_000,
            mean_return: ret,
            mean_cost: 0.0,
            compliance_rate: 1.0,
            success_rate: 1.0,
            mean_steps: 4.0,
            lambda: None,
            epsilon: 0.1,
            finished: false,
        }
    }

    #[test]
    fn long_runs_are_averaged_into_a_bounded_number_of_points() {
        let points: Vec<ChunkReport> = (1..=1000).map(|k| point(k * 10, k as f64)).collect();
        let s = series(&points, |p| Some(p.mean_return));
        assert!(s.len() <= MAX_DRAWN, "{}", s.len());
        assert_eq!(s.last().unwrap().0, 10_000.0);
        assert_eq!(s[0].1, 3.0, "the first bucket averages points 1 to 5");
        assert!(series(&points, |p| p.lambda).is_empty());
    }

    #[test]
    fn plots_fit_the_data_and_include_zero() {
        let data = [(10.0, -20.0), (20.0, 40.0)];
        let (line, lo, hi) = polyline(&data, None);
        assert_eq!((lo, hi), (-20.0, 40.0));
        assert_eq!(
            line,
            format!("{:.1},{HEIGHT:.1} {WIDTH:.1},0.0", WIDTH / 2.0)
        );
        let (_, lo, hi) = polyline(&[(1.0, 0.5)], Some((0.0, 1.0)));
        assert_eq!((lo, hi), (0.0, 1.0));
        let (_, lo, hi) = polyline(&[(1.0, 3.0), (2.0, 3.0)], None);
        assert!(lo <= 0.0 && hi >= 3.0);
    }

    #[test]
    fn the_smoothed_line_is_the_mean_of_the_last_points() {
        let data: Vec<(f64, f64)> = (0..30)
            .map(|k| (k as f64, if k % 2 == 0 { 0.0 } else { 2.0 }))
            .collect();
        let s = smoothed(&data);
        assert_eq!(s.len(), data.len());
        assert_eq!(s[0], (0.0, 0.0));
        assert_eq!(s[1], (1.0, 1.0), "the mean of the first two");
        for &(x, y) in &s[SMOOTH_POINTS..] {
            assert!(
                (y - 1.0).abs() < 1e-9,
                "at {x}: the zigzag smoothed to its mean, {y}"
            );
        }
        assert_eq!(
            s.iter().map(|p| p.0).collect::<Vec<_>>(),
            data.iter().map(|p| p.0).collect::<Vec<_>>()
        );
    }

    #[test]
    fn the_episode_axis_runs_from_0_to_the_last_episode() {
        let ticks = episode_ticks(2000.0);
        assert_eq!(ticks[0], (0.0, "0".to_string()));
        assert_eq!(ticks[1], (WIDTH / 2.0, "1000".to_string()));
        assert_eq!(ticks[2], (WIDTH, "2000".to_string()));
    }
}
