//! The Train panel: choose a learner and its hyperparameters, train in a Web Worker on the
//! scenario on screen, watch the curves, stop and resume. When training stops the policy
//! becomes the tab's policy and plays as the agent.

use leptos::prelude::*;
use ztgym::learn::{Hyperparameters, TrainConfig};
use ztgym::Kind;

use crate::learning::host::LearningHost;
use crate::learning::hyper_form::take_text;
use crate::learning::learning_curves::LearningCurves;
use crate::learning::training::client::{Status, Training, COMPLIANCE_GOAL};
use crate::learning::training::protocol::Pace;
use crate::shell::panel::Panel;

/// The pace for watching curves form.
const WATCH_RATE: u32 = 100;

fn kind_label(kind: Kind) -> &'static str {
    match kind {
        Kind::QLagrangian => "Lagrangian Q-learning (constraint as a constraint)",
        Kind::Q => "Q-learning (rule breaking as a penalty)",
        Kind::Bandit => "Contextual bandit (seed 001 baseline)",
    }
}

/// A hyperparameter's value as the form shows it.
fn field_text(h: &Hyperparameters, name: &str) -> String {
    match serde_json::to_value(h)
        .ok()
        .and_then(|v| v.get(name).cloned())
    {
        Some(serde_json::Value::String(s)) => s,
        Some(v) => v.to_string(),
        None => String::new(),
    }
}

/// What the Train panel does for the environment on screen, its type erased: the panel below
/// is one copy for every environment (and every hardening action set).
#[derive(Clone, Copy)]
struct TrainHost {
    trains_on: &'static str,
    cost: &'static str,
    train: Callback<()>,
}

#[component]
pub fn TrainPanel<H: LearningHost>(host: H) -> impl IntoView {
    let training = use_context::<Training>().expect("the app provides Training");
    let host = TrainHost {
        trains_on: H::TRAINS_ON,
        cost: H::COST,
        train: Callback::new(move |()| training.train(host)),
    };
    view! { <TrainPanelView host=host training=training /> }
}

#[component]
fn TrainPanelView(host: TrainHost, training: Training) -> impl IntoView {
    let busy = move || training.busy();
    let status_text = move || match training.status.get() {
        Status::Idle => "Not trained yet.".to_string(),
        Status::Loading => "Starting the training worker…".into(),
        Status::Running => "Training…".into(),
        Status::Paused => "Stopped. Resume to go on, or Train to start over.".into(),
        Status::Finished => "Finished: the policy now plays as the agent.".into(),
        Status::Failed(e) => format!("Failed: {e}"),
    };
    let done = move || {
        training
            .points
            .with(|p| p.last().map_or(0, |p| p.episodes_done))
    };
    let progress = move || {
        let (done, total) = (done(), training.total.get());
        let rate = training.episodes_per_second.get();
        let left = training
            .seconds_left()
            .filter(|_| busy())
            .map(|s| format!(" · about {s:.1} s left"))
            .unwrap_or_default();
        if total == 0 {
            String::new()
        } else {
            format!("{done} / {total} episodes · {rate:.0} episodes/s{left}")
        }
    };
    let budget = Signal::derive(move || {
        (training.kind.get() == Kind::QLagrangian)
            .then(|| training.hyperparameters.with(|h| h.cost_budget))
    });
    let on_text = move |name: &'static str, text: String| {
        let mut h = training.hyperparameters.get_untracked();
        let mut typed = training.typed.get_untracked();
        take_text(&mut h, &mut typed, name, &text);
        training.typed.set(typed);
        if h != training.hyperparameters.get_untracked() {
            training.hyperparameters.set(h);
        }
    };
    let field_problem = move |name: &'static str| {
        training
            .problems()
            .into_iter()
            .find(|(field, _)| *field == name)
            .map(|(_, p)| p)
    };
    // Episodes and the training seed, refused where they are typed like the hyperparameters.
    let episodes_problem = RwSignal::new(None::<&'static str>);
    let seed_problem = RwSignal::new(None::<&'static str>);
    let form_ok = move || {
        training.problems().is_empty()
            && episodes_problem.get().is_none()
            && seed_problem.get().is_none()
    };
    let hyper_fields = move || {
        Hyperparameters::fields(training.kind.get())
            .iter()
            .map(|&name| {
                // The text as typed, if the field was typed in; else the value.
                let value = move || {
                    training
                        .typed
                        .with(|u| u.get(name).map(|(text, _)| text.clone()))
                        .unwrap_or_else(|| training.hyperparameters.with(|h| field_text(h, name)))
                };
                let (label, about) = Hyperparameters::about(name).unwrap_or((name, ""));
                let input = if name == "mask" {
                    view! {
                        <input
                            type="checkbox"
                            data-testid=format!("hyper-{name}")
                            prop:checked=move || value() == "true"
                            on:change=move |ev| on_text(name, event_target_checked(&ev).to_string())
                        />
                    }
                    .into_any()
                } else {
                    view! {
                        <input
                            type="text"
                            inputmode="decimal"
                            size="7"
                            data-testid=format!("hyper-{name}")
                            aria-invalid=move || field_problem(name).is_some().to_string()
                            prop:value=value
                            on:input=move |ev| on_text(name, event_target_value(&ev))
                        />
                    }
                    .into_any()
                };
                view! {
                    <label class="hyper-field" class:invalid=move || field_problem(name).is_some()>
                        <span class="hyper-name">{label} " " <code>{name}</code></span>
                        {input}
                        <small class="hyper-about">{about}</small>
                        {move || {
                            field_problem(name)
                                .map(|p| {
                                    view! {
                                        <small class="field-problem" role="alert" data-testid=format!("hyper-problem-{name}")>
                                            {p}
                                        </small>
                                    }
                                })
                        }}
                    </label>
                }
            })
            .collect_view()
    };
    view! {
        <Panel id="training" title="Training" class="panel-training">
            <div class="control-row">
                <label>
                    "Algorithm"
                    <select
                        data-testid="train-kind"
                        prop:disabled=busy
                        prop:value=move || training.kind.get().as_str()
                        on:change=move |ev| {
                            if let Some(kind) = Kind::parse(&event_target_value(&ev)) {
                                training.set_kind(kind);
                            }
                        }
                    >
                        {Kind::ALL
                            .iter()
                            .map(|k| view! { <option value=k.as_str()>{kind_label(*k)}</option> })
                            .collect_view()}
                    </select>
                </label>
                <label>
                    "Episodes"
                    <input
                        type="number"
                        min="1"
                        step="100"
                        class="seed-input"
                        data-testid="train-episodes"
                        prop:disabled=busy
                        aria-invalid=move || episodes_problem.get().is_some().to_string()
                        prop:value=move || training.episodes.get().to_string()
                        on:input=move |ev| {
                            match event_target_value(&ev).trim().parse::<u64>() {
                                Ok(n) if n > 0 => {
                                    episodes_problem.set(None);
                                    training.episodes.set(n);
                                }
                                _ => episodes_problem.set(Some("Enter a whole number of at least 1.")),
                            }
                        }
                    />
                    {move || {
                        episodes_problem
                            .get()
                            .map(|p| view! { <small class="field-problem" role="alert" data-testid="train-episodes-problem">{p}</small> })
                    }}
                </label>
                <label>
                    "Training seed"
                    <input
                        type="number"
                        min="0"
                        step="1"
                        class="seed-input"
                        prop:disabled=busy
                        data-testid="train-seed"
                        aria-invalid=move || seed_problem.get().is_some().to_string()
                        prop:value=move || training.seed.get().to_string()
                        on:input=move |ev| {
                            match event_target_value(&ev).trim().parse::<u64>() {
                                Ok(n) => {
                                    seed_problem.set(None);
                                    training.seed.set(n);
                                }
                                Err(_) => seed_problem.set(Some("Enter a whole number from 0 upwards.")),
                            }
                        }
                    />
                    {move || {
                        seed_problem
                            .get()
                            .map(|p| view! { <small class="field-problem" role="alert" data-testid="train-seed-problem">{p}</small> })
                    }}
                </label>
                <label>
                    "Pace"
                    <select
                        data-testid="train-pace"
                        prop:value=move || match training.pace.get() {
                            Pace::Full => "full",
                            Pace::SlowStart => "slow-start",
                            Pace::Watch(_) => "watch",
                        }
                        on:change=move |ev| {
                            let pace = match event_target_value(&ev).as_str() {
                                "watch" => Pace::Watch(WATCH_RATE),
                                "slow-start" => Pace::SlowStart,
                                _ => Pace::Full,
                            };
                            training.set_pace(pace);
                        }
                    >
                        <option value="slow-start">"Slow start, then as fast as it goes"</option>
                        <option value="full">"As fast as it goes"</option>
                        <option value="watch">{format!("Watch ({WATCH_RATE} episodes/s)")}</option>
                    </select>
                </label>
            </div>
            <details class="hyperparameters">
                <summary>"Hyperparameters"</summary>
                <div class="hyper-grid">{hyper_fields}</div>
                <button
                    type="button"
                    prop:disabled=busy
                    on:click=move |_| training.set_kind(training.kind.get_untracked())
                >
                    "Defaults"
                </button>
            </details>
            <div class="control-row transport">
                <button
                    class="primary"
                    data-testid="train"
                    prop:disabled=move || busy() || !form_ok()
                    on:click=move |_| host.train.run(())
                >
                    "Train"
                </button>
                <button data-testid="train-stop" prop:disabled=move || !busy() on:click=move |_| training.stop()>
                    "Stop"
                </button>
                {move || match training.status.get() {
                    Status::Paused => view! {
                        <button data-testid="train-resume" on:click=move |_| training.resume(0)>
                            "Resume"
                        </button>
                    }
                    .into_any(),
                    Status::Finished => view! {
                        <button
                            data-testid="train-resume"
                            on:click=move |_| training.resume(training.episodes.get_untracked())
                        >
                            {move || format!("Train {} more", training.episodes.get())}
                        </button>
                    }
                    .into_any(),
                    _ => ().into_any(),
                }}
                <span class="train-status" role="status" data-testid="train-status">{status_text}</span>
                {move || {
                    (!form_ok())
                        .then(|| {
                            view! {
                                <span class="field-problem" data-testid="train-blocked">
                                    "Fix the fields marked in red to train."
                                </span>
                            }
                        })
                }}
            </div>
            <div class="train-progress">
                <progress
                    max=move || training.total.get().max(1).to_string()
                    value=move || done().to_string()
                    aria-label="Training progress"
                ></progress>
                <span data-testid="train-progress">{progress}</span>
            </div>
            <p class="train-goal" data-testid="train-goal">
                {move || match training.time_to_goal.get() {
                    Some((seconds, episodes)) => format!(
                        "Compliance ≥ {COMPLIANCE_GOAL} over the last 100 training episodes after {seconds:.2} s ({episodes} episodes)."
                    ),
                    None => format!(
                        "Trains on {} on screen; {} episodes by default. Curves show each stretch of episodes, exploration included.",
                        host.trains_on,
                        TrainConfig::DEFAULT_EPISODES
                    ),
                }}
            </p>
            <div class="curves">
                <LearningCurves points=training.points budget=budget goal=COMPLIANCE_GOAL cost=host.cost />
            </div>
        </Panel>
    }
}
