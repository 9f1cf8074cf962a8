//! The hardening run's settings in the run controls (Scenario, Seed, Environment, Recommend
//! only, Agent), and its exports: the episode's trajectory as `ztgym run` writes it, and its audit
//! records (seed 001's six tables) as JSONL.

use super::desk::HardenDesk;
use super::id::ENV;
use super::settings::{scenario_names, HardenSettings};
use crate::play::agent_choice::RunAgentSelect;
use crate::play::run_exports::run_stem;
use crate::play::seed_input::SeedInput;
use crate::shell::choice_select::{Choice, ChoiceSelect};
use leptos::prelude::*;
use ztgym::harden::Stage;

#[component]
pub fn SettingsControls(desk: HardenDesk) -> impl IntoView {
    view! {
        <ChoiceSelect
            label="Scenario"
            class="harden-scenario"
            choices=scenario_names()
            value=Signal::derive(move || desk.read(|s| s.settings().scenario))
            on_choose=move |scenario| desk.update(|s| s.scenario = scenario)
        />
        <SeedInput state=desk.state label_class="harden-seed" />
        <ChoiceSelect
            label="Environment"
            choices=Stage::ALL.to_vec()
            value=Signal::derive(move || desk.read(|s| s.settings().stage))
            on_choose=move |stage| desk.update(|s| s.stage = stage)
        />
        <label class="check" title="Use case 10: the agent ranks the changes; nothing runs unless accepted">
            <input
                type="checkbox"
                prop:checked=move || desk.read(|s| s.settings().recommend)
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

impl Choice for Stage {
    fn name(self) -> &'static str {
        self.as_str()
    }
}
