//! The Learned policy panel: the tab's policy, where it came from (a file chosen or dropped, a bundled
//! example, the Train panel), and the states it learned in with the action it picks in each.
//! The environment's view of what the policy would do on screen can sit inside it.
//!
//! The panel re-renders while an agent plays at full speed: the visited-states table is only
//! rebuilt when the policy changes, and the current row is picked out by a selector, touching
//! two rows per change of state.

use leptos::prelude::*;
use leptos::task::spawn_local;

use super::bundled::{bundled_for, BUNDLED_SOURCE};
use super::host::LearningHost;
use super::policy_store::{check_size, LoadedPolicyOf};
use crate::shell::download::download;
use crate::shell::files::{read_text, FileButton, FileDropZone};
use crate::shell::notices::{provide_panel_notices, use_notices, NoticeBar, Notices};
use crate::shell::panel::{EmptyState, Panel};
use ztgym::core::learn::Adapter;
use ztgym::core::policy::StateRow;

/// Rows of the visited-states table shown until the person asks for all of them.
const TOP_STATES: usize = 25;

/// Says why a policy was not loaded (nothing changed).
fn refuse(notices: Notices, problem: &str) {
    notices.error(format!("The policy was not loaded. {problem}"));
}

/// A policy file the person chose or dropped: loaded if it reads and fits the scenario on
/// screen, otherwise every problem is reported and nothing changes.
fn load_policy_file(host: PolicyHost, notices: Notices, name: String, text: String) {
    match host.load.run((name, text, None)) {
        Ok(()) => notices.clear(),
        Err(e) => refuse(notices, &e),
    }
}

/// Reads a chosen or dropped file and loads it as the policy. A file too large or unreadable
/// is reported, by name, and changes nothing.
fn read_policy_file(host: PolicyHost, notices: Notices, file: web_sys::File) {
    let file = gloo_file::File::from(file);
    let name = file.name();
    if let Err(e) = check_size(&name, file.size() as usize) {
        refuse(notices, &e);
        return;
    }
    spawn_local(async move {
        let text = read_text(&file, ztgym::core::fileio::Kind::Policy).await;
        if notices.is_disposed() {
            return; // the page was taken down while the browser read the file
        }
        match text {
            Ok(text) => load_policy_file(host, notices, name, text),
            Err(e) => refuse(notices, &e),
        }
    });
}

/// The Learned policy panel's view of the environment on screen and of the tab's policy, their types
/// erased: the panel is one copy for every environment (and every hardening action set).
#[derive(Clone, Copy)]
struct PolicyHost {
    /// The scenario on screen, tracking only a change of scenario.
    scenario: Memo<String>,
    /// Reads a policy file `(name, text, source)` for the scenario on screen and lets it play
    /// (`source`: where it came from, if not the file); the error says why not.
    load: Callback<(String, String, Option<String>), Result<(), String>>,
    bundled: &'static [(&'static str, &'static str)],
    hint: &'static str,
    table_values: bool,
    actions: &'static [&'static str],
    /// The tab's policy: its summary, its source, the scenario it was trained on (tracked).
    summary: Signal<Option<String>>,
    source: Signal<Option<String>>,
    trained_on: Signal<Option<String>>,
    /// The tab's policy as a file: its name and text.
    file: Callback<(), Option<(String, String)>>,
    /// Lets the tab's policy play (on the scenario it was trained on).
    play_tab: Callback<()>,
    /// The states the tab's policy met in training.
    rows: Memo<Vec<StateRow>>,
}

impl PolicyHost {
    fn of<H: LearningHost>(host: H) -> PolicyHost {
        let tab = host.tab_policy();
        let scenario = Memo::new(move |_| host.scenario());
        PolicyHost {
            scenario,
            load: Callback::new(
                move |(name, text, source): (String, String, Option<String>)| {
                    let mut loaded = LoadedPolicyOf::<H::Adapter>::from_file(
                        &name,
                        &text,
                        &scenario.get_untracked(),
                    )?;
                    if let Some(source) = source {
                        loaded.source = source;
                    }
                    host.use_policy(loaded);
                    Ok(())
                },
            ),
            bundled: H::BUNDLED,
            hint: H::LEARNED_HINT,
            table_values: H::TABLE_VALUES,
            actions: <H::Adapter as Adapter>::ACTIONS,
            summary: Signal::derive(move || tab.with(|p| p.map(LoadedPolicyOf::summary))),
            source: Signal::derive(move || tab.with(|p| p.map(|l| l.source.clone()))),
            trained_on: Signal::derive(move || tab.with(|p| p.map(|l| l.policy.scenario.clone()))),
            file: Callback::new(move |()| {
                tab.with(|p| p.map(|l| (l.export_name(), l.text.clone())))
            }),
            play_tab: Callback::new(move |()| {
                if let Some(loaded) = tab.with(|p| p.cloned()) {
                    host.use_policy(loaded);
                }
            }),
            rows: Memo::new(move |_| {
                tab.with(|p| p.map(|l| l.policy.visited_states()).unwrap_or_default())
            }),
        }
    }
}

#[component]
pub fn PolicyPanel<H: LearningHost>(
    host: H,
    /// The state the policy is in on screen, for the visited-states table.
    current_state: Memo<Option<usize>>,
    /// The environment's view of what the policy would do on screen, if it shows it here
    /// (the SRE gym shows it in the stage's side column instead).
    #[prop(optional)]
    children: Option<Children>,
) -> impl IntoView {
    let host = PolicyHost::of(host);
    view! { <PolicyPanelView host=host current_state=current_state children=children /> }
}

#[component]
fn PolicyPanelView(
    host: PolicyHost,
    current_state: Memo<Option<usize>>,
    children: Option<Children>,
) -> impl IntoView {
    // Errors about a file chosen or dropped here show in this panel.
    let notices = provide_panel_notices();
    let scenario = host.scenario;
    let on_file = move |file: Option<web_sys::File>| match file {
        Some(file) => read_policy_file(host, notices, file),
        None => notices
            .error("Nothing was loaded: drop a policy file (.json) on the Learned policy panel."),
    };
    view! {
        <FileDropZone class="policy-drop-zone" testid="policy-drop-zone" on_file=on_file>
            <Panel id="policy" title="Learned policy" class="panel-policy">
                <NoticeBar />
                <PolicySource host=host scenario=scenario />
                {children.map(|c| c())}
                <VisitedStates host=host current=current_state />
            </Panel>
        </FileDropZone>
    }
}

/// Load, pick a bundled example, export; and which policy the tab has.
#[component]
fn PolicySource(host: PolicyHost, scenario: Memo<String>) -> impl IntoView {
    let notices = use_notices();
    let summary = move || host.summary.get();
    let loaded_bundled = move || {
        host.source
            .with(|s| {
                s.as_deref()
                    .and_then(|s| s.strip_prefix(BUNDLED_SOURCE))
                    .map(str::to_string)
            })
            .unwrap_or_default()
    };
    // The tab's policy, if it was trained on another scenario than the one on screen.
    let elsewhere = move || host.trained_on.get().filter(|s| *s != scenario.get());
    let use_bundled = move |name: String| {
        let Some((file, text)) = host.bundled.iter().find(|(f, _)| *f == name) else {
            return;
        };
        let source = format!("{BUNDLED_SOURCE}{file}");
        if let Err(e) = host
            .load
            .run((file.to_string(), text.to_string(), Some(source)))
        {
            refuse(notices, &e);
        }
    };
    let export = move |_| {
        if let Some((name, text)) = host.file.run(()) {
            if let Err(e) = download(&name, "application/json", &text) {
                notices.error(e);
            }
        }
    };
    let play_elsewhere = move |_| host.play_tab.run(());

    view! {
        <div class="control-row policy-source">
            <FileButton
                label="Load policy…"
                accept=".json,application/json"
                testid="policy-file"
                on_files=move |files| {
                    files.into_iter().for_each(|f| read_policy_file(host, notices, f))
                }
            />
            <label>
                "Bundled"
                <select
                    data-testid="policy-bundled"
                    disabled=move || bundled_for(host.bundled, &scenario.get()).is_empty()
                    on:change=move |ev| use_bundled(event_target_value(&ev))
                >
                    <option value="" prop:selected=move || loaded_bundled().is_empty()>
                        {move || {
                            if bundled_for(host.bundled, &scenario.get()).is_empty() {
                                format!("none for {}", scenario.get())
                            } else {
                                "choose an example…".to_string()
                            }
                        }}
                    </option>
                    {move || {
                        bundled_for(host.bundled, &scenario.get())
                            .into_iter()
                            .map(|name| {
                                view! {
                                    <option value=name prop:selected=move || loaded_bundled() == name>
                                        {name}
                                    </option>
                                }
                            })
                            .collect_view()
                    }}
                </select>
            </label>
            <button
                data-testid="policy-export"
                disabled=move || host.summary.with(Option::is_none)
                on:click=export
                title="Save the tab's policy as a JSON file the CLI reads"
            >
                "Export policy"
            </button>
        </div>
        <p class="hint">"Or drop a policy file (.json) anywhere on this panel."</p>
        {move || match summary() {
            Some(summary) => {
                view! {
                    <p class="policy-summary">
                        "Tab's policy: " <span data-testid="policy-summary">{summary}</span>
                    </p>
                }
                    .into_any()
            }
            None => {
                view! {
                    <EmptyState
                        title="No policy loaded."
                        hint="Load a policy file, drop one here, pick a bundled example, or train one in the Train panel."
                    />
                }
                    .into_any()
            }
        }}
        {move || {
            elsewhere()
                .map(|other| {
                    view! {
                        <p class="policy-elsewhere" data-testid="policy-elsewhere">
                            {format!(
                                "This policy was trained on scenario {other}, not {}: it is kept, but cannot play or be inspected here. ",
                                scenario.get(),
                            )}
                            <button on:click=play_elsewhere>{format!("Play it on {other}")}</button>
                        </p>
                    }
                })
        }}
    }
}

/// The states the tab's policy met in training, with the action it picks in each (and, where
/// the environment asks, [`LearningHost::TABLE_VALUES`], the value of every action there).
#[component]
fn VisitedStates(
    /// The environment on screen (its table's note and columns) and the tab's policy.
    host: PolicyHost,
    current: Memo<Option<usize>>,
) -> impl IntoView {
    let (hint, values, rows) = (host.hint, host.table_values, host.rows);
    let show_all = RwSignal::new(false);
    // Only the rows that stop or start being the current one hear of a change of state.
    let is_current = StoredValue::new(Selector::new(move || current.get()));
    let shown = move || {
        let n = if show_all.get() {
            usize::MAX
        } else {
            TOP_STATES
        };
        rows.with(|r| r.iter().take(n).cloned().collect::<Vec<_>>())
    };
    // Where the state on screen sits in the table; it changes only with the state.
    let where_now = move || {
        let state = current.get()?;
        let rank = rows.with(|r| r.iter().position(|row| row.state == state));
        let visits = rank.map(|k| rows.with(|r| r[k].visits));
        Some(match (rank, visits) {
            (Some(k), Some(v)) if k < TOP_STATES || show_all.get() => {
                format!("Now in state {state}, visited {v} times in training (highlighted).")
            }
            (Some(k), Some(v)) => format!(
                "Now in state {state}, visited {v} times in training: number {} by visits, below the {TOP_STATES} shown.",
                k + 1
            ),
            _ => format!(
                "Now in state {state}, which training never visited: the policy's values there are untrained guesses."
            ),
        })
    };

    view! {
        <Show when=move || rows.with(|r| !r.is_empty())>
            <section class="policy-states-wrap" aria-labelledby="policy-states-heading">
                <h3 id="policy-states-heading">"What it learned"</h3>
                // The caption sits outside the table, so it wraps to the panel, not to a table
                // that may scroll sideways on a narrow screen.
                <p id="policy-states-why" class="hint">{hint}</p>
                <div class="policy-states-scroll">
                    <table
                        class="policy-states"
                        data-testid="policy-states"
                        aria-labelledby="policy-states-heading"
                        aria-describedby="policy-states-why"
                    >
                        <thead>
                            <tr>
                                {move || {
                                    rows.with(|r| {
                                        r.first()
                                            .map(|row| {
                                                row.features
                                                    .iter()
                                                    .map(|(name, _)| view! { <th scope="col">{*name}</th> })
                                                    .collect_view()
                                            })
                                    })
                                }}
                                {values
                                    .then(|| {
                                        host.actions
                                            .iter()
                                            .map(|a| view! { <th scope="col" class="num">{format!("value of {a}")}</th> })
                                            .collect_view()
                                    })}
                                <th scope="col" class="num">"visits"</th>
                                <th scope="col">"greedy action"</th>
                            </tr>
                        </thead>
                        <tbody>
                            <For
                                each=shown
                                key=|r| (r.state, r.visits, r.greedy)
                                children=move |r| {
                                    let state = r.state;
                                    view! {
                                        <tr
                                            data-testid="policy-state"
                                            data-state=state
                                            data-current=move || {
                                                is_current
                                                    .with_value(|s| s.selected(&Some(state)))
                                                    .then_some("true")
                                            }
                                        >
                                            {r.features.iter().map(|(_, v)| view! { <td>{*v}</td> }).collect_view()}
                                            {values
                                                .then(|| {
                                                    r.values
                                                        .iter()
                                                        .map(|v| view! { <td class="num" data-testid="policy-state-value">{format!("{v:.2}")}</td> })
                                                        .collect_view()
                                                })}
                                            <td class="num">{r.visits}</td>
                                            <td>{r.greedy}</td>
                                        </tr>
                                    }
                                }
                            />
                        </tbody>
                    </table>
                </div>
                <p class="hint" data-testid="policy-state-now">{where_now}</p>
                <Show when=move || rows.with(|r| r.len() > TOP_STATES)>
                    <button data-testid="policy-states-toggle" on:click=move |_| show_all.update(|s| *s = !*s)>
                        {move || {
                            if show_all.get() {
                                format!("Show the {TOP_STATES} most visited")
                            } else {
                                format!("Show all {} states", rows.with(Vec::len))
                            }
                        }}
                    </button>
                </Show>
            </section>
        </Show>
    }
}
