//! The hardening run's settings in the run controls (Scenario, Seed, Environment, Recommend
//! only, Agent), and its exports: the episode's trajectory as `ztgym run` writes it, and its audit
//! records (seed 001's six tables) as JSONL.

use super::desk::use_desk;
use super::settings::{parse_stage, scenario_names, DECIDERS};
use crate::play::decider::AgentSelect;
use crate::play::seed_input::SeedInput;
use crate::shell::exports::{Export, ExportButtons};
use leptos::prelude::*;
use ztgym::harden::Stage;

#[component]
pub fn SettingsControls() -> impl IntoView {
    let desk = use_desk();
    let settings = move || desk.read(|s| s.settings().clone());
    view! {
        <label class="harden-scenario">
            "Scenario"
            <select
                prop:value=move || settings().scenario
                on:change=move |ev| {
                    let v = event_target_value(&ev);
                    if let Some(n) = scenario_names().into_iter().find(|n| *n == v) {
                        desk.update(|s| s.scenario = n);
                    }
                }
            >
                {scenario_names()
                    .into_iter()
                    .map(|n| view! { <option value=n>{n}</option> })
                    .collect_view()}
            </select>
        </label>
        <SeedInput
            value=Signal::derive(move || settings().seed)
            on_seed=move |seed| desk.update(|s| s.seed = seed)
            notices=desk.notices
            problem="Seed: a whole number from 0 to 2^64-1." label_class="harden-seed"
        />
        <label>
            "Environment"
            <select
                prop:value=move || settings().stage.as_str()
                on:change=move |ev| {
                    if let Some(st) = parse_stage(&event_target_value(&ev)) {
                        desk.update(|s| s.stage = st);
                    }
                }
            >
                {Stage::ALL
                    .iter()
                    .map(|st| view! { <option value=st.as_str()>{st.as_str()}</option> })
                    .collect_view()}
            </select>
        </label>
        <label class="check" title="Use case 10: the agent ranks the changes; nothing runs unless accepted">
            <input
                type="checkbox"
                prop:checked=move || settings().recommend
                on:change=move |ev| {
                    let recommend = event_target_checked(&ev);
                    desk.update(|s| s.recommend = recommend);
                }
            />
            "Recommend only"
        </label>
        <AgentSelect agents=&DECIDERS value=Signal::derive(move || settings().agent) on_choose=move |a| desk.update(|s| s.agent = a) />
    }
}

#[component]
pub fn Exports() -> impl IntoView {
    let desk = use_desk();
    let stem = move |()| {
        let s = desk.settings();
        format!(
            "ztgym-harden-{}-{}-{}-seed{}",
            s.scenario,
            s.stage.as_str(),
            s.agent.as_str(),
            s.seed
        )
    };
    let exports = vec![
        desk.trajectory_export(),
        Export::new("Export audit", "-audit.jsonl", move || {
            desk.peek(|s| s.audit_jsonl())
        }),
    ];
    view! { <ExportButtons notices=desk.notices stem=stem exports=exports /> }
}
