//! The triage run's settings in the run controls (Task, Seed, Agent), and its exports: the
//! episode's trajectory as `ztgym run` writes it and its preference pairs as `ztgym pairs`
//! writes them.

use super::desk::use_desk;
use super::settings::DECIDERS;
use crate::play::decider::AgentSelect;
use crate::play::seed_input::SeedInput;
use crate::shell::exports::{Export, ExportButtons};
use leptos::prelude::*;
use ztgym::triage::TaskId;

#[component]
pub fn SettingsControls() -> impl IntoView {
    let desk = use_desk();
    let settings = move || desk.read(|s| s.settings().clone());
    view! {
        <label>
            "Task"
            <select
                prop:value=move || settings().task.as_str()
                on:change=move |ev| {
                    if let Ok(t) = TaskId::parse(&event_target_value(&ev)) {
                        desk.update(|s| s.task = t);
                    }
                }
            >
                {TaskId::ALL
                    .iter()
                    .map(|t| view! { <option value=t.as_str()>{format!("{} {}", t.as_str(), t.name())}</option> })
                    .collect_view()}
            </select>
        </label>
        <SeedInput
            value=Signal::derive(move || settings().seed)
            on_seed=move |seed| desk.update(|s| s.seed = seed)
            notices=desk.notices
            problem="Seed: a whole number from 0 to 2^64-1."
        />
        <AgentSelect agents=&DECIDERS value=Signal::derive(move || settings().agent) on_choose=move |a| desk.update(|s| s.agent = a) />
    }
}

#[component]
pub fn Exports() -> impl IntoView {
    let desk = use_desk();
    let stem = move |()| {
        let s = desk.settings();
        format!(
            "ztgym-triage-{}-{}-seed{}",
            s.task.as_str(),
            s.agent.as_str(),
            s.seed
        )
    };
    let exports = vec![
        desk.trajectory_export(),
        Export::new("Export pairs", "-pairs.jsonl", move || {
            desk.peek(|s| s.pairs_jsonl())
        }),
    ];
    view! { <ExportButtons notices=desk.notices stem=stem exports=exports /> }
}
