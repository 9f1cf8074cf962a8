//! A person's move, beside the twin. Normally: the candidate proposals the environment lists
//! (each action with its parameters, the gate's answer and the twin's predicted impact), one
//! picked, then Propose. In recommend-only mode (use case 10): the agent's ranked
//! recommendations with reasons, predicted impact and a rollback hint, each with Accept and
//! Reject. Greyed out while an agent proposes or once the episode is over. All text.

use super::desk::use_desk;
use super::story::{action_text, params_text};
use crate::shell::numbers::signed;
use leptos::prelude::*;
use ztgym::harden::env::Candidate;

/// The predicted impact in a line.
fn impact(c: &Candidate) -> String {
    format!(
        "risk {}, breakage {:.2}{}",
        signed(c.forecast.risk_delta, 1),
        c.forecast.breakage_risk,
        if c.forecast.pass {
            ""
        } else {
            ", fails the twin"
        }
    )
}

fn gate_text(c: &Candidate) -> &'static str {
    if c.allowed {
        "gate allows"
    } else {
        "gate denies"
    }
}

#[component]
pub fn ProposePanel() -> impl IntoView {
    let desk = use_desk();
    let idle = move || desk.read(|s| !s.automated() && !s.done());
    let recommend = move || desk.read(|s| s.settings().recommend);
    let candidates = Memo::new(move |_| desk.read(|s| s.candidates().to_vec()));
    let picked = desk.picked;
    let chosen = move || candidates.with(|cs| cs.get(picked.get()).cloned());
    let pick_list = move || {
        candidates
            .get()
            .into_iter()
            .enumerate()
            .map(|(k, c)| {
                view! {
                    <li class="candidate" data-allowed=c.allowed.to_string() data-pass=c.forecast.pass.to_string()>
                        <label>
                            <input
                                type="radio"
                                name="harden-candidate"
                                prop:checked=move || picked.get() == k
                                disabled=move || !idle()
                                on:change=move |_| picked.set(k)
                            />
                            <span class="candidate-action">{c.action.id.clone()}</span>
                            <span class="candidate-params">{params_text(&c.action.params)}</span>
                            <span class="candidate-gate">{gate_text(&c)}</span>
                            <span class="candidate-impact">{impact(&c)}</span>
                        </label>
                    </li>
                }
            })
            .collect_view()
    };
    let recommendations = move || {
        candidates
            .get()
            .into_iter()
            .enumerate()
            .map(|(k, c)| {
                view! {
                    <li class="recommendation" data-testid="recommendation" data-allowed=c.allowed.to_string() data-pass=c.forecast.pass.to_string()>
                        <p class="rec-head">
                            <span class="rec-rank">{format!("{}.", k + 1)}</span>
                            <span class="candidate-action">{action_text(&c.action)}</span>
                        </p>
                        <p class="candidate-impact">{format!("{}: {}", gate_text(&c), impact(&c))}</p>
                        <ul class="rec-reasons">
                            {c.reasons.iter().map(|r| view! { <li>{r.clone()}</li> }).collect_view()}
                            {c.forecast.notes.iter().map(|n| view! { <li>{n.clone()}</li> }).collect_view()}
                        </ul>
                        {c.rollback.clone().map(|r| view! { <p class="rec-rollback">"Rollback: "{r}</p> })}
                        <div class="rec-buttons">
                            <button class="accept" disabled=move || !idle() on:click=move |_| desk.answer(k, true)>"Accept"</button>
                            <button class="reject" disabled=move || !idle() on:click=move |_| desk.answer(k, false)>"Reject"</button>
                        </div>
                    </li>
                }
            })
            .collect_view()
    };
    view! {
        <section class="panel panel-propose" aria-labelledby="propose-heading">
            <h2 id="propose-heading" class="panel-title">
                {move || if recommend() { "Recommendations" } else { "Propose a change" }}
            </h2>
            <div class="panel-body">
                <Show when=move || desk.read(|s| s.automated())>
                    <p class="hint">"An agent proposes in this run. Choose Agent: Human (you) to propose yourself."</p>
                </Show>
                <Show
                    when=recommend
                    fallback=move || {
                        view! {
                            <ul class="candidates" aria-label="Candidate proposals">{pick_list}</ul>
                            <div class="chosen" data-testid="chosen">
                                {move || chosen().map(|c| view! {
                                    <p class="chosen-head">{action_text(&c.action)}</p>
                                    <ul class="rec-reasons">
                                        {c.reasons.iter().map(|r| view! { <li>{r.clone()}</li> }).collect_view()}
                                        {c.forecast.notes.iter().map(|n| view! { <li>{n.clone()}</li> }).collect_view()}
                                    </ul>
                                })}
                            </div>
                            <button class="primary propose" data-key="p" title="Propose the picked change (p)" disabled=move || !idle() on:click=move |_| desk.propose(picked.get_untracked())>
                                "Propose"
                            </button>
                        }
                    }
                >
                    <ol class="recommendations" aria-label="Ranked recommendations">{recommendations}</ol>
                </Show>
            </div>
        </section>
    }
}
