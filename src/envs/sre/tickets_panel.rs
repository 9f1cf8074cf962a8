//! Change tickets and their review: node, requested action, justification, approver, and once
//! delivered the judge's score, verdict and reason.

use leptos::prelude::*;
use ztgym::observation::{TicketStatus, TicketView};

use super::desk::use_gym;
use crate::shell::panel::{EmptyState, Panel};

fn status_name(s: TicketStatus) -> &'static str {
    match s {
        TicketStatus::Pending => "pending",
        TicketStatus::Approved => "approved",
        TicketStatus::Denied => "denied",
        TicketStatus::Used => "used",
    }
}

#[component]
pub fn TicketsPanel() -> impl IntoView {
    let gym = use_gym();
    let tickets = move || gym.shown(|o| o.tickets.clone());
    let step = move || gym.shown(|o| o.step);
    view! {
        <Panel id="tickets" title="Tickets & approvals" class="panel-tickets">
            {move || {
                let list = tickets();
                if list.is_empty() {
                    return view! {
                        <EmptyState
                            title="No tickets yet."
                            hint="A privileged action (isolate, patch, restore) needs an approved ticket for that node and action."
                        />
                    }
                        .into_any();
                }
                view! {
                    <ol class="ticket-list">
                        <For
                            each=move || list.clone()
                            key=|t| (t.id.to_string(), status_name(t.status))
                            children=move |t: TicketView| view! { <TicketItem ticket=t now=step() /> }
                        />
                    </ol>
                }
                    .into_any()
            }}
        </Panel>
    }
}

#[component]
fn TicketItem(ticket: TicketView, now: u32) -> impl IntoView {
    let status = status_name(ticket.status);
    let verdict = match (ticket.score, &ticket.reason) {
        (Some(score), Some(reason)) => format!("Score {score:.2}. {reason}"),
        _ if now >= ticket.ready_at => {
            "Review done: check approval to see the verdict.".to_string()
        }
        _ => format!("Under review until step {}.", ticket.ready_at),
    };
    view! {
        <li data-testid="ticket" data-status=status class=format!("ticket ticket-{status}")>
            <p class="ticket-head">
                <strong>{ticket.id.to_string()}</strong>
                {format!(" {} {} · approver: {} · ", ticket.action.as_str(), ticket.node, ticket.approver.replace('_', " "))}
                <span class="badge">{status}</span>
            </p>
            <p class="ticket-verdict">{verdict}</p>
            <details>
                <summary>"Justification"</summary>
                <p class="justification">{ticket.justification.to_string()}</p>
            </details>
        </li>
    }
}
