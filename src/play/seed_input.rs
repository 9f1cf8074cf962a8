//! The Seed field of the run controls: a whole number; anything else is reported, not applied.

use super::link_settings::LinkSettings;
use super::page_session::LinkedSession;
use super::state::PageState;
use leptos::prelude::*;

#[component]
pub fn SeedInput<S: LinkedSession>(
    /// The page's state: the seed in force, and where a new one goes.
    state: PageState<S>,
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
                prop:value=move || state.read(|s| s.settings().seed()).to_string()
                on:change=move |ev| {
                    match event_target_value(&ev).trim().parse::<u64>() {
                        Ok(seed) => state.update(|s| s.set_seed(seed)),
                        Err(_) => state.notices.error("Seed: a whole number from 0 to 2^64-1."),
                    }
                }
            />
        </label>
    }
}
