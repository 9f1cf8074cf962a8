//! What the adversary is doing: at L3 it watches the decisions and adapts; L1 and L2 have
//! none.

use super::desk::use_desk;
use super::story::{adversary_name, adversary_text};
use leptos::prelude::*;

#[component]
pub fn AdversaryPanel() -> impl IntoView {
    let desk = use_desk();
    let mode = move || desk.read(|s| s.info().adversary);
    view! {
        <section class="panel panel-adversary" aria-labelledby="adversary-heading">
            <h2 id="adversary-heading" class="panel-title">"Adversary"</h2>
            <div class="panel-body" data-testid="adversary" data-mode=move || mode().map_or("none", adversary_name)>
                {move || match mode() {
                    Some(m) => view! { <p>{adversary_text(m)}</p> }.into_any(),
                    None => view! { <p class="hint">"None in this task: the L3 task's adversary watches your decisions and adapts what it sends."</p> }.into_any(),
                }}
            </div>
        </section>
    }
}
