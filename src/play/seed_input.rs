//! The Seed field of the run controls: a whole number; anything else is reported, not applied.

use crate::shell::notices::Notices;
use leptos::prelude::*;

#[component]
pub fn SeedInput(
    /// The seed in force.
    #[prop(into)]
    value: Signal<u64>,
    /// Called with a new seed.
    #[prop(into)]
    on_seed: Callback<u64>,
    notices: Notices,
    /// What to say when the field does not read as a seed.
    problem: &'static str,
    #[prop(optional)] label_class: Option<&'static str>,
    #[prop(optional)] input_class: Option<&'static str>,
) -> impl IntoView {
    view! {
        <label class=label_class>
            "Seed"
            <input
                type="number"
                min="0"
                step="1"
                class=input_class
                prop:value=move || value.get().to_string()
                on:change=move |ev| {
                    match event_target_value(&ev).trim().parse::<u64>() {
                        Ok(seed) => on_seed.run(seed),
                        Err(_) => notices.error(problem),
                    }
                }
            />
        </label>
    }
}
