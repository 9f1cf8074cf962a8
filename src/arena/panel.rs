//! The Arena panel, below each environment's stage: pick agents (built-in, bundled with the
//! page, the tab's policy, policy files loaded here) and seeds, rank them in the arena worker,
//! and read the table (`table.rs`). The arena a link carries is picked and ranked when the
//! panel mounts. In each environment's tab (not a tab of its own): the agents, the scenario,
//! the tab's trained policy and the stage to watch on are all there.

use super::client::{ArenaClient, Status};
use super::host::{ArenaHost, Entry};
use super::job::{ArenaRequest, MAX_AGENTS};
use super::link::{ArenaLink, LinkAgent};
use super::pending::PendingArena;
use super::seeds::{format_seeds, parse_seeds};
use super::table::ArenaTable;
use crate::learning::bundled::bundled_for;
use crate::learning::host::LearningHost;
use crate::learning::policy_store::check_size;
use crate::play::page_session::LinkedSession;
use crate::play::state::PageState;
use crate::shell::files::{read_text, FileButton};
use crate::shell::notices::{provide_panel_notices, NoticeBar};
use crate::shell::panel::Panel;
use leptos::prelude::*;
use leptos::task::spawn_local;

/// The most policy files loaded into one arena.
const MAX_FILES: usize = 4;

#[component]
pub fn ArenaPanel<H: LearningHost, S: LinkedSession>(
    host: H,
    state: PageState<S>,
) -> impl IntoView {
    let host = ArenaHost::of(host, state);
    view! { <ArenaPanelView host=host /> }
}

#[component]
fn ArenaPanelView(host: ArenaHost) -> impl IntoView {
    let notices = provide_panel_notices();
    let client = ArenaClient::new();
    let files: RwSignal<Vec<(String, String)>> = RwSignal::new(Vec::new());
    let entries = Memo::new(move |_| files.with(|f| host.entries(f)));
    // Every built-in agent, up to the cap, until the person picks.
    let checked: RwSignal<Vec<String>> = RwSignal::new(
        host.builtin
            .iter()
            .take(MAX_AGENTS)
            .map(|(n, _)| format!("builtin:{n}"))
            .collect(),
    );
    let seeds_text = RwSignal::new("0-19".to_string());
    // The agents of the table on screen, in request order (rows point into it).
    let ranked: RwSignal<Vec<Entry>> = RwSignal::new(Vec::new());

    let rank = move || {
        let picked: Vec<Entry> = entries.with_untracked(|all| {
            all.iter()
                .filter(|e| checked.with_untracked(|c| c.contains(&e.key)))
                .cloned()
                .collect()
        });
        let seeds = match parse_seeds(&seeds_text.get_untracked()) {
            Ok(s) => s,
            Err(e) => return notices.error(format!("The arena was not run. {e}.")),
        };
        let request = ArenaRequest {
            env: host.env.to_string(),
            scenario: host.scenario.get_untracked(),
            agents: picked.iter().map(|e| e.spec.clone()).collect(),
            seeds,
        };
        if let Err(e) = request.check() {
            return notices.error(format!("The arena was not run: {e}."));
        }
        notices.clear();
        ranked.set(picked);
        client.rank(request);
    };

    // An arena a link carries: its agents and seeds picked, and ranked at once.
    let pending = use_context::<PendingArena>();
    Effect::new(move |_| {
        let Some(fields) = pending.and_then(|p| p.take_for(host.env)) else {
            return;
        };
        match apply_link(host, &fields, files, checked, seeds_text) {
            Ok(()) => {
                rank();
                if let Some(panel) = document().get_element_by_id("arena") {
                    panel.scroll_into_view();
                }
            }
            Err(e) => notices.error(format!("The arena in the link was not opened: {e}.")),
        }
    });

    let load_file = move |file: web_sys::File| {
        let file = gloo_file::File::from(file);
        let name = file.name();
        if let Err(e) = check_size(&name, file.size() as usize) {
            return notices.error(format!("The policy was not added. {e}"));
        }
        spawn_local(async move {
            let text = read_text(&file, ztgym::core::fileio::Kind::Policy).await;
            if notices.is_disposed() {
                return;
            }
            match text.and_then(|t| add_file(host, files, checked, name, t)) {
                Ok(()) => notices.clear(),
                Err(e) => notices.error(format!("The policy was not added. {e}")),
            }
        });
    };

    view! {
        <Panel id="arena" title="Arena" class="panel-arena">
            <NoticeBar />
            <p class="hint">
                "Rank agents side by side on the same seeds of "
                <strong>{move || host.scenario.get()}</strong>
                ", as "<code>"ztgym eval"</code>" plays them (the scenario's defaults)."
            </p>
            <fieldset class="arena-agents" data-testid="arena-agents">
                <legend>{format!("Agents (2 to {MAX_AGENTS})")}</legend>
                <For
                    each=move || entries.get()
                    key=|e| (e.key.clone(), e.label.clone())
                    children=move |e| {
                        let key = e.key.clone();
                        let toggled = key.clone();
                        view! {
                            <label class="arena-agent">
                                <input
                                    type="checkbox"
                                    data-testid=format!("arena-agent-{key}")
                                    prop:checked=move || checked.with(|c| c.contains(&key))
                                    on:change=move |ev| {
                                        let on = event_target_checked(&ev);
                                        checked.update(|c| {
                                            c.retain(|k| *k != toggled);
                                            if on {
                                                c.push(toggled.clone());
                                            }
                                        });
                                    }
                                />
                                {e.label}
                            </label>
                        }
                    }
                />
                <FileButton
                    label="Add policy file…"
                    accept=".json,application/json"
                    testid="arena-policy-file"
                    on_files=move |files| files.into_iter().for_each(load_file)
                />
            </fieldset>
            <div class="control-row">
                <label>
                    "Seeds"
                    <input
                        type="text"
                        data-testid="arena-seeds"
                        size="12"
                        prop:value=move || seeds_text.get()
                        on:input=move |ev| seeds_text.set(event_target_value(&ev))
                        title="A range (0-19) or a list (1,5,9), at most 200 seeds"
                    />
                </label>
                <button
                    type="button"
                    data-testid="arena-rank"
                    on:click=move |_| {
                        if client.status.get_untracked().busy() {
                            client.cancel()
                        } else {
                            rank()
                        }
                    }
                >
                    {move || if client.status.get().busy() { "Cancel" } else { "Rank" }}
                </button>
                <ArenaStatus client=client />
            </div>
            {move || {
                client
                    .ranking
                    .get()
                    .map(|r| view! { <ArenaTable host=host ranking=r ranked=ranked notices=notices /> })
            }}
        </Panel>
    }
}

/// The run's progress, or how it ended.
#[component]
fn ArenaStatus(client: ArenaClient) -> impl IntoView {
    view! {
        <span class="arena-status" data-testid="arena-status" role="status">
            {move || match client.status.get() {
                Status::Idle => String::new(),
                Status::Loading => "Starting the arena worker…".into(),
                Status::Running(played, total) => {
                    format!("Played {played} of {total} episodes…")
                }
                Status::Finished => "Ranked.".into(),
                Status::Cancelled => "Cancelled.".into(),
                Status::Failed(e) => format!("The arena failed: {e}"),
            }}
        </span>
        {move || match client.status.get() {
            Status::Running(played, total) if total > 0 => {
                Some(view! { <progress class="arena-progress" max=total value=played data-testid="arena-progress"></progress> })
            }
            _ => None,
        }}
    }
}

/// Adds a policy file as an agent on offer (checked), once it reads for the scenario on screen.
fn add_file(
    host: ArenaHost,
    files: RwSignal<Vec<(String, String)>>,
    checked: RwSignal<Vec<String>>,
    name: String,
    text: String,
) -> Result<(), String> {
    if files.with_untracked(Vec::len) >= MAX_FILES {
        return Err(format!("An arena takes at most {MAX_FILES} policy files."));
    }
    host.check
        .run((name.clone(), text.clone()))
        .map_err(|e| super::job::agent_problem(&name, &e))?;
    let key = format!("file:{}", files.with_untracked(Vec::len));
    files.update(|f| f.push((name, text)));
    checked.update(|c| c.push(key));
    Ok(())
}

/// Picks the agents and seeds a link names; any agent this tab does not offer is refused.
fn apply_link(
    host: ArenaHost,
    fields: &[(String, String)],
    files: RwSignal<Vec<(String, String)>>,
    checked: RwSignal<Vec<String>>,
    seeds_text: RwSignal<String>,
) -> Result<(), String> {
    let arena = ArenaLink::read(fields).unwrap_or_else(|| Err("it names no agents".into()))?;
    let mut keys = Vec::new();
    let mut carried = Vec::new();
    for agent in arena.agents {
        match agent {
            LinkAgent::Builtin(name) => {
                if !host.builtin.iter().any(|(n, _)| *n == name) {
                    return Err(format!(
                        "agent \"{}\" is not one of {}",
                        ztgym::core::text::shorten(&name, 40),
                        host.builtin
                            .iter()
                            .map(|(n, _)| *n)
                            .collect::<Vec<_>>()
                            .join(", ")
                    ));
                }
                keys.push(format!("builtin:{name}"));
            }
            LinkAgent::Bundled(name) => {
                let file = format!("{name}.json");
                if !bundled_for(host.bundled, &host.scenario.get_untracked())
                    .contains(&file.as_str())
                {
                    return Err(format!(
                        "\"{}\" is not a policy bundled with the page for {}",
                        ztgym::core::text::shorten(&name, 40),
                        host.scenario.get_untracked()
                    ));
                }
                keys.push(format!("bundled:{name}"));
            }
            LinkAgent::Policy { label, text } => {
                host.check
                    .run((label.clone(), text.clone()))
                    .map_err(|e| super::job::agent_problem(&label, &e))?;
                keys.push(format!("file:{}", carried.len()));
                carried.push((label, text));
            }
        }
    }
    files.set(carried);
    checked.set(keys);
    seeds_text.set(format_seeds(&arena.seeds));
    Ok(())
}
