//! Acting as the agent: the action bar beside the picture. A target, the seven actions (each
//! with a key: i, t, c, x, o, p, w), the ticket form, and the logs of the last query. The
//! action mask greys out what is not well-formed; breaking a rule stays possible, and its
//! consequence shows in the caption under the picture.

use leptos::prelude::*;
use ztgym::{Action, Privileged};

use super::desk::{use_gym, TakeOverPrompt};
use super::evidence;

#[component]
pub fn ActionPanel() -> impl IntoView {
    let gym = use_gym();
    let ticket_action = RwSignal::new(Privileged::Isolate);
    let chosen_ticket = RwSignal::new(String::new());
    let chosen_cve = RwSignal::new(String::new());

    let human = move || gym.read(|s| !s.automated());
    let idle = move || human() && !gym.read(|s| s.done()) && gym.player.replay.get().is_none();
    let target = move || gym.target.get();
    let in_mask = move |bits: fn(&ztgym::observation::ActionMask) -> u64| {
        let Some(t) = target() else { return false };
        gym.read(|s| {
            let mask = &s.info().action_mask;
            s.scenario()
                .index_of(&t)
                .is_some_and(|i| bits(mask) >> i & 1 == 1)
        })
    };
    let pending = move || {
        gym.read(|s| {
            s.info()
                .action_mask
                .check
                .iter()
                .map(|t| t.to_string())
                .collect::<Vec<_>>()
        })
    };
    let cves = move || {
        gym.read(|s| {
            s.info()
                .action_mask
                .patch_cves
                .iter()
                .map(|t| t.to_string())
                .collect::<Vec<_>>()
        })
    };
    let node_action = move |make: fn(String) -> Action| {
        if let Some(t) = gym.target.get_untracked() {
            gym.act(make(t));
        }
    };
    let names = move || gym.service_names();

    view! {
        <section class="panel panel-actions" aria-labelledby="actions-heading">
            <h2 id="actions-heading" class="panel-title">"Act as the agent"</h2>
            <div class="panel-body">
                <TakeOverPrompt />
                <Show when=move || !human()>
                    <p class="hint">"An agent is playing. Choose Agent: Human (you) to act yourself."</p>
                </Show>
                <label>
                    "Target"
                    <select
                        prop:value=move || target().unwrap_or_default()
                        on:change=move |ev| {
                            let v = event_target_value(&ev);
                            gym.target.set((!v.is_empty()).then_some(v));
                        }
                    >
                        <option value="">"choose a service"</option>
                        {move || names().into_iter().map(|n| view! { <option value=n.clone()>{n.clone()}</option> }).collect_view()}
                    </select>
                </label>
                <div class="action-buttons">
                    <button
                        data-key="i"
                        aria-keyshortcuts="i"
                        disabled=move || !idle() || !in_mask(|m| m.query)
                        on:click=move |_| node_action(|node| Action::QuerySiemLogs { node })
                        title="query_siem_logs: read the target's logs (i)"
                    >
                        "Investigate"
                    </button>
                    <button
                        data-key="x"
                        aria-keyshortcuts="x"
                        class="danger"
                        disabled=move || !idle() || !in_mask(|m| m.isolate)
                        on:click=move |_| node_action(|node| Action::IsolateNode { node })
                        title="isolate_node (privileged: needs an approved ticket) (x)"
                    >
                        "Isolate"
                    </button>
                    <button
                        data-key="o"
                        aria-keyshortcuts="o"
                        disabled=move || !idle() || !in_mask(|m| m.restore)
                        on:click=move |_| node_action(|node| Action::RestoreNode { node })
                        title="restore_node (privileged) (o)"
                    >
                        "Restore"
                    </button>
                    <button data-key="w" aria-keyshortcuts="w" disabled=move || !idle() on:click=move |_| gym.act(Action::Wait) title="Do nothing this step (w)">
                        "Wait"
                    </button>
                </div>
                <fieldset class="ticket-form">
                    <legend>"Change ticket"</legend>
                    <label>
                        "Requested action"
                        <select on:change=move |ev| {
                            ticket_action.set(match event_target_value(&ev).as_str() {
                                "restore" => Privileged::Restore,
                                "patch" => Privileged::Patch,
                                _ => Privileged::Isolate,
                            })
                        }>
                            <option value="isolate">"isolate"</option>
                            <option value="patch">"patch"</option>
                            <option value="restore">"restore"</option>
                        </select>
                    </label>
                    <label class="wide">
                        "Justification"
                        <textarea
                            rows="5"
                            placeholder="Name the node, cite alert ids, the CVE and indicators from its logs (click Cite), the blast radius and a rollback plan."
                            prop:value=move || gym.justification.get()
                            on:input=move |ev| gym.justification.set(event_target_value(&ev))
                        ></textarea>
                    </label>
                    <button
                        data-key="t"
                        aria-keyshortcuts="t"
                        disabled=move || !idle() || !in_mask(|m| m.file_ticket)
                        on:click=move |_| {
                            if let Some(node) = gym.target.get_untracked() {
                                gym.act(Action::FileTicket {
                                    node,
                                    action: ticket_action.get_untracked(),
                                    justification: gym.justification.get_untracked(),
                                });
                            }
                        }
                    >
                        "File ticket"
                    </button>
                    <label>
                        "Ticket"
                        <select
                            prop:value=move || chosen_ticket.get()
                            on:change=move |ev| chosen_ticket.set(event_target_value(&ev))
                        >
                            {move || pending().into_iter().map(|t| view! { <option value=t.clone()>{t.clone()}</option> }).collect_view()}
                        </select>
                    </label>
                    <button
                        data-key="c"
                        aria-keyshortcuts="c"
                        disabled=move || !idle() || pending().is_empty()
                        on:click=move |_| {
                            let list = pending();
                            let chosen = chosen_ticket.get_untracked();
                            let ticket = if list.contains(&chosen) { chosen } else { list.first().cloned().unwrap_or_default() };
                            gym.act(Action::CheckApproval { ticket });
                        }
                    >
                        "Check approval"
                    </button>
                    <label>
                        "CVE"
                        <select
                            prop:value=move || chosen_cve.get()
                            on:change=move |ev| chosen_cve.set(event_target_value(&ev))
                        >
                            {move || cves().into_iter().map(|c| view! { <option value=c.clone()>{c.clone()}</option> }).collect_view()}
                        </select>
                    </label>
                    <button
                        data-key="p"
                        aria-keyshortcuts="p"
                        disabled=move || !idle() || !in_mask(|m| m.patch)
                        on:click=move |_| {
                            let list = cves();
                            let chosen = chosen_cve.get_untracked();
                            let cve = if list.contains(&chosen) { chosen } else { list.first().cloned().unwrap_or_default() };
                            if let Some(node) = gym.target.get_untracked() {
                                gym.act(Action::PatchNode { node, cve });
                            }
                        }
                        title="patch_node (privileged): fix the CVE in place, no downtime (p)"
                    >
                        "Patch"
                    </button>
                </fieldset>
                <Investigation />
            </div>
        </section>
    }
}

/// The log lines the last query returned; a click cites a line in the justification.
#[component]
fn Investigation() -> impl IntoView {
    let gym = use_gym();
    let logs = move || gym.shown(|o| o.logs.clone());
    view! {
        {move || {
            logs()
                .map(|q| {
                    view! {
                        <div class="investigation">
                            <h3>{format!("Logs of {}", q.node)}</h3>
                            <ul class="log-lines">
                                {q
                                    .lines
                                    .iter()
                                    .map(|line| {
                                        let text = line.to_string();
                                        let citation = evidence::from_log_line(line);
                                        view! {
                                            <li data-testid="log-line">
                                                <code>{text}</code>
                                                {citation
                                                    .map(|c| {
                                                        view! {
                                                            <button class="cite" on:click=move |_| gym.cite(&c)>
                                                                "Cite"
                                                            </button>
                                                        }
                                                    })}
                                            </li>
                                        }
                                    })
                                    .collect_view()}
                            </ul>
                        </div>
                    }
                })
        }}
    }
}
