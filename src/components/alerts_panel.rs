//! The SIEM alert stream of the running episode.

use leptos::prelude::*;

use super::{EmptyState, Panel};

#[component]
pub fn AlertsPanel() -> impl IntoView {
    view! {
        <Panel id="siem-alerts" title="SIEM alerts" class="panel-alerts">
            <EmptyState
                title="No alerts yet."
                hint="Alerts raised during an episode stream here, newest first."
            />
        </Panel>
    }
}
