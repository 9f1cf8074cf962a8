//! Change tickets and their approvals: isolating a node needs an approved ticket.

use leptos::prelude::*;

use super::{EmptyState, Panel};

#[component]
pub fn TicketsPanel() -> impl IntoView {
    view! {
        <Panel id="tickets" title="Tickets & approvals" class="panel-tickets">
            <EmptyState
                title="No tickets yet."
                hint="Change tickets and who approved them appear here during an episode."
            />
        </Panel>
    }
}
