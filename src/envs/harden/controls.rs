//! The hardening run's settings in the run controls (Scenario, Seed, Environment, Recommend
//! only, Agent), and its exports: the episode's trajectory as `ztgym run` writes it, and its audit
//! records (seed 001's six tables) as JSONL.

use super::desk::use_desk;
use super::id::ENV;
use super::settings::{parse_stage, scenario_names, HardenSettings};
use crate::play::agent_choice::RunAgentSelect;
use crate::play::run_exports::run_stem;
use crate::play::seed_input::SeedInput;
use crate::shell::choice_select::ChoiceSelect;
use leptos::prelude::*;
use ztgym::harden::Stage;

#[component]
pub fn SettingsControls() -> impl IntoView {
    let desk = use_desk();
    let settings = move || desk.read(|s| s.settings().clone());
    view! {
        <ChoiceSelect
            label="Scenario"
            class="harden-scenario"
            choices=scenario_names().into_iter().map(|n| (n, n.to_string())).collect()
            value=Signal::derive(move || settings().scenario.to_string())
            on_choose=move |v: String| {
                if let Some(n) = scenario_names().into_iter().find(|n| *n == v) {
                    desk.update(|s| s.scenario = n);
                }
            }
        />
        <SeedInput
            state=desk.state
            problem="Seed: a whole number from 0 to 2^64-1." label_class="harden-seed"
        />
        <ChoiceSelect
            label="Environment"
            choices=Stage::ALL.iter().map(|st| (st.as_str(), st.as_str().to_string())).collect()
            value=Signal::derive(move || settings().stage.as_str().to_string())
            on_choose=move |v: String| {
                if let Some(st) = parse_stage(&v) {
                    desk.update(|s| s.stage = st);
                }
            }
        />
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
        <RunAgentSelect state=desk.state />
    }
}

/// The run's file stem: `ztgym-harden-{scenario}-{stage}-{agent}-seed{seed}`.
pub fn stem(s: &HardenSettings) -> String {
    run_stem(
        &[ENV, s.scenario, s.stage.as_str(), s.agent.as_str()],
        s.seed,
    )
}
