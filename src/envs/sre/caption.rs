//! The caption under the picture: the step on screen told in words (who acted, the action,
//! what happened and why, the reward and cost, the rule it broke), and the timeline that picks
//! the step. Fixed in size, so nothing below it moves while an agent plays.

use leptos::prelude::*;

use super::desk::use_gym;
use super::story::caption;
use crate::play::replay::ReplaySlider;

#[component]
pub fn Caption() -> impl IntoView {
    let gym = use_gym();
    let told = Memo::new(move |_| {
        let replay = gym.player.replay.get();
        gym.read(|s| caption(s, replay))
    });
    let steps = Signal::derive(move || gym.read(|s| s.log().steps.len()));
    view! {
        <section class="caption" aria-label="The last step">
            <div class="explanation" data-testid="explanation" role="status" aria-live="polite">
                {move || match told.get() {
                    None => {
                        view! {
                            <p class="caption-head">"Step 0"</p>
                            <p class="hint">"Each step's outcome and its reasons appear here: who acted, what happened and why, the reward and cost."</p>
                        }
                            .into_any()
                    }
                    Some(c) => {
                        view! {
                            <p class="caption-head">
                                <span data-testid="caption-head">{c.head}</span>
                                <span class="caption-score">{c.score}</span>
                            </p>
                            {c.rule.map(|r| view! { <p class="caption-rule" data-testid="caption-rule">{r}</p> })}
                            <ul>{c.lines.into_iter().map(|t| view! { <li>{t}</li> }).collect_view()}</ul>
                        }
                            .into_any()
                    }
                }}
            </div>
            <ReplaySlider steps=steps />
        </section>
    }
}
