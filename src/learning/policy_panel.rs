//! The tab's policy: where it came from (a file chosen or dropped, a bundled example, the
//! Train panel), and why it acts as it does: what it sees in the observation on screen, the
//! value it gives each of the seven abstract actions, and the states it learned in. It explains
//! the policy whoever plays, so a person playing as Human can hold their move against its.
//!
//! The panel re-renders while an agent plays at full speed, so everything that changes per
//! step is fine-grained: the inspection is one memo, each bar of the chart its own memo, and
//! the visited-states table is only rebuilt when the policy changes (the current row is picked
//! out by a selector, touching two rows per change of state).

use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen_futures::JsFuture;
use ztgym::features::FEATURES;
use ztgym::policy::Inspection;

use crate::shell::panel::{EmptyState, Panel};
use crate::shell::download::download;
use crate::learning::policy_store::{check_size, LoadedPolicy, BUNDLED};
use crate::envs::sre::gym::{use_playground, Notice, Playground};
use crate::envs::sre::run_settings::AgentChoice;

/// Rows of the visited-states table shown until the person asks for all of them.
const TOP_STATES: usize = 25;

/// How a bundled policy's source starts, so the Bundled control can show which one is loaded
/// (and a file of the same name chosen from disk is not mistaken for it).
const BUNDLED_SOURCE: &str = "bundled ";

/// The bundled policies trained on `scenario`. Their file names start with the scenario's
/// (`classic-q.json`), which `policy_store`'s tests hold them to; no parsing needed.
fn bundled_for(scenario: &str) -> Vec<&'static str> {
    BUNDLED
        .iter()
        .map(|(name, _)| *name)
        .filter(|name| {
            name.strip_prefix(scenario)
                .is_some_and(|rest| rest.starts_with('-'))
        })
        .collect()
}

/// Whether a drag brings files (not, say, text selected on the page): only those are taken.
fn carries_files(ev: &web_sys::DragEvent) -> bool {
    ev.data_transfer()
        .is_some_and(|dt| dt.types().includes(&"Files".into(), 0))
}

/// A target node's name, or a dash for none.
fn target(node: &Option<String>) -> String {
    node.clone().unwrap_or_else(|| "–".into())
}

fn report(pg: Playground, text: String) {
    pg.notice.set(Some(Notice { error: true, text }));
}

/// Reads a chosen or dropped file and hands its text to [`Playground::load_policy_file`],
/// which reports every problem in the policy. A file too large or unreadable is reported here,
/// by name, and changes nothing.
fn read_policy_file(pg: Playground, file: web_sys::File) {
    let name = file.name();
    if let Err(e) = check_size(&name, file.size() as usize) {
        pg.refuse_policy(&e);
        return;
    }
    spawn_local(async move {
        let text = JsFuture::from(file.text()).await;
        if pg.notice.is_disposed() {
            return; // the page was taken down while the browser read the file
        }
        match text.ok().and_then(|t| t.as_string()) {
            Some(text) => pg.load_policy_file(&name, &text),
            None => pg.refuse_policy(&format!(
                "{name}: the browser could not read the file (moved, deleted or not allowed?)"
            )),
        }
    });
}

#[component]
pub fn PolicyPanel() -> impl IntoView {
    let pg = use_playground();
    // Tracks only a change of scenario, not every step.
    let scenario = Memo::new(move |_| {
        pg.scenario_version.track();
        pg.peek(|s| s.settings().scenario.clone())
    });
    // What the policy would do on the observation on screen (the replayed one if replaying).
    // `None` without a policy for this scenario.
    let inspection = Memo::new(move |_| {
        let k = pg.replay.get();
        pg.read(|s| s.inspect(k))
    });
    let current_state = Memo::new(move |_| inspection.with(|i| i.as_ref().map(|i| i.state)));
    // Children fire their own enter and leave events while a file is dragged over them.
    let drag_depth = RwSignal::new(0_i32);

    let on_drag_enter = move |ev: web_sys::DragEvent| {
        if carries_files(&ev) {
            ev.prevent_default();
            drag_depth.update(|d| *d += 1);
        }
    };
    let on_drag_over = move |ev: web_sys::DragEvent| {
        if carries_files(&ev) {
            // Accepts the drop: without this the browser opens the file instead.
            ev.prevent_default();
            if let Some(dt) = ev.data_transfer() {
                dt.set_drop_effect("copy");
            }
        }
    };
    let on_drag_leave = move |ev: web_sys::DragEvent| {
        if carries_files(&ev) {
            drag_depth.update(|d| *d = (*d - 1).max(0));
        }
    };
    let on_drop = move |ev: web_sys::DragEvent| {
        ev.prevent_default();
        drag_depth.set(0);
        match ev
            .data_transfer()
            .and_then(|dt| dt.files())
            .and_then(|f| f.get(0))
        {
            Some(file) => read_policy_file(pg, file),
            None => report(
                pg,
                "Nothing was loaded: drop a policy file (.json) on the Policy panel.".into(),
            ),
        }
    };
    let dragging = move || drag_depth.get() > 0;

    view! {
        <div
            class="policy-drop-zone"
            class:dragging=dragging
            data-testid="policy-drop-zone"
            on:dragenter=on_drag_enter
            on:dragover=on_drag_over
            on:dragleave=on_drag_leave
            on:drop=on_drop
        >
            <Panel id="policy" title="Policy" class="panel-policy">
                <PolicySource scenario=scenario />
                <Show
                    when=move || inspection.with(Option::is_some)
                    fallback=move || {
                        view! { <NoInspection scenario=scenario /> }
                    }
                >
                    <PolicyInspection inspection=inspection />
                </Show>
                <VisitedStates current=current_state />
            </Panel>
        </div>
    }
}

/// Load, pick a bundled example, export; and which policy the tab has.
#[component]
fn PolicySource(scenario: Memo<String>) -> impl IntoView {
    let pg = use_playground();
    let summary = move || pg.policy(|p| p.map(LoadedPolicy::summary));
    let loaded_bundled = move || {
        pg.policy(|p| {
            p.and_then(|l| l.source.strip_prefix(BUNDLED_SOURCE))
                .map(str::to_string)
        })
        .unwrap_or_default()
    };
    // The tab's policy, if it was trained on another scenario than the one on screen.
    let elsewhere = move || {
        pg.policy(|p| p.map(|l| l.policy.scenario.clone()))
            .filter(|s| *s != scenario.get())
    };
    let use_bundled = move |name: String| {
        let Some((file, text)) = BUNDLED.iter().find(|(f, _)| *f == name) else {
            return;
        };
        match LoadedPolicy::from_file(file, text, &scenario.get_untracked()) {
            Ok(mut loaded) => {
                loaded.source = format!("{BUNDLED_SOURCE}{file}");
                pg.use_policy(loaded);
            }
            Err(e) => pg.refuse_policy(&e),
        }
    };
    let export = move |_| {
        let file = pg.policy(|p| p.map(|l| (l.export_name(), l.text.clone())));
        if let Some((name, text)) = file {
            if let Err(e) = download(&name, "application/json", &text) {
                report(pg, e);
            }
        }
    };
    let play_elsewhere = move |_| {
        if let Some(loaded) = pg.policy(|p| p.cloned()) {
            pg.use_policy(loaded);
        }
    };

    view! {
        <div class="control-row policy-source">
            <label class="file-button">
                "Load policy…"
                <input
                    type="file"
                    accept=".json,application/json"
                    class="visually-hidden"
                    data-testid="policy-file"
                    on:change=move |ev| {
                        let input: web_sys::HtmlInputElement = event_target(&ev);
                        if let Some(file) = input.files().and_then(|f| f.get(0)) {
                            read_policy_file(pg, file);
                        }
                        // Choosing the same file again (after fixing it) loads it again.
                        input.set_value("");
                    }
                />
            </label>
            <label>
                "Bundled"
                <select
                    data-testid="policy-bundled"
                    disabled=move || bundled_for(&scenario.get()).is_empty()
                    on:change=move |ev| use_bundled(event_target_value(&ev))
                >
                    <option value="" prop:selected=move || loaded_bundled().is_empty()>
                        {move || {
                            if bundled_for(&scenario.get()).is_empty() {
                                format!("none for {}", scenario.get())
                            } else {
                                "choose an example…".to_string()
                            }
                        }}
                    </option>
                    {move || {
                        bundled_for(&scenario.get())
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
                disabled=move || pg.policy(|p| p.is_none())
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

/// Said instead of the inspection when the session has no policy for its scenario.
#[component]
fn NoInspection(scenario: Memo<String>) -> impl IntoView {
    let pg = use_playground();
    let has_policy = move || pg.policy(|p| p.is_some());
    view! {
        <Show when=has_policy>
            <p class="hint">
                {move || format!("Load a policy for {} to see what it would do here.", scenario.get())}
            </p>
        </Show>
    }
}

/// One bar of the value chart: where it sits on a track whose middle is zero, scaled so the
/// largest |value| reaches an end. Compared, so a bar's DOM is only touched when it changes.
#[derive(Clone, Debug, PartialEq)]
struct Bar {
    /// Left edge and width, in percent of the track.
    left: f64,
    width: f64,
    value: f64,
    chosen: bool,
    masked: bool,
    breaks_rule: bool,
}

impl Bar {
    fn of(i: &Inspection, a: usize) -> Bar {
        let scale = i
            .values
            .iter()
            .map(|v| v.abs())
            .filter(|v| v.is_finite())
            .fold(0.0, f64::max);
        let value = i.values[a];
        let half = if scale > 0.0 && value.is_finite() {
            (value.abs() / scale * 50.0).min(50.0)
        } else {
            0.0
        };
        Bar {
            left: if value < 0.0 { 50.0 - half } else { 50.0 },
            width: half,
            value,
            chosen: i.chosen == a,
            masked: i.masked[a],
            breaks_rule: i.breaks_rule[a],
        }
    }

    /// The marks read out with the bar: `chosen`, `masked`, `breaks a rule`.
    fn marks(&self) -> String {
        [
            (self.chosen, "chosen"),
            (self.masked, "masked"),
            (self.breaks_rule, "breaks a rule"),
        ]
        .iter()
        .filter(|(on, _)| *on)
        .map(|(_, mark)| *mark)
        .collect::<Vec<_>>()
        .join(" · ")
    }
}

/// What the policy sees and would do on the observation on screen. Only mounted while there is
/// an inspection.
#[component]
fn PolicyInspection(inspection: Memo<Option<Inspection>>) -> impl IntoView {
    let pg = use_playground();
    let agent = Memo::new(move |_| pg.read(|s| s.settings().agent));
    let done = Memo::new(move |_| pg.read(|s| s.done()));
    let heading = move || match pg.replay.get() {
        Some(k) => format!("What the policy would do after step {k} of this episode"),
        None => "What the policy would do now".to_string(),
    };
    let who = move || {
        let replaying = pg.replay.get().is_some();
        match (agent.get(), replaying, done.get()) {
            (_, false, true) => {
                "The episode is over: move the replay slider to see what it would have done at each step."
            }
            (AgentChoice::Policy, false, _) => "It plays as the agent: this is its next step.",
            (AgentChoice::Policy, true, _) => "It played this episode: this is the step it took.",
            (AgentChoice::Human, _, _) => {
                "You play: this is what the policy would do in your place."
            }
            _ => "Another agent plays: this is what the policy would do in its place.",
        }
    };
    let with = move |f: fn(&Inspection) -> String| {
        move || inspection.with(|i| i.as_ref().map(f).unwrap_or_default())
    };
    let names =
        inspection.with_untracked(|i| i.as_ref().map(|i| i.actions.clone()).unwrap_or_default());

    view! {
        <section class="policy-inspection" aria-labelledby="policy-inspection-heading">
            <h3 id="policy-inspection-heading">{heading}</h3>
            <p class="hint" data-testid="policy-who">{who}</p>
            <ul class="policy-features" aria-label="What the policy sees" data-testid="policy-features">
                {FEATURES
                    .iter()
                    .enumerate()
                    .map(|(j, spec)| {
                        let value = move || inspection.with(|i| i.as_ref().map(|i| i.features[j].1).unwrap_or(""));
                        view! {
                            <li class="chip">
                                <span class="chip-name">{spec.name}</span>
                                ": "
                                <strong>{value}</strong>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
            <dl class="policy-targets">
                <div>
                    <dt>"Suspect"</dt>
                    <dd data-testid="policy-suspect">{with(|i| target(&i.suspect))}</dd>
                </div>
                <div>
                    <dt>"Ticket on"</dt>
                    <dd data-testid="policy-to-ticket">{with(|i| target(&i.to_ticket))}</dd>
                </div>
                <div>
                    <dt>"Contain"</dt>
                    <dd data-testid="policy-to-contain">{with(|i| target(&i.to_contain))}</dd>
                </div>
            </dl>
            <p class="policy-action">
                "Action it would send: "
                <code data-testid="policy-action">{with(|i| i.action.to_string())}</code>
            </p>
            <ol class="policy-chart" aria-label="The value of each action (higher is better)" data-testid="policy-chart">
                {names
                    .into_iter()
                    .enumerate()
                    .map(|(a, name)| view! { <ValueBar inspection=inspection index=a name=name /> })
                    .collect_view()}
            </ol>
        </section>
    }
}

/// One action's row of the chart.
#[component]
fn ValueBar(
    inspection: Memo<Option<Inspection>>,
    index: usize,
    name: &'static str,
) -> impl IntoView {
    let bar = Memo::new(move |_| inspection.with(|i| i.as_ref().map(|i| Bar::of(i, index))));
    let flag = move |f: fn(&Bar) -> bool| move || bar.with(|b| b.as_ref().is_some_and(f));
    view! {
        <li
            class="policy-bar"
            class:chosen=flag(|b| b.chosen)
            class:masked=flag(|b| b.masked)
            class:breaks=flag(|b| b.breaks_rule)
            data-testid="policy-bar"
            data-action=name
        >
            <span class="bar-name">{name}</span>
            <span class="bar-track" aria-hidden="true">
                <span
                    class="bar-fill"
                    style:left=move || bar.with(|b| format!("{:.2}%", b.as_ref().map_or(50.0, |b| b.left)))
                    style:width=move || bar.with(|b| format!("{:.2}%", b.as_ref().map_or(0.0, |b| b.width)))
                ></span>
            </span>
            <span class="bar-value">{move || bar.with(|b| b.as_ref().map(|b| format!("{:.2}", b.value)).unwrap_or_default())}</span>
            <span class="bar-marks" data-testid="policy-bar-marks">{move || bar.with(|b| b.as_ref().map(Bar::marks).unwrap_or_default())}</span>
        </li>
    }
}

/// The states the tab's policy met in training, with the action it picks in each.
#[component]
fn VisitedStates(current: Memo<Option<usize>>) -> impl IntoView {
    let pg = use_playground();
    let rows =
        Memo::new(move |_| pg.policy(|p| p.map(|l| l.policy.visited_states()).unwrap_or_default()));
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
                <p id="policy-states-why" class="hint">
                    "The states training visited, most visited first, and the action the policy picks in each. To see why a trained agent waits for approval before isolating, follow the ticket column: in a good policy, isolate is the greedy action only where the ticket is isolate_approved."
                </p>
                <div class="policy-states-scroll">
                    <table
                        class="policy-states"
                        data-testid="policy-states"
                        aria-labelledby="policy-states-heading"
                        aria-describedby="policy-states-why"
                    >
                        <thead>
                            <tr>
                                {FEATURES
                                    .iter()
                                    .map(|f| view! { <th scope="col">{f.name}</th> })
                                    .collect_view()}
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

#[cfg(test)]
mod tests {
    use super::*;
    use ztgym::policy::PolicyAgent;
    use ztgym::{Env, ResetOptions, Scenario};

    #[test]
    fn bundled_policies_are_offered_for_their_scenario_only() {
        assert_eq!(
            bundled_for("classic"),
            [
                "classic-q-lagrangian.json",
                "classic-q.json",
                "classic-bandit.json"
            ]
        );
        assert_eq!(bundled_for("enterprise"), ["enterprise-q-lagrangian.json"]);
        assert!(
            bundled_for("class").is_empty(),
            "a prefix is not a scenario"
        );
        for name in bundled_for("classic") {
            let text = BUNDLED.iter().find(|(n, _)| *n == name).unwrap().1;
            assert!(LoadedPolicy::from_file(name, text, "classic").is_ok());
        }
    }

    fn first_inspection() -> Inspection {
        let (name, text) = BUNDLED[0];
        let loaded = LoadedPolicy::from_file(name, text, "classic").unwrap();
        let scenario = Scenario::builtin("classic").unwrap();
        let mut env = Env::new(scenario.clone());
        let (obs, _) = env.reset(3, ResetOptions::default());
        PolicyAgent::new(&loaded.policy, &scenario)
            .unwrap()
            .inspect(&obs)
    }

    #[test]
    fn bars_grow_from_the_middle_and_the_largest_reaches_an_end() {
        let mut i = first_inspection();
        i.values = vec![10.0, -20.0, 5.0, 0.0, -20.0, 20.0, 1.0];
        let bars: Vec<Bar> = (0..7).map(|a| Bar::of(&i, a)).collect();
        assert_eq!((bars[0].left, bars[0].width), (50.0, 25.0));
        assert_eq!((bars[1].left, bars[1].width), (0.0, 50.0));
        assert_eq!((bars[3].left, bars[3].width), (50.0, 0.0));
        assert_eq!((bars[5].left, bars[5].width), (50.0, 50.0));
        assert_eq!(bars.iter().filter(|b| b.chosen).count(), 1);

        i.values = vec![0.0; 7];
        assert_eq!(
            Bar::of(&i, 2).width,
            0.0,
            "all zero: no bar, no division by zero"
        );
    }

    #[test]
    fn marks_name_the_chosen_masked_and_rule_breaking_actions() {
        let i = first_inspection();
        let marks: Vec<String> = (0..7).map(|a| Bar::of(&i, a).marks()).collect();
        assert!(marks[i.chosen].starts_with("chosen"), "{marks:?}");
        let isolate = i.actions.iter().position(|a| *a == "isolate").unwrap();
        assert!(
            marks[isolate].contains("breaks a rule"),
            "isolating at reset has no approved ticket: {marks:?}"
        );
    }
}
