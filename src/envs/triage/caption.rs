//! The caption under the inbox: the last step told (the decision, the reward and cost, what
//! the message was as the user learns it). Fixed in size, so nothing moves while an agent
//! plays.

use super::desk::use_desk;
use super::story::caption;
use leptos::prelude::*;

#[component]
pub fn Caption() -> impl IntoView {
    let desk = use_desk();
    let told = Memo::new(move |_| desk.read(caption));
    view! {
        <section class="caption triage-caption" aria-label="The last step">
            <div class="explanation" data-testid="explanation" role="status" aria-live="polite">
                {move || match told.get() {
                    None => view! {
                        <p class="caption-head">"Step 0"</p>
                        <p class="hint">"Each decision's outcome appears here: what the message really was, the reward and cost, and how trust and fatigue moved."</p>
                    }
                        .into_any(),
                    Some(c) => view! {
                        <p class="caption-head" class:bad=!c.correct>
                            <span data-testid="caption-head">{c.head}</span>
                            <span class="caption-score">{c.score}</span>
                        </p>
                        <ul>{c.lines.into_iter().map(|t| view! { <li>{t}</li> }).collect_view()}</ul>
                    }
                        .into_any(),
                }}
            </div>
        </section>
    }
}
