//! The end of an episode: return, cost, the compliance verdict and the steps that decided it,
//! and a replay slider to walk back and forth through the episode.

use leptos::prelude::*;

use crate::envs::sre::gym::use_playground;

#[component]
pub fn EpisodePanel() -> impl IntoView {
    let pg = use_playground();
    let done = move || pg.read(|s| s.done());
    let steps = move || pg.read(|s| s.log().steps.len());
    let summary = move || {
        pg.read(|s| {
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
                    <label class="replay">
                        "Replay step"
                        <input
                            type="range"
                            min="0"
                            max=move || steps().to_string()
                            step="1"
                            aria-label="Replay step"
                            prop:value=move || pg.replay.get().unwrap_or_else(steps).to_string()
                            on:input=move |ev| {
                                let k = event_target_value(&ev).parse::<usize>().unwrap_or(0);
                                pg.replay.set((k < steps()).then_some(k));
                            }
                        />
                        <span data-testid="replay-position">
                            {move || format!("{} / {}", pg.replay.get().unwrap_or_else(steps), steps())}
                        </span>
                    </label>
                </div>
            </section>
        </Show>
    }
}
