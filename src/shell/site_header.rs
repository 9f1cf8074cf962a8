//! The page header: the product's name, what it is, and the environment tabs.

use super::env_tabs::{EnvTab, EnvTabs};
use leptos::prelude::*;

#[component]
pub fn SiteHeader(
    /// Every environment's tab, in order.
    tabs: &'static [EnvTab],
    /// The environment on screen.
    #[prop(into)]
    env: Signal<&'static str>,
    /// Called with the id of an environment chosen in the tabs.
    #[prop(into)]
    on_choose: Callback<&'static str>,
) -> impl IntoView {
    view! {
        <header class="site-header">
            <h1 class="brand">
                "Zero Trust Gym" <span class="brand-short">"ztgym"</span>
            </h1>
            <p class="tagline">
                "A training ground for security agents that must act fast and by the book."
            </p>
            <EnvTabs tabs=tabs current=env on_choose=on_choose />
        </header>
    }
}
