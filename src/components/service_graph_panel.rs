//! The service dependency graph: nodes, their dependencies and their state during an episode.

use leptos::prelude::*;

use super::{EmptyState, Panel};

#[component]
pub fn ServiceGraphPanel() -> impl IntoView {
    view! {
        <Panel id="service-graph" title="Service graph" class="panel-graph">
            <EmptyState
                title="No episode yet."
                hint="Services, their dependencies and their state appear here once an episode runs."
            />
        </Panel>
    }
}
