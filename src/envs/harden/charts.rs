//! The side column's charts: the risk score over the episode (with the scenario's target), and
//! the scenario's evaluation over the cycles so far (gate pass rate, mean and p95 breakage risk
//! against the budget, the reward trend, the action distribution), from the crate's metrics.

use super::chart::{points, range};
use super::desk::use_desk;
use crate::shell::panel::Panel;
use leptos::prelude::*;

const W: f64 = 300.0;
const H: f64 = 80.0;

#[component]
pub fn RiskChart() -> impl IntoView {
    let desk = use_desk();
    let data = Memo::new(move |_| desk.read(|s| (s.risks(), s.scenario().target_risk)));
    let line = move || data.with(|(r, _)| points(r, W, H, 0.0, 100.0));
    let target_y = move || data.with(|(_, t)| H - t.clamp(0.0, 100.0) / 100.0 * H);
    view! {
        <Panel id="harden-risk" title="Risk over time" class="panel-risk">
            <svg class="chart risk-chart" viewBox=format!("0 0 {W} {H}") preserveAspectRatio="none" role="img" aria-label="Risk score over the episode, 0 to 100">
                <line class="chart-target" x1="0" x2=W y1=target_y y2=target_y></line>
                <polyline class="chart-line" points=line></polyline>
            </svg>
            <p class="chart-legend hint">
                {move || data.with(|(r, t)| {
                    let first = r.first().copied().unwrap_or_default();
                    let last = r.last().copied().unwrap_or_default();
                    format!("{first:.1} → {last:.1} over {} cycle(s); dashed: target {t:.0}", r.len().saturating_sub(1))
                })}
            </p>
        </Panel>
    }
}

/// A bar from 0 to 1 with its figure.
fn bar(
    label: &'static str,
    value: f64,
    marker: Option<f64>,
    test_id: &'static str,
) -> impl IntoView {
    let pct = (value.clamp(0.0, 1.0) * 100.0).round();
    view! {
        <div class="metric">
            <span class="metric-label">{label}</span>
            <span class="metric-bar">
                <span class="metric-fill" style=format!("width: {pct}%")></span>
                {marker.map(|m| view! { <span class="metric-marker" style=format!("left: {}%", (m.clamp(0.0, 1.0) * 100.0).round())></span> })}
            </span>
            <span class="metric-value" data-testid=test_id>{format!("{value:.2}")}</span>
        </div>
    }
}

#[component]
pub fn MetricsPanel() -> impl IntoView {
    let desk = use_desk();
    let data = Memo::new(move |_| {
        desk.read(|s| {
            (
                s.evaluation(),
                s.scenario().budget(s.settings().stage.as_str()),
            )
        })
    });
    view! {
        <Panel id="harden-metrics" title="Evaluation so far" class="panel-metrics">
            {move || {
                let (e, budget) = data.get();
                if e.cycles == 0 {
                    let name = desk.read(|s| s.scenario().name.clone());
                    return view! { <p class="hint" data-testid="metrics-waiting">{format!("The evaluation of this episode on {name} appears here after the first cycle.")}</p> }.into_any();
                }
                let (lo, hi) = range(&e.reward_trend, 0.0, 0.0);
                let h = H / 2.0;
                let zero = h - (0.0 - lo) / (hi - lo) * h;
                let trend = points(&e.reward_trend, W, h, lo, hi);
                let most = e.action_distribution.values().copied().max().unwrap_or(1).max(1);
                view! {
                    <div class="metrics" data-testid="metrics">
                        {bar("Gate pass rate", e.gate_pass_rate, None, "gate-pass-rate")}
                        {bar("Policy allows", e.policy_allow_rate, None, "policy-allow-rate")}
                        {bar("Mean breakage", e.mean_breakage_risk, Some(budget), "mean-breakage")}
                        {bar("p95 breakage", e.p95_breakage_risk, Some(budget), "p95-breakage")}
                        <p class="metric-label">{format!("Reward trend (tenths of {} cycles), mean {:+.2}", e.cycles, e.mean_reward)}</p>
                        <svg class="chart trend-chart" viewBox=format!("0 0 {W} {h}") preserveAspectRatio="none" role="img" aria-label="Mean reward of each tenth of the episode">
                            <line class="chart-zero" x1="0" x2=W y1=zero y2=zero></line>
                            <polyline class="chart-line" points=trend></polyline>
                        </svg>
                        <p class="metric-label">"Actions proposed"</p>
                        <ul class="action-dist" data-testid="action-distribution">
                            {e.action_distribution
                                .into_iter()
                                .map(|(id, n)| {
                                    view! {
                                        <li>
                                            <span class="dist-name">{id}</span>
                                            <span class="metric-bar"><span class="metric-fill" style=format!("width: {}%", n * 100 / most)></span></span>
                                            <span class="metric-value">{n.to_string()}</span>
                                        </li>
                                    }
                                })
                                .collect_view()}
                        </ul>
                    </div>
                }
                    .into_any()
            }}
        </Panel>
    }
}
