//! The SIEM alert stream, newest first: severity-coloured, filterable by severity and node,
//! each alert expandable to its ECS fields. At most `SHOWN` alerts are in the page at once.

use leptos::prelude::*;
use ztgym::siem::{Alert, Severity};

use super::desk::use_gym;
use super::evidence;
use crate::shell::panel::{EmptyState, Panel};

/// The most alerts drawn at once: the DOM stays bounded however long the run.
pub const SHOWN: usize = 100;

#[component]
pub fn AlertsPanel() -> impl IntoView {
    let gym = use_gym();
    let min_severity = RwSignal::new(Severity::Info);
    let node = RwSignal::new(String::new());
    let visible = move || {
        let upto = gym.shown(|o| o.step);
        let min = min_severity.get();
        let node = node.get();
        gym.read(|s| {
            let matching: Vec<&Alert> = s
                .alerts()
                .iter()
                .rev()
                .filter(|a| {
                    a.step <= upto && a.severity >= min && (node.is_empty() || *a.host == *node)
                })
                .collect();
            let total = matching.len();
            (
                matching
                    .into_iter()
                    .take(SHOWN)
                    .cloned()
                    .collect::<Vec<_>>(),
                total,
            )
        })
    };
    let node_names = move || gym.service_names();
    view! {
        <Panel id="siem-alerts" title="SIEM alerts" class="panel-alerts">
            <div class="filters">
                <label>
                    "Severity"
                    <select on:change=move |ev| {
                        let v = event_target_value(&ev);
                        min_severity.set(match v.as_str() {
                            "low" => Severity::Low,
                            "medium" => Severity::Medium,
                            "high" => Severity::High,
                            "critical" => Severity::Critical,
                            _ => Severity::Info,
                        });
                    }>
                        <option value="info">"all"</option>
                        <option value="low">"low and up"</option>
                        <option value="medium">"medium and up"</option>
                        <option value="high">"high and up"</option>
                        <option value="critical">"critical"</option>
                    </select>
                </label>
                <label>
                    "Node"
                    <select prop:value=move || node.get() on:change=move |ev| node.set(event_target_value(&ev))>
                        <option value="">"all"</option>
                        {move || {
                            node_names()
                                .into_iter()
                                .map(|n| view! { <option value=n.clone()>{n.clone()}</option> })
                                .collect_view()
                        }}
                    </select>
                </label>
            </div>
            {move || {
                let (alerts, total) = visible();
                if total == 0 {
                    return view! {
                        <EmptyState
                            title="No alerts."
                            hint="Alerts raised during the episode stream here, newest first."
                        />
                    }
                        .into_any();
                }
                view! {
                    <ol class="alert-list" aria-label="Alerts, newest first">
                        <For
                            each=move || alerts.clone()
                            key=|a| (a.id, a.step)
                            children=move |a: Alert| view! { <AlertItem alert=a /> }
                        />
                    </ol>
                    {(total > SHOWN)
                        .then(|| {
                            view! {
                                <p class="hint">
                                    {format!("{} older alerts not shown (export alerts for all).", total - SHOWN)}
                                </p>
                            }
                        })}
                }
                    .into_any()
            }}
        </Panel>
    }
}

#[component]
fn AlertItem(alert: Alert) -> impl IntoView {
    let gym = use_gym();
    let ecs = serde_json::to_string_pretty(&alert).unwrap_or_default();
    let citation = evidence::from_alert(&alert);
    let severity = alert.severity.as_str();
    view! {
        <li data-testid="alert" class=format!("alert sev-{severity}") data-severity=severity>
            <details>
                <summary>
                    <span class="badge">{severity}</span>
                    <span class="alert-id">{alert.label()}</span>
                    <span class="alert-host">{alert.host.to_string()}</span>
                    <span class="alert-message">{alert.message()}</span>
                </summary>
                <pre class="ecs">{ecs}</pre>
            </details>
            <button
                class="cite"
                title="Add this alert to the ticket's justification"
                on:click=move |_| gym.cite(&citation)
            >
                "Cite"
            </button>
        </li>
    }
}
