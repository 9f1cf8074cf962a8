//! The Rego panel: edit the policy in force and see what it decides. Any page whose gate is a
//! Rego policy hosts it (the SRE gym's Gate tab, the Hardening tab); the page says what is in
//! force, what the gate saw, and how to put a text in force.
//!
//! An edit goes in force only when it loads cleanly (Apply, or Ctrl+Enter): a syntax error or
//! a refused builtin is shown at its line (`rego-error`, the line marked in the gutter) while
//! the last good policy stays in force and the draft stays in the editor. The decision on the
//! gate's input and the `test_` rules run in the Rego worker ([`super::client`]), stopped after
//! a time limit, so a runaway policy never freezes the page.

use super::client::{Answer, Kind, RegoClient};
use super::gutter::{marks, Mark};
use super::handler::load;
use super::protocol::{DecisionReport, FromRego, Problem, TestReport, ToRego};
use crate::shell::download::download;
use crate::shell::files::read_text;
use leptos::html;
use leptos::prelude::*;
use leptos::task::spawn_local;

const NOT_APPLIED: &str = "Not applied: the policy in force is unchanged.";

/// What the panel knows of a request to the worker.
#[derive(Clone, Debug, PartialEq)]
enum Asked<T> {
    Nothing,
    Waiting,
    Done(T),
    Failed(Problem),
}

/// The decision shown, with the policy text it was made on (coverage marks only that text).
type Decided = (String, DecisionReport);

/// A line of advice beside a Rego policy (what Apply does, which gate training uses).
#[component]
pub fn RegoHint(text: &'static str) -> impl IntoView {
    view! { <p class="rego-hint">{text}</p> }
}

#[component]
pub fn RegoPanel(
    /// The policy in force (last good text); the panel sets it when an edit loads cleanly.
    policy: RwSignal<String>,
    /// The built-in text, for "Reset".
    #[prop(into)]
    default_text: Signal<String>,
    /// File name shown and used by Save (e.g. "policy.rego").
    #[prop(into)]
    file_name: Signal<String>,
    /// The input the gate saw for the current proposal, if any.
    #[prop(into)]
    input: Signal<Option<serde_json::Value>>,
    /// Puts a text in force; returns the load error (Display) if it did not load.
    #[prop(into)]
    apply: Callback<String, Result<(), String>>,
) -> impl IntoView {
    let client = RegoClient::new();
    let draft = RwSignal::new(policy.get_untracked());
    let error = RwSignal::new(None::<Problem>);
    let note = RwSignal::new(String::new());
    let decision = RwSignal::new(Asked::<Decided>::Nothing);
    let tests = RwSignal::new(Asked::<TestReport>::Nothing);
    // A policy text that ran past the time limit (or crashed the worker) on a decision: not
    // asked again on every new input (an agent playing fast would restart the worker again
    // and again).
    let runaway = StoredValue::new(None::<(String, Problem)>);
    let gutter_ref = NodeRef::<html::Div>::new();
    let text_ref = NodeRef::<html::Textarea>::new();

    // A text this panel put in force (the editor may have moved on while it was checked).
    let applied_here = StoredValue::new(None::<String>);
    // The policy in force changed elsewhere (a link, the page's Reset): the editor follows.
    Effect::new(move |_| {
        let text = policy.get();
        let ours = applied_here.with_value(|a| a.as_deref() == Some(text.as_str()));
        if !ours && draft.get_untracked() != text {
            draft.set(text);
            error.set(None);
        }
    });

    // Back to the text in force: the last attempt's error no longer applies to the editor.
    Effect::new(move |_| {
        if draft.with(|d| policy.with(|p| d == p)) && error.with_untracked(Option::is_some) {
            error.set(None);
        }
    });

    // An error at a line: the editor scrolls to show it (the gutter follows).
    Effect::new(move |_| {
        let Some(line) = error.with(|e| e.as_ref().and_then(|e| e.line)) else {
            return;
        };
        let column = error.with_untracked(|e| e.as_ref().and_then(|e| e.column).unwrap_or(1));
        if let (Some(t), Some(g)) = (text_ref.get_untracked(), gutter_ref.get_untracked()) {
            // The caret goes to the error (so the browser's own scrolling to the caret, after
            // an edit, lands there too).
            let at = draft.with_untracked(|d| super::gutter::utf16_offset(d, line, column));
            let _ = t.set_selection_range(at, at);
            let lines = draft
                .with_untracked(|d| super::gutter::line_count(d))
                .max(1);
            let per_line = f64::from(t.scroll_height()) / lines as f64;
            let top = (f64::from(line.saturating_sub(3)) * per_line) as i32;
            t.set_scroll_top(top);
            g.set_scroll_top(t.scroll_top());
        }
    });

    // The decision of the policy in force on the gate's input.
    Effect::new(move |_| {
        let text = policy.get();
        let Some(input) = input.get() else {
            decision.set(Asked::Nothing);
            return;
        };
        if let Some((_, p)) = runaway
            .with_value(|r| r.clone())
            .filter(|(t, _)| *t == text)
        {
            decision.set(Asked::Failed(p));
            return;
        }
        let name = file_name.get_untracked();
        decision.set(Asked::Waiting);
        let asked = text.clone();
        client.request(
            Kind::Decide,
            move |id| ToRego::Decide {
                id,
                name,
                text,
                input,
            },
            move |answer: Answer| {
                if decision.is_disposed() {
                    return;
                }
                decision.set(match answer {
                    Ok(FromRego::Decision { decision, .. }) => Asked::Done((asked, decision)),
                    Ok(FromRego::Failed { problem, .. }) => Asked::Failed(problem),
                    Ok(other) => Asked::Failed(Problem::plain(
                        "worker",
                        format!("unexpected reply {other:?}"),
                    )),
                    Err(p) => {
                        if p.kind == "runaway" || p.kind == "crash" {
                            runaway.set_value(Some((asked, p.clone())));
                        }
                        Asked::Failed(p)
                    }
                });
            },
        );
    });

    // Puts a text that loaded and passed its check in force, if the page accepts it.
    let put_in_force = move |text: String| match apply.run(text.clone()) {
        Ok(()) => {
            error.set(None);
            applied_here.set_value(Some(text.clone()));
            policy.set(text);
            note.set("Applied: this text is the policy in force.".into());
        }
        Err(message) => {
            error.set(Some(Problem::plain("eval", message)));
            note.set(NOT_APPLIED.into());
        }
    };
    let do_apply = move || {
        let text = draft.get_untracked();
        let name = file_name.get_untracked();
        // Loaded here first, for the error's place (and a recursive policy refused).
        if let Err(p) = load(&name, &text) {
            error.set(Some(p));
            note.set(NOT_APPLIED.into());
            return;
        }
        // Then evaluated once in the worker, which the page can stop: a runaway text never
        // reaches the page's own evaluator.
        note.set("Checking the policy in the worker…".into());
        let probe = input
            .get_untracked()
            .unwrap_or_else(|| serde_json::json!({}));
        let checked = text.clone();
        client.request(
            Kind::Check,
            move |id| ToRego::Decide {
                id,
                name,
                text: checked,
                input: probe,
            },
            move |answer: Answer| {
                if note.is_disposed() {
                    return;
                }
                match answer {
                    Err(p) => {
                        error.set(Some(p));
                        note.set(NOT_APPLIED.into());
                    }
                    Ok(_) => put_in_force(text),
                }
            },
        );
    };

    let run_tests = move || {
        let text = draft.get_untracked();
        let name = file_name.get_untracked();
        tests.set(Asked::Waiting);
        client.request(
            Kind::Tests,
            move |id| ToRego::Tests { id, name, text },
            move |answer: Answer| {
                if tests.is_disposed() {
                    return;
                }
                tests.set(match answer {
                    Ok(FromRego::Tests { report, .. }) => Asked::Done(report),
                    Ok(FromRego::Failed { problem, .. }) => {
                        // The draft does not load: its error shows at its line too.
                        if problem.line.is_some() {
                            error.set(Some(problem.clone()));
                        }
                        Asked::Failed(problem)
                    }
                    Ok(other) => Asked::Failed(Problem::plain(
                        "worker",
                        format!("unexpected reply {other:?}"),
                    )),
                    Err(p) => Asked::Failed(p),
                });
            },
        );
    };

    let on_key = move |ev: leptos::ev::KeyboardEvent| {
        if ev.key() == "Enter" && (ev.ctrl_key() || ev.meta_key()) {
            ev.prevent_default();
            do_apply();
        }
    };
    let on_scroll = move |_| {
        if let (Some(t), Some(g)) = (text_ref.get(), gutter_ref.get()) {
            g.set_scroll_top(t.scroll_top());
        }
    };
    let reset = move |_| {
        draft.set(default_text.get_untracked());
        do_apply();
    };
    let save = move |_| {
        if let Err(e) = download(
            &file_name.get_untracked(),
            "text/plain",
            &draft.get_untracked(),
        ) {
            note.set(e);
        }
    };
    let on_file = move |ev: leptos::ev::Event| {
        let input: web_sys::HtmlInputElement = event_target(&ev);
        if let Some(file) = input.files().and_then(|f| f.get(0)) {
            let file = gloo_file::File::from(file);
            spawn_local(async move {
                let text = read_text(&file, ztgym::core::fileio::Kind::Rego).await;
                if draft.is_disposed() {
                    return;
                }
                match text {
                    Ok(text) => {
                        draft.set(text);
                        do_apply();
                    }
                    Err(e) => note.set(format!("Not loaded: {e}")),
                }
            });
        }
        // Choosing the same file again (after fixing it) loads it again.
        input.set_value("");
    };

    let gutter = move || {
        let covered = decision.with(|d| match d {
            Asked::Done((text, report)) if draft.with(|t| t == text) => report.covered.clone(),
            _ => Vec::new(),
        });
        let error_line = error.with(|e| e.as_ref().and_then(|e| e.line));
        draft
            .with(|t| marks(t, error_line, &covered))
            .into_iter()
            .map(|(line, mark)| {
                view! {
                    <div class=mark.class() data-line=line data-mark=match mark {
                        Mark::Plain => "",
                        Mark::Error => "error",
                        Mark::Covered => "covered",
                    }>{line}</div>
                }
            })
            .collect_view()
    };
    let edited = move || draft.with(|d| policy.with(|p| d != p));

    view! {
        <div class="rego-panel" data-testid="rego-panel">
            <div class="control-row rego-actions">
                <button class="primary" on:click=move |_| do_apply() title="Ctrl+Enter">
                    "Apply"
                </button>
                <button on:click=reset title="Put the built-in policy back in force">
                    "Reset"
                </button>
                <label class="file-button">
                    "Load…"
                    <input
                        type="file"
                        accept=".rego,text/plain"
                        class="visually-hidden"
                        data-testid="rego-file"
                        on:change=on_file
                    />
                </label>
                <button on:click=save>"Save"</button>
                <button on:click=move |_| run_tests() data-testid="rego-run-tests">
                    "Run tests"
                </button>
            </div>
            <p class="rego-status" role="status" data-testid="rego-status">
                {move || file_name.get()}
                " · "
                {move || {
                    if edited() {
                        "edited: Apply (Ctrl+Enter) to put it in force".to_string()
                    } else {
                        "in force".to_string()
                    }
                }}
                {move || {
                    let n = note.get();
                    (!n.is_empty()).then(|| format!(" · {n}"))
                }}
            </p>
            <label for="rego-policy-text" class="rego-label">
                "Policy"
            </label>
            <div class="rego-editor">
                <div class="rego-gutter" node_ref=gutter_ref aria-hidden="true">
                    {gutter}
                </div>
                <textarea
                    id="rego-policy-text"
                    class="rego-text"
                    node_ref=text_ref
                    spellcheck="false"
                    autocomplete="off"
                    wrap="off"
                    prop:value=move || draft.get()
                    on:input=move |ev| draft.set(event_target_value(&ev))
                    on:keydown=on_key
                    on:scroll=on_scroll
                ></textarea>
            </div>
            {move || {
                error
                    .get()
                    .map(|p| {
                        view! {
                            <div class="rego-error" role="alert" data-testid="rego-error">
                                <p class="rego-error-place">
                                    {match (p.line, p.column) {
                                        (Some(l), Some(c)) => format!("Line {l}, column {c}:"),
                                        (Some(l), None) => format!("Line {l}:"),
                                        _ => "Error:".to_string(),
                                    }}
                                </p>
                                <pre class="rego-error-text">{p.message.clone()}</pre>
                                <p class="rego-hint">
                                    "The policy in force is unchanged; your text stays in the editor."
                                </p>
                            </div>
                        }
                    })
            }}
            <h3 class="rego-heading">"Input the gate saw"</h3>
            {move || match input.get() {
                Some(v) => {
                    view! {
                        <pre class="rego-input" data-testid="rego-input">
                            {serde_json::to_string_pretty(&v).unwrap_or_default()}
                        </pre>
                    }
                        .into_any()
                }
                None => {
                    view! {
                        <p class="rego-hint" data-testid="rego-input">
                            "No proposal yet: the gate is asked when an action needs it."
                        </p>
                    }
                        .into_any()
                }
            }}
            <h3 class="rego-heading">"Decision of the policy in force"</h3>
            <DecisionView decision=decision />
            <h3 class="rego-heading">"Tests"</h3>
            <TestsView tests=tests />
        </div>
    }
}

#[component]
fn DecisionView(decision: RwSignal<Asked<Decided>>) -> impl IntoView {
    move || match decision.get() {
        Asked::Nothing => view! {
            <p class="rego-hint" data-testid="rego-decision">"No decision: no input yet."</p>
        }
        .into_any(),
        Asked::Waiting => view! {
            <p class="rego-hint" data-testid="rego-decision" aria-busy="true">"Deciding…"</p>
        }
        .into_any(),
        Asked::Failed(p) => view! {
            <p class="rego-decision rego-failed" data-testid="rego-decision">
                {format!("No decision: {}", p.describe())}
            </p>
        }
        .into_any(),
        Asked::Done((_, d)) => {
            let verdict = if d.allowed { "allowed" } else { "denied" };
            let lines = d.covered.len();
            view! {
                <p class=format!("rego-decision rego-{verdict}") data-testid="rego-decision">
                    <strong>{verdict.to_uppercase()}</strong>
                    {format!(" by {}.allow · {lines} lines evaluated (marked in the gutter)", d.package)}
                </p>
                <ul class="rego-reasons" data-testid="rego-reasons">
                    {d
                        .reasons
                        .into_iter()
                        .map(|r| view! { <li>{r}</li> })
                        .collect_view()}
                </ul>
            }
            .into_any()
        }
    }
}

#[component]
fn TestsView(tests: RwSignal<Asked<TestReport>>) -> impl IntoView {
    view! {
        <div class="rego-tests" data-testid="rego-tests">
            {move || match tests.get() {
                Asked::Nothing => view! {
                    <p class="rego-hint">"Run tests runs the editor's test_ rules, like opa test."</p>
                }
                .into_any(),
                Asked::Waiting => view! { <p class="rego-hint" aria-busy="true">"Running…"</p> }
                    .into_any(),
                Asked::Failed(p) => view! {
                    <p class="rego-failed">{format!("Tests not run: {}", p.describe())}</p>
                }
                .into_any(),
                Asked::Done(report) => {
                    let summary = report.summary();
                    view! {
                        <p class="rego-test-summary">{summary}</p>
                        <ul class="rego-test-list">
                            {report
                                .rows
                                .into_iter()
                                .map(|row| {
                                    let class = format!(
                                        "rego-test rego-test-{}",
                                        row.status.to_lowercase(),
                                    );
                                    view! {
                                        <li class=class>
                                            <span class="rego-test-status">{row.status}</span>
                                            " "
                                            <span class="rego-test-name">{row.name}</span>
                                            {row.message.map(|m| format!(": {m}"))}
                                        </li>
                                    }
                                })
                                .collect_view()}
                        </ul>
                    }
                    .into_any()
                }
            }}
        </div>
    }
}
