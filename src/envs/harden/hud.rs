//! The hardening HUD: cycle, the risk score now, last reward, return, cost (breakage that
//! happened), the environment and the mode, and the run's totals (episodes, success rate, mean
//! return). Fixed cells, so nothing moves while an agent plays.

use super::desk::use_desk;
use crate::play::hud_cells::{EpisodesCell, MeanCell, RunFigures, StepsRunCell};
use crate::play::run::RunStats;
use crate::shell::numbers::fixed;
use leptos::prelude::*;

#[component]
pub fn Hud() -> impl IntoView {
    let desk = use_desk();
    let cycle = move || desk.read(|s| (s.log().steps.len(), s.scenario().max_cycles));
    let risk = move || desk.read(|s| s.observation().risk_score);
    let target = move || desk.read(|s| s.scenario().target_risk);
    let stats = move || desk.read(|s| s.stats());
    let mode = move || {
        desk.read(|s| {
            let st = s.settings();
            format!(
                "{}{}",
                st.stage.as_str(),
                if st.recommend { " · recommend" } else { "" }
            )
        })
    };
    view! {
        <section class="hud harden-hud" aria-label="Cycle status">
            <dl>
                <div>
                    <dt>"Cycle"</dt>
                    <dd data-testid="cycle">{move || { let (k, n) = cycle(); format!("{k} / {n}") }}</dd>
                </div>
                <div class="hud-wide">
                    <dt>"Risk"</dt>
                    <dd data-testid="risk" class:bad=move || desk.read(|s| s.observation().risk_score > s.scenario().target_risk)>{move || fixed(risk(), 1)}</dd>
                    <dd class="hud-rate">{move || format!("target ≤ {:.0}", target())}</dd>
                </div>
                <RunFigures state=desk.state />
                <div class="hud-wide">
                    <dt>"Env"</dt>
                    <dd data-testid="mode">{mode}</dd>
                </div>
                <EpisodesCell stats=Signal::derive(stats) summary=|st| format!("({:.0}% success)", st.percent(st.successes)) />
                <MeanCell stats=Signal::derive(stats) of="return" mean=RunStats::mean_return decimals=1 />
                <StepsRunCell player=desk.player steps=Signal::derive(move || stats().steps) label="Cycles run" rate_title="Cycles per second" unit="/s" />
            </dl>
        </section>
    }
}
