//! The page layout: header, the three panels, footer.

use leptos::prelude::*;

use crate::components::{AlertsPanel, ServiceGraphPanel, SiteFooter, SiteHeader, TicketsPanel};

/// The whole playground page.
#[component]
pub fn App() -> impl IntoView {
    view! {
        <div class="app-shell">
            <a class="skip-link" href="#main">"Skip to the panels"</a>
            <SiteHeader />
            <main id="main" class="panels" tabindex="-1">
                <ServiceGraphPanel />
                <AlertsPanel />
                <TicketsPanel />
            </main>
            <SiteFooter />
        </div>
    }
}
