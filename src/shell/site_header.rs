//! The page header: the product's name and what it is.

use leptos::prelude::*;

#[component]
pub fn SiteHeader() -> impl IntoView {
    view! {
        <header class="site-header">
            <h1 class="brand">
                "Zero Trust Gym" <span class="brand-short">"ztgym"</span>
            </h1>
            <p class="tagline">
                "A training ground for security agents that must act fast and by the book."
            </p>
        </header>
    }
}
