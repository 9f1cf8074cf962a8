//! The end of an episode: return, cost, the compliance verdict and every step that changed
//! something (the ticket filed included). The stage's timeline walks back through them.

use leptos::prelude::*;

use super::desk::use_gym;
use super::story::summary_lines;
use crate::shell::panel::{EmptyState, Panel};

#[component]
pub fn EpisodePanel() -> impl IntoView {
    let gym = use_gym();
    let done = move || gym.read(|s| s.done());
    let summary = move || {
        gym.read(|s| {
            let info = s.info();
            (
                s.status(),
                info.episode_return,
                info.episode_cost,
                summary_lines(s),
            )
        })
    };
    view! {
        <Show
            when=done
            fallback=|| {
                view! {
                    <Panel id="summary-waiting" title="Episode summary" class="episode-summary-waiting">
                        <EmptyState
                            title="The episode is not over."
                            hint="When it ends, its outcome, its cost and every step that changed something show here."
                        />
                    </Panel>
                }
            }
        >
            <section class="panel episode-summary" aria-labelledby="summary-heading" data-testid="episode-summary">
                <h2 id="summary-heading" class="panel-title">"Episode summary"</h2>
                <div class="panel-body">
                    {move || {
                        let (status, ret, cost, changed) = summary();
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
                            <p>"Every step that changed something:"</p>
                            <ul>{changed.into_iter().map(|d| view! { <li>{d}</li> }).collect_view()}</ul>
                        }
                    }}
                </div>
            </section>
        </Show>
    }
}
