//! The triage HUD: step, last reward, return, cost, the user's trust and alert fatigue as
//! gauges, and the run's totals (episodes, pass rate, mean score). Fixed cells, so nothing moves while an agent plays.

use super::desk::use_desk;
use crate::play::hud_cells::{EpisodesCell, MeanCell, RunFigures, StepsRunCell};
use crate::play::run::RunStats;
use leptos::prelude::*;

#[component]
pub fn Hud() -> impl IntoView {
    let desk = use_desk();
    // The replayed message's figures while the replay slider is back in the episode.
    let obs = move |f: fn(&ztgym::triage::Observation) -> f64| desk.shown(f);
    let trust = move || obs(|o| o.user_trust);
    let fatigue = move || obs(|o| o.alert_fatigue);
    let step = move || desk.read(|s| (s.log().steps.len(), s.observation().max_steps));
    let stats = move || desk.read(|s| s.stats());
    view! {
        <section class="hud triage-hud" aria-label="Episode status">
            <dl>
                <div class="hud-wide">
                    <dt>"Step"</dt>
                    <dd data-testid="step">{move || { let (k, n) = step(); format!("{k} / {n}") }}</dd>
                </div>
                <RunFigures state=desk.state />
                <div class="hud-wide gauge">
                    <dt id="trust-label">"Trust"</dt>
                    <dd>
                        <meter min="0" max="100" low="30" high="70" optimum="100" aria-labelledby="trust-label" prop:value=trust></meter>
                    </dd>
                    <dd data-testid="trust" class="gauge-value">{move || format!("{:.0}", trust())}</dd>
                </div>
                <div class="hud-wide gauge">
                    <dt id="fatigue-label">"Fatigue"</dt>
                    <dd>
                        <meter min="0" max="100" low="30" high="70" optimum="0" aria-labelledby="fatigue-label" prop:value=fatigue></meter>
                    </dd>
                    <dd data-testid="fatigue" class="gauge-value">{move || format!("{:.0}", fatigue())}</dd>
                </div>
                <EpisodesCell
                    stats=Signal::derive(stats)
                    summary=|st| format!("({:.0}% passed)", st.percent(st.successes))
                />
                <MeanCell stats=Signal::derive(stats) of="score" mean=RunStats::mean_score decimals=3 />
                <StepsRunCell player=desk.player steps=Signal::derive(move || stats().steps) label="Steps run" rate_title="Steps per second" unit="/s" />
            </dl>
        </section>
    }
}
