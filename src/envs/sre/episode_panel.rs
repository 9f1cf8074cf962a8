//! The end of an episode: return, cost, the compliance verdict and the steps that decided it,
//! and the player's replay slider to walk back and forth through the episode.

use leptos::prelude::*;

use super::gym::use_gym;
use crate::play::replay::ReplaySlider;

#[component]
pub fn EpisodePanel() -> impl IntoView {
    let gym = use_gym();
    let done = move || gym.read(|s| s.done());
    let steps = move || gym.read(|s| s.log().steps.len());
    let summary = move || {
        gym.read(|s| {
            let info = s.info();
            let decisive: Vec<String> = s
                .log()
                .decisive_steps(4)
                .into_iter()
                .map(|k| {
                    let r = &s.log().steps[k];
                    let why: Vec<String> = r
                        .step
                        .info
                        .events
                        .iter()
                        .filter(|e| e.reward.abs() >= 1.0 || e.cost > 0.0)
                        .map(|e| e.to_string())
                        .collect();
                    if why.is_empty() {
                        format!("Step {}: {}", k + 1, r.action)
                    } else {
                        format!("Step {}: {}: {}", k + 1, r.action, why.join("; "))
                    }
                })
                .collect();
            let cost = info.episode_cost;
            (s.status(), info.episode_return, cost, decisive)
        })
    };
    view! {
        <Show when=done>
            <section class="panel episode-summary" aria-labelledby="summary-heading" data-testid="episode-summary">
                <h2 id="summary-heading" class="panel-title">"Episode summary"</h2>
                <div class="panel-body">
                    {move || {
                        let (status, ret, cost, decisive) = summary();
                        view! {
                            <p>
                                {format!("Outcome: {status}. Return {ret:.1}, cost {cost}. ")}
                                <strong>
                                    {if cost == 0.0 {
                                        "Compliant: no zero-trust rule broken.".to_string()
                                    } else {
                                        format!("Not compliant: {cost} rule violation(s).")
                                    }}
                                </strong>
                            </p>
                            <p>"The steps that decided it:"</p>
                            <ul>{decisive.into_iter().map(|d| view! { <li>{d}</li> }).collect_view()}</ul>
                        }
                    }}
                    <ReplaySlider steps=Signal::derive(steps) />
                </div>
            </section>
        </Show>
    }
}
