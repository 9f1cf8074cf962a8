//! The Rego workbench: edit the policy in force as a bundle (modules as tabs, a Data pane),
//! ask it anything (a query on an Input pane that starts as the gate's input), run every
//! module's `test_` rules with coverage on the lines, and see what the gate decides. Any page
//! whose gate is a Rego policy hosts it (the SRE gym's Gate tab, the Hardening tab); the page
//! says what is in force, what the gate saw, and how to put a bundle in force.
//!
//! An edit goes in force only when it loads cleanly (Apply, or Ctrl+Enter): an error is shown
//! at its module, line and column (`rego-error`, the tab opened and the line marked) while the
//! last good bundle stays in force and the draft stays in the editor. Queries, decisions and
//! tests run in the Rego worker ([`super::client`]), stopped after a time limit, so a runaway
//! policy never freezes the page.

use super::bundle::RegoBundle;
use super::client::{Answer, Kind, RegoClient};
use super::editor::RegoEditor;
use super::files::{bundle_download, read_bundle_files};
use super::gutter::marks;
use super::handler::load;
use super::module_tabs::ModuleTabs;
use super::protocol::{FromRego, Problem, ToRego};
use super::results::{Asked, CoverageView, Decided, DecisionView, OutputView, Tested, TestsView};
use crate::shell::download::download;
use crate::shell::files::FileButton;
use leptos::prelude::*;
use leptos::task::spawn_local;

const NOT_APPLIED: &str = "Not applied: the policy in force is unchanged.";

/// A line of advice beside a Rego policy (what Apply does, which gate training uses).
#[component]
pub fn RegoHint(text: &'static str) -> impl IntoView {
    view! { <p class="rego-hint">{text}</p> }
}

/// A reply the panel did not ask for, as a problem.
fn unexpected(other: FromRego) -> Problem {
    Problem::plain("worker", format!("unexpected reply {other:?}"))
}

#[component]
pub fn RegoPanel(
    /// The bundle in force (last good one); the panel sets it when an edit loads cleanly.
    policy: RwSignal<RegoBundle>,
    /// The built-in policy, for "Reset".
    #[prop(into)]
    default: Signal<RegoBundle>,
    /// The input the gate saw for the current proposal, if any.
    #[prop(into)]
    input: Signal<Option<serde_json::Value>>,
    /// Puts a bundle in force; returns the load error (Display) if it did not load.
    #[prop(into)]
    apply: Callback<RegoBundle, Result<(), String>>,
) -> impl IntoView {
    let client = RegoClient::new();
    let draft = RwSignal::new(policy.get_untracked());
    let current = RwSignal::new(0usize);
    let error = RwSignal::new(None::<Problem>);
    let note = RwSignal::new(String::new());
    let decision = RwSignal::new(Asked::<Decided>::Nothing);
    let tests = RwSignal::new(Asked::<Tested>::Nothing);
    let output = RwSignal::new(Asked::<serde_json::Value>::Nothing);
    // The Input pane follows the gate's input until the person edits it.
    let input_text = RwSignal::new(String::new());
    let input_edited = RwSignal::new(false);
    // The query follows the policy's package until the person edits it.
    let query = RwSignal::new(String::new());
    let query_edited = RwSignal::new(false);
    // A bundle that ran past the time limit (or crashed the worker) on a decision: not asked
    // again on every new input (an agent playing fast would restart the worker again and
    // again).
    let runaway = StoredValue::new(None::<(RegoBundle, Problem)>);
    // A bundle this panel put in force (the editor may have moved on while it was checked).
    let applied_here = StoredValue::new(None::<RegoBundle>);

    // The bundle in force changed elsewhere (a link, the page's Reset): the editor follows.
    Effect::new(move |_| {
        let b = policy.get();
        let ours = applied_here.with_value(|a| a.as_ref() == Some(&b));
        if !ours && draft.get_untracked() != b {
            draft.set(b);
            current.set(0);
            error.set(None);
        }
    });
    // Back to the bundle in force: the last attempt's error no longer applies.
    Effect::new(move |_| {
        if draft.with(|d| policy.with(|p| d == p)) && error.with_untracked(Option::is_some) {
            error.set(None);
        }
    });
    Effect::new(move |_| {
        let v = input.get();
        if !input_edited.get_untracked() {
            input_text.set(
                v.map(|v| serde_json::to_string_pretty(&v).unwrap_or_default())
                    .unwrap_or_default(),
            );
        }
    });
    Effect::new(move |_| {
        let package = draft.with(RegoBundle::main_package);
        if !query_edited.get_untracked() {
            query.set(package.map_or_else(|| "data".to_string(), |p| format!("{p}.allow")));
        }
    });
    // An error in another module: its tab opens.
    Effect::new(move |_| {
        let Some(file) = error.with(|e| e.as_ref().and_then(|e| e.file.clone())) else {
            return;
        };
        if let Some(i) = draft.with_untracked(|b| b.modules.iter().position(|m| m.name == file)) {
            current.set(i);
        }
    });

    // The decision of the bundle in force on the gate's input.
    Effect::new(move |_| {
        let bundle = policy.get();
        let Some(input) = input.get() else {
            decision.set(Asked::Nothing);
            return;
        };
        if let Some((_, p)) = runaway
            .with_value(|r| r.clone())
            .filter(|(b, _)| *b == bundle)
        {
            decision.set(Asked::Failed(p));
            return;
        }
        decision.set(Asked::Waiting);
        let asked = bundle.clone();
        client.request(
            Kind::Decide,
            move |id| ToRego::Decide { id, bundle, input },
            move |answer: Answer| {
                if decision.is_disposed() {
                    return;
                }
                decision.set(match answer {
                    Ok(FromRego::Decision { decision, .. }) => Asked::Done((asked, decision)),
                    Ok(FromRego::Failed { problem, .. }) => Asked::Failed(problem),
                    Ok(other) => Asked::Failed(unexpected(other)),
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

    // Puts a bundle that loaded and passed its check in force, if the page accepts it.
    let put_in_force = move |bundle: RegoBundle| match apply.run(bundle.clone()) {
        Ok(()) => {
            error.set(None);
            applied_here.set_value(Some(bundle.clone()));
            policy.set(bundle);
            note.set("Applied: this bundle is the policy in force.".into());
        }
        Err(message) => {
            error.set(Some(Problem::plain("eval", message)));
            note.set(NOT_APPLIED.into());
        }
    };
    let do_apply = move || {
        let bundle = draft.get_untracked();
        // Loaded here first, for the error's place (and a recursive policy refused).
        if let Err(p) = load(&bundle) {
            error.set(Some(p));
            note.set(NOT_APPLIED.into());
            return;
        }
        // Then evaluated once in the worker, which the page can stop: a runaway bundle never
        // reaches the page's own evaluator.
        note.set("Checking the policy in the worker…".into());
        let probe = input
            .get_untracked()
            .unwrap_or_else(|| serde_json::json!({}));
        let checked = bundle.clone();
        client.request(
            Kind::Check,
            move |id| ToRego::Decide {
                id,
                bundle: checked,
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
                    Ok(_) => put_in_force(bundle),
                }
            },
        );
    };

    let run_tests = move || {
        let bundle = draft.get_untracked();
        tests.set(Asked::Waiting);
        let asked = bundle.clone();
        client.request(
            Kind::Tests,
            move |id| ToRego::Tests { id, bundle },
            move |answer: Answer| {
                if tests.is_disposed() {
                    return;
                }
                tests.set(match answer {
                    Ok(FromRego::Tests { report, .. }) => Asked::Done((asked, report)),
                    Ok(FromRego::Failed { problem, .. }) => {
                        // The draft does not load: its error shows at its place too.
                        if problem.line.is_some() || problem.file.is_some() {
                            error.set(Some(problem.clone()));
                        }
                        Asked::Failed(problem)
                    }
                    Ok(other) => Asked::Failed(unexpected(other)),
                    Err(p) => Asked::Failed(p),
                });
            },
        );
    };

    let evaluate = move || {
        let bundle = draft.get_untracked();
        let text = input_text.get_untracked();
        let input = if text.trim().is_empty() {
            None
        } else {
            match serde_json::from_str::<serde_json::Value>(&text) {
                Ok(v) => Some(v),
                Err(e) => {
                    output.set(Asked::Failed(Problem {
                        file: Some("Input".into()),
                        line: Some(e.line() as u32),
                        column: Some(e.column() as u32),
                        ..Problem::plain("syntax", format!("the input is not JSON: {e}"))
                    }));
                    return;
                }
            }
        };
        let query = query.get_untracked();
        output.set(Asked::Waiting);
        client.request(
            Kind::Eval,
            move |id| ToRego::Eval {
                id,
                bundle,
                query,
                input,
            },
            move |answer: Answer| {
                if output.is_disposed() {
                    return;
                }
                output.set(match answer {
                    Ok(FromRego::Output { result, .. }) => Asked::Done(result),
                    Ok(FromRego::Failed { problem, .. }) => {
                        if problem.file.as_deref() != Some("query") && problem.line.is_some() {
                            error.set(Some(problem.clone()));
                        }
                        Asked::Failed(problem)
                    }
                    Ok(other) => Asked::Failed(unexpected(other)),
                    Err(p) => Asked::Failed(p),
                });
            },
        );
    };

    let on_key = Callback::new(move |ev: leptos::ev::KeyboardEvent| {
        if ev.key() == "Enter" && (ev.ctrl_key() || ev.meta_key()) {
            ev.prevent_default();
            do_apply();
        }
    });
    let reset = move |_| {
        draft.set(default.get_untracked());
        current.set(0);
        do_apply();
    };
    let save = move |_| {
        let bundle = draft.get_untracked();
        let saved = if bundle.is_single() {
            let m = &bundle.modules[0];
            download(&m.name, "text/plain", &m.text)
        } else {
            bundle_download(&bundle)
        };
        if let Err(e) = saved {
            note.set(e);
        }
    };
    let on_files = move |files: Vec<web_sys::File>| {
        let files: Vec<gloo_file::File> = files.into_iter().map(gloo_file::File::from).collect();
        if files.is_empty() {
            return;
        }
        spawn_local(async move {
            let read = read_bundle_files(&files).await;
            if draft.is_disposed() {
                return;
            }
            match read {
                Ok(bundle) => {
                    draft.set(bundle);
                    current.set(0);
                    do_apply();
                }
                Err(e) => note.set(format!("Not loaded: {e}")),
            }
        });
    };

    let module_text = Signal::derive(move || {
        let at = current.get();
        draft.with(|b| {
            b.modules
                .get(at)
                .map(|m| m.text.clone())
                .unwrap_or_default()
        })
    });
    let module_name = move || {
        let at = current.get();
        draft.with(|b| {
            b.modules
                .get(at)
                .map(|m| m.name.clone())
                .unwrap_or_default()
        })
    };
    let on_text = Callback::new(move |text: String| {
        let at = current.get_untracked();
        draft.update(|b| {
            if let Some(m) = b.modules.get_mut(at) {
                m.text = text;
            }
        });
    });
    // The error's line when it is in the module shown.
    let error_here = move || {
        let name = module_name();
        error.with(|e| {
            e.as_ref().and_then(|e| {
                let here = match e.file.as_deref() {
                    Some(f) => f == name,
                    None => current.get() == 0,
                };
                here.then_some((e.line?, e.column.unwrap_or(1)))
            })
        })
    };
    let gutter_marks = Signal::derive(move || {
        let name = module_name();
        let lines = |file: &str, from: &[super::protocol::FileCoverage]| {
            from.iter()
                .find(|c| c.file == file)
                .map(|c| (c.covered.clone(), c.not_covered.clone()))
        };
        // Coverage of the tests run on this very draft, else of the decision on it.
        let (covered, not_covered) = tests
            .with(|t| match t {
                Asked::Done((b, r)) if draft.with(|d| d == b) => lines(&name, &r.coverage),
                _ => None,
            })
            .or_else(|| {
                decision.with(|d| match d {
                    Asked::Done((b, r)) if draft.with(|d| d == b) => lines(&name, &r.covered),
                    _ => None,
                })
            })
            .unwrap_or_default();
        module_text.with(|t| marks(t, error_here().map(|e| e.0), &covered, &not_covered))
    });
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
                <FileButton
                    label="Load…"
                    accept=".rego,.json,.gz,.tgz,text/plain,application/json,application/gzip"
                    testid="rego-file"
                    multiple=true
                    on_files=on_files
                />
                <button on:click=save title="One module: its .rego file; a bundle: a .tar.gz as opa build writes">
                    "Save"
                </button>
                <button on:click=move |_| run_tests() data-testid="rego-run-tests">
                    "Run tests"
                </button>
            </div>
            <p class="rego-status" role="status" data-testid="rego-status">
                {move || draft.with(|b| {
                    let n = b.modules.len();
                    if n == 1 { b.modules[0].name.clone() } else { format!("{n} modules") }
                })}
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
            <ModuleTabs draft=draft current=current note=note />
            <label for="rego-policy-text" class="rego-label">
                {move || format!("Module {}", module_name())}
            </label>
            <RegoEditor
                id="rego-policy-text"
                text=module_text
                on_input=on_text
                marks=gutter_marks
                focus=Signal::derive(error_here)
                on_key=on_key
            />
            {move || {
                error
                    .get()
                    .map(|p| {
                        view! {
                            <div class="rego-error" role="alert" data-testid="rego-error">
                                <p class="rego-error-place">
                                    {error_place(&p, draft.with_untracked(|b| b.modules.len() > 1))}
                                </p>
                                <pre class="rego-error-text">{p.message.clone()}</pre>
                                <p class="rego-hint">
                                    "The policy in force is unchanged; your text stays in the editor."
                                </p>
                            </div>
                        }
                    })
            }}
            <label for="rego-data" class="rego-label">
                "Data"
            </label>
            <textarea
                id="rego-data"
                class="rego-pane"
                spellcheck="false"
                placeholder="{} (a JSON object: data.x reads its field x)"
                prop:value=move || draft.with(|b| b.data.clone())
                on:input=move |ev| {
                    let text = event_target_value(&ev);
                    draft.update(|b| b.data = text);
                }
            ></textarea>
            <div class="rego-input-head">
                <label for="rego-input" class="rego-label">
                    "Input"
                </label>
                <button
                    class="link-button"
                    on:click=move |_| {
                        input_edited.set(false);
                        input_text.set(
                            input
                                .get_untracked()
                                .map(|v| serde_json::to_string_pretty(&v).unwrap_or_default())
                                .unwrap_or_default(),
                        );
                    }
                    title="Put the input the gate saw back"
                >
                    "The gate's input"
                </button>
            </div>
            <textarea
                id="rego-input"
                class="rego-pane"
                spellcheck="false"
                placeholder="No proposal yet: type an input (JSON) to ask what if"
                data-testid="rego-input"
                prop:value=move || input_text.get()
                on:input=move |ev| {
                    input_edited.set(true);
                    input_text.set(event_target_value(&ev));
                }
            ></textarea>
            <div class="control-row rego-query">
                <label for="rego-query" class="rego-label">
                    "Query"
                </label>
                <input
                    id="rego-query"
                    class="rego-query-text"
                    spellcheck="false"
                    prop:value=move || query.get()
                    on:input=move |ev| {
                        query_edited.set(true);
                        query.set(event_target_value(&ev));
                    }
                    on:keydown=move |ev: leptos::ev::KeyboardEvent| {
                        if ev.key() == "Enter" {
                            ev.prevent_default();
                            evaluate();
                        }
                    }
                />
                <button class="primary" on:click=move |_| evaluate()>
                    "Evaluate"
                </button>
            </div>
            <OutputView output=output />
            <h3 class="rego-heading">"Decision of the policy in force"</h3>
            <DecisionView decision=decision />
            <h3 class="rego-heading">"Tests"</h3>
            <TestsView tests=tests />
            <h3 class="rego-heading">"Coverage"</h3>
            <CoverageView tests=tests />
        </div>
    }
}

/// Where an error is, for the error box: `Line 4, column 1 in lib.rego:` (the module named
/// when there are several, or when it is the Data or Input pane).
fn error_place(p: &Problem, several: bool) -> String {
    let file = p
        .file
        .as_deref()
        .filter(|f| several || !f.ends_with(".rego"))
        .map(|f| format!(" in {f}"))
        .unwrap_or_default();
    match (p.line, p.column) {
        (Some(l), Some(c)) => format!("Line {l}, column {c}{file}:"),
        (Some(l), None) => format!("Line {l}{file}:"),
        _ if !file.is_empty() => format!("Error{file}:"),
        _ => "Error:".to_string(),
    }
}
