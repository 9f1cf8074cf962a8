//! What the Rego worker answered, as the panel shows it: the decision of the policy in force,
//! the answer to a query, the `test_` results and the coverage per module.

use super::bundle::RegoBundle;
use super::protocol::{DecisionReport, Problem, TestReport};
use leptos::prelude::*;

/// What the panel knows of a request to the worker.
#[derive(Clone, Debug, PartialEq)]
pub enum Asked<T> {
    Nothing,
    Waiting,
    Done(T),
    Failed(Problem),
}

/// The decision shown, with the bundle it was made on (coverage marks only that bundle).
pub type Decided = (RegoBundle, DecisionReport);

/// Tests run, with the bundle they ran on.
pub type Tested = (RegoBundle, TestReport);

#[component]
pub fn DecisionView(decision: RwSignal<Asked<Decided>>) -> impl IntoView {
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
            let lines: usize = d.covered.iter().map(|c| c.covered.len()).sum();
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
pub fn TestsView(tests: RwSignal<Asked<Tested>>) -> impl IntoView {
    view! {
        <div class="rego-tests" data-testid="rego-tests">
            {move || match tests.get() {
                Asked::Nothing => view! {
                    <p class="rego-hint">"Run tests runs every module's test_ rules with coverage, like opa test --coverage."</p>
                }
                .into_any(),
                Asked::Waiting => view! { <p class="rego-hint" aria-busy="true">"Running…"</p> }
                    .into_any(),
                Asked::Failed(p) => view! {
                    <p class="rego-failed">{format!("Tests not run: {}", p.describe())}</p>
                }
                .into_any(),
                Asked::Done((_, report)) => {
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

#[component]
pub fn CoverageView(tests: RwSignal<Asked<Tested>>) -> impl IntoView {
    view! {
        <div class="rego-coverage" data-testid="rego-coverage">
            {move || match tests.get() {
                Asked::Done((_, report)) if !report.coverage.is_empty() => {
                    report
                        .coverage
                        .into_iter()
                        .map(|c| {
                            let reached = c.covered.len();
                            let all = reached + c.not_covered.len();
                            view! {
                                <p class="rego-coverage-file">
                                    <span class="rego-coverage-name">{c.file.clone()}</span>
                                    {format!(": {:.1}% ({reached} of {all} lines)", c.percent())}
                                </p>
                            }
                        })
                        .collect_view()
                        .into_any()
                }
                _ => view! {
                    <p class="rego-hint">"Coverage shows after Run tests: lines reached green, lines not reached red, in the gutter."</p>
                }
                .into_any(),
            }}
        </div>
    }
}

#[component]
pub fn OutputView(output: RwSignal<Asked<serde_json::Value>>) -> impl IntoView {
    view! {
        <div class="rego-output" data-testid="rego-output" aria-live="polite">
            {move || match output.get() {
                Asked::Nothing => view! {
                    <p class="rego-hint">"Evaluate answers the query on the modules, data and input above, like opa eval."</p>
                }
                .into_any(),
                Asked::Waiting => view! { <p class="rego-hint" aria-busy="true">"Evaluating…"</p> }
                    .into_any(),
                Asked::Failed(p) => view! {
                    <p class="rego-failed">{format!("No answer: {}", p.describe())}</p>
                }
                .into_any(),
                Asked::Done(v) => view! {
                    <pre class="rego-input">{serde_json::to_string_pretty(&v).unwrap_or_default()}</pre>
                }
                .into_any(),
            }}
        </div>
    }
}
