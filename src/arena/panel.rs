//! The Arena panel, below each environment's stage: pick agents (built-in, bundled with the
//! page, the tab's policy, policy files loaded here) and seeds, rank them in the arena worker,
//! and read the table with its intervals; each seed where the agents differ most is one click
//! from watching an agent play it on the stage. The table copies and downloads as CSV and
//! Markdown; the arena rides in a link. In each environment's tab (not a tab of its own): the
//! agents, the scenario, the tab's trained policy and the stage to watch on are all there.

use super::client::{ArenaClient, Status};
use super::export::{shown, to_csv, to_markdown, INTERVALS};
use super::job::{AgentSpec, ArenaRequest, MAX_AGENTS};
use super::link::{ArenaLink, LinkAgent};
use super::pending::PendingArena;
use super::ranking::Ranking;
use super::seeds::{format_seeds, parse_seeds};
use crate::learning::host::LearningHost;
use crate::learning::policy_panel::bundled_for;
use crate::learning::policy_store::{check_size, use_tab_policy, LoadedPolicyOf};
use crate::play::decider::Decider;
use crate::play::link_settings::LinkSettings;
use crate::play::page_session::LinkedSession;
use crate::play::player::use_player;
use crate::play::state::PageState;
use crate::shell::copy_button::CopyButton;
use crate::shell::download::download;
use crate::shell::files::read_text;
use crate::shell::notices::{provide_panel_notices, NoticeBar, Notices};
use crate::shell::panel::Panel;
use leptos::prelude::*;
use leptos::task::spawn_local;

/// The most policy files loaded into one arena.
const MAX_FILES: usize = 4;

/// An agent the panel offers: its key (checkbox and order), label, what the worker plays and
/// how a link names it.
#[derive(Clone, Debug, PartialEq)]
struct Entry {
    key: String,
    label: String,
    spec: AgentSpec,
    link: LinkAgent,
}

/// The panel's view of the environment on screen, its types erased (one copy of the panel for
/// every environment).
#[derive(Clone, Copy)]
struct ArenaHost {
    env: &'static str,
    scenario: Memo<String>,
    builtin: &'static [(&'static str, &'static str)],
    bundled: &'static [(&'static str, &'static str)],
    /// The tab's policy (trained here or loaded in the Policy panel) if it plays the scenario
    /// on screen: its source and text.
    tab_policy: Signal<Option<(String, String)>>,
    /// Reads a policy file for the scenario on screen; the error says why not.
    check: Callback<(String, String), Result<(), String>>,
    /// Shows agent `spec` playing `seed` on the stage.
    watch: Callback<(AgentSpec, u64), Result<(), String>>,
}

impl ArenaHost {
    fn of<H: LearningHost, S: LinkedSession>(host: H, state: PageState<S>) -> ArenaHost {
        let scenario = Memo::new(move |_| host.scenario());
        let tab = use_tab_policy::<H::Adapter>();
        let deciders = <S::Settings as LinkSettings>::DECIDERS;
        let player = use_player();
        ArenaHost {
            env: H::ENV,
            scenario,
            builtin: deciders.builtin,
            bundled: H::BUNDLED,
            tab_policy: Signal::derive(move || {
                let on_screen = scenario.get();
                tab.with(|p| {
                    p.filter(|l| l.policy.scenario == on_screen)
                        .map(|l| (l.source.clone(), l.text.clone()))
                })
            }),
            check: Callback::new(move |(name, text): (String, String)| {
                LoadedPolicyOf::<H::Adapter>::from_file(&name, &text, &scenario.get_untracked())
                    .map(|_| ())
            }),
            watch: Callback::new(move |(spec, seed): (AgentSpec, u64)| {
                match spec {
                    AgentSpec::Builtin { name } => {
                        let agent = Decider::parse(&name, deciders)
                            .ok_or_else(|| format!("{name:?} is not an agent of this tab"))?;
                        state.update(|s| {
                            s.set_agent(agent);
                            s.set_seed(seed);
                        });
                    }
                    AgentSpec::Policy { label, text } => {
                        let loaded = LoadedPolicyOf::<H::Adapter>::from_file(
                            &label,
                            &text,
                            &scenario.get_untracked(),
                        )?;
                        host.use_policy(loaded);
                        state.update(|s| s.set_seed(seed));
                    }
                }
                player.play(state);
                if let Some(stage) = document().get_element_by_id("main") {
                    stage.scroll_into_view();
                }
                Ok(())
            }),
        }
    }

    /// Every agent on offer: built-in, bundled for the scenario, the tab's policy, files.
    fn entries(&self, files: &[(String, String)]) -> Vec<Entry> {
        let mut all: Vec<Entry> = self
            .builtin
            .iter()
            .map(|(name, label)| Entry {
                key: format!("builtin:{name}"),
                label: format!("{label} ({name})"),
                spec: AgentSpec::Builtin {
                    name: name.to_string(),
                },
                link: LinkAgent::Builtin(name.to_string()),
            })
            .collect();
        for file in bundled_for(self.bundled, &self.scenario.get()) {
            let text = self
                .bundled
                .iter()
                .find(|(f, _)| *f == file)
                .map(|(_, t)| *t);
            let name = file.strip_suffix(".json").unwrap_or(file);
            all.push(Entry {
                key: format!("bundled:{name}"),
                label: format!("bundled {file}"),
                spec: AgentSpec::Policy {
                    label: format!("bundled {file}"),
                    text: text.unwrap_or_default().to_string(),
                },
                link: LinkAgent::Bundled(name.to_string()),
            });
        }
        if let Some((source, text)) = self.tab_policy.get() {
            let label = format!("this tab's policy ({source})");
            all.push(Entry {
                key: "tab".into(),
                label: label.clone(),
                spec: AgentSpec::Policy {
                    label: label.clone(),
                    text: text.clone(),
                },
                link: LinkAgent::Policy { label, text },
            });
        }
        for (i, (name, text)) in files.iter().enumerate() {
            all.push(Entry {
                key: format!("file:{i}"),
                label: name.clone(),
                spec: AgentSpec::Policy {
                    label: name.clone(),
                    text: text.clone(),
                },
                link: LinkAgent::Policy {
                    label: name.clone(),
                    text: text.clone(),
                },
            });
        }
        all
    }
}

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
                <label class="file-button">
                    "Add policy file…"
                    <input
                        type="file"
                        accept=".json,application/json"
                        class="visually-hidden"
                        data-testid="arena-policy-file"
                        on:change=move |ev| {
                            let input: web_sys::HtmlInputElement = event_target(&ev);
                            if let Some(file) = input.files().and_then(|f| f.get(0)) {
                                load_file(file);
                            }
                            input.set_value("");
                        }
                    />
                </label>
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

/// The ranked table, the seeds where the agents differ most, the exports and the link.
#[component]
fn ArenaTable(
    host: ArenaHost,
    ranking: Ranking,
    ranked: RwSignal<Vec<Entry>>,
    notices: Notices,
) -> impl IntoView {
    let csv = to_csv(&ranking);
    let markdown = to_markdown(&ranking);
    let stem = format!("arena-{}-{}", ranking.env, ranking.scenario);
    let scored = ranking.scored;
    let ranked_on = StoredValue::new(ranking.scenario.clone());
    let watch = move |agent: usize, seed: u64| {
        let Some(entry) = ranked.with_untracked(|r| r.get(agent).cloned()) else {
            return;
        };
        // The stage plays the scenario on screen: it must be the one ranked.
        if host.scenario.get_untracked() != ranked_on.get_value() {
            notices.error(format!(
                "This arena ranked {}; pick it again in the run controls to watch its seeds.",
                ranked_on.get_value()
            ));
            return;
        }
        if let Err(e) = host.watch.run((entry.spec, seed)) {
            notices.error(format!("Could not watch {}: {e}", entry.label));
        }
    };
    let link = {
        let seeds = ranking.seeds.clone();
        move || share_link(ranked.get(), seeds.clone())
    };
    let download_as = move |name: String, mime: &'static str, text: String| {
        move |_| {
            if let Err(e) = download(&name, mime, &text) {
                notices.error(e);
            }
        }
    };
    let rows = ranking.rows.clone();
    let labels: Vec<String> = rows.iter().map(|r| r.label.clone()).collect();
    let agents_in_row_order: Vec<usize> = rows.iter().map(|r| r.agent).collect();
    view! {
        <div class="table-scroll">
        <table class="arena-table" data-testid="arena-table">
            <caption>
                {format!(
                    "{} agents on {} seeds ({}) of {}",
                    ranking.rows.len(),
                    ranking.seeds.len(),
                    format_seeds(&ranking.seeds),
                    ranking.scenario
                )}
            </caption>
            <thead>
                <tr>
                    <th scope="col">"Rank"</th>
                    <th scope="col">"Agent"</th>
                    <th scope="col">"Episodes"</th>
                    <th scope="col">"Mean return"</th>
                    <th scope="col">"Mean cost"</th>
                    <th scope="col">"Success rate"</th>
                    {scored.then(|| view! { <th scope="col">"Mean score"</th> })}
                </tr>
            </thead>
            <tbody>
                {rows
                    .into_iter()
                    .map(|r| {
                        view! {
                            <tr data-testid="arena-row" data-agent=r.label.clone()>
                                <td>{r.rank}</td>
                                <th scope="row">{r.label.clone()}</th>
                                <td>{r.episodes}</td>
                                <td data-testid="arena-return" data-value=r.mean_return.value.to_string()>
                                    {shown(&r.mean_return, 2)}
                                </td>
                                <td data-testid="arena-cost" data-value=r.mean_cost.value.to_string()>
                                    {shown(&r.mean_cost, 2)}
                                </td>
                                <td data-testid="arena-success" data-value=r.success_rate.value.to_string()>
                                    {shown(&r.success_rate, 3)}
                                </td>
                                {r.mean_score.map(|s| view! {
                                    <td data-testid="arena-score" data-value=s.value.to_string()>
                                        {shown(&s, 3)}
                                    </td>
                                })}
                            </tr>
                        }
                    })
                    .collect_view()}
            </tbody>
        </table>
        </div>
        <p class="hint">{INTERVALS}"."</p>
        {(!ranking.differ.is_empty()).then(|| {
            let differ = ranking.differ.clone();
            view! {
                <h3 class="arena-subtitle">"Seeds where they differ most (return; click to watch)"</h3>
                <div class="table-scroll">
                <table class="arena-table arena-differ" data-testid="arena-differ">
                    <thead>
                        <tr>
                            <th scope="col">"Seed"</th>
                            <th scope="col">"Spread"</th>
                            {labels.iter().map(|l| view! { <th scope="col">{l.clone()}</th> }).collect_view()}
                        </tr>
                    </thead>
                    <tbody>
                        {differ
                            .into_iter()
                            .map(|d| {
                                let seed = d.seed;
                                let agents = agents_in_row_order.clone();
                                view! {
                                    <tr data-testid="arena-differ-row" data-seed=seed.to_string()>
                                        <th scope="row">{seed}</th>
                                        <td>{format!("{:.2}", d.spread)}</td>
                                        {d
                                            .returns
                                            .iter()
                                            .zip(agents)
                                            .map(|(x, agent)| {
                                                view! {
                                                    <td>
                                                        <button
                                                            type="button"
                                                            class="arena-watch"
                                                            data-testid="arena-watch"
                                                            title="Watch this agent play this seed on the stage"
                                                            on:click=move |_| watch(agent, seed)
                                                        >
                                                            {format!("{x:.2}")}
                                                        </button>
                                                    </td>
                                                }
                                            })
                                            .collect_view()}
                                    </tr>
                                }
                            })
                            .collect_view()}
                    </tbody>
                </table>
                </div>
            }
        })}
        <div class="control-row arena-exports">
            <span>"CSV"</span>
            <CopyButton text=Signal::stored(csv.clone()) label="Copy the table as CSV" test_id="arena-copy-csv" />
            <button type="button" data-testid="arena-download-csv" on:click=download_as(format!("{stem}.csv"), "text/csv", csv)>
                "Download"
            </button>
            <span>"Markdown"</span>
            <CopyButton text=Signal::stored(markdown.clone()) label="Copy the table as Markdown" test_id="arena-copy-md" />
            <button type="button" data-testid="arena-download-md" on:click=download_as(format!("{stem}.md"), "text/markdown", markdown)>
                "Download"
            </button>
        </div>
        {move || match link() {
            Ok(url) => view! {
                <div class="control-row arena-link">
                    <label>
                        "Link to this arena"
                        <input type="text" readonly data-testid="arena-link" prop:value=url.clone() />
                    </label>
                    <CopyButton text=Signal::stored(url) label="Copy the arena's link" test_id="arena-copy-link" />
                </div>
            }
            .into_any(),
            Err(e) => view! {
                <p class="hint" data-testid="arena-link-refused">
                    {format!("No link for this arena: {e}.")}
                </p>
            }
            .into_any(),
        }}
    }
}

/// The page's address with the run's link and the arena's fields, or why the arena cannot ride
/// in a link.
fn share_link(entries: Vec<Entry>, seeds: Vec<u64>) -> Result<String, String> {
    let arena = ArenaLink {
        agents: entries.into_iter().map(|e| e.link).collect(),
        seeds,
    };
    let fields = arena.fields()?;
    let location = window().location();
    let base = format!(
        "{}{}",
        location.origin().unwrap_or_default(),
        location.pathname().unwrap_or_default()
    );
    let hash = location.hash().unwrap_or_default();
    let mut hash = hash.trim_start_matches('#').to_string();
    for (k, v) in fields {
        hash.push_str(&format!("&{k}={v}"));
    }
    Ok(format!("{base}#{hash}"))
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
