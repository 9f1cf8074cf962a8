//! The page footer: which build this is.

use leptos::prelude::*;

use crate::shell::build_info::version_label;

#[component]
pub fn SiteFooter() -> impl IntoView {
    view! {
        <footer class="site-footer">
            <p>
                "Zero Trust Gym " <span class="version" data-testid="version">{version_label()}</span>
            </p>
        </footer>
    }
}
