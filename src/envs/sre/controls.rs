//! The SRE gym's run controls: its settings (scenario, level, seed, agent, gate), and its
//! exports: the episode's trajectory, exactly as `ztgym run` writes it, and its alerts as
//! `ztgym run --alerts` writes them.

use super::bundled_policies::for_scenario;
use super::desk::use_gym;
use super::gate_choice::GateChoice;
use super::settings::DECIDERS;
use crate::play::decider::AgentSelect;
use crate::play::seed_input::SeedInput;
use crate::shell::exports::{Export, ExportButtons};
use leptos::prelude::*;
use ztgym::{Level, Scenario};

#[component]
pub fn SettingsControls() -> impl IntoView {
    let gym = use_gym();
    let settings = move || gym.read(|s| s.settings().clone());
    view! {
        <label>
            "Scenario"
            <select
                prop:value=move || settings().scenario
                on:change=move |ev| {
                    let name = event_target_value(&ev);
                    let level = Scenario::builtin(&name)
                        .map(|s| s.file.scenario.default_level)
                        .unwrap_or(Level::Warmup);
                    gym.update(|s| {
                        s.scenario = name.clone();
                        s.level = level;
                    });
                }
            >
                {Scenario::builtin_names()
                    .map(|n| view! { <option value=n>{n}</option> })
                    .collect_view()}
            </select>
        </label>
        <label>
            "Level"
            <select
                prop:value=move || settings().level.as_str()
                on:change=move |ev| {
                    if let Some(level) = Level::parse(&event_target_value(&ev)) {
                        gym.update(|s| s.level = level);
                    }
                }
            >
                {Level::ALL
                    .iter()
                    .map(|l| view! { <option value=l.as_str()>{l.as_str()}</option> })
                    .collect_view()}
            </select>
        </label>
        <SeedInput
            value=Signal::derive(move || settings().seed)
            on_seed=move |seed| gym.update(|s| s.seed = seed)
            notices=gym.notices
            problem="Seed: enter a whole number from 0 upwards." input_class="seed-input"
        />
        // The Policy choice needs a policy for this scenario: the tab's, or one bundled with
        // the page.
        <AgentSelect
            agents=&DECIDERS
            value=Signal::derive(move || settings().agent)
            on_choose=move |a| gym.update(|s| s.agent = a)
            policy_unavailable=Signal::derive(move || {
                gym.read(|s| s.policy().is_none() && for_scenario(&s.settings().scenario).is_none())
            })
        />
        <label title="Which rules judge isolate, patch and restore: the built-in ones (Rust) or the same rules as a Rego policy, read and edited in the Gate tab. Training in the Train panel always uses the built-in gate.">
            "Gate"
            <select
                data-testid="gate-select"
                prop:value=move || settings().gate.as_str()
                on:change=move |ev| {
                    if let Some(gate) = GateChoice::parse(&event_target_value(&ev)) {
                        gym.update(|s| s.gate = gate);
                    }
                }
            >
                {GateChoice::ALL
                    .iter()
                    .map(|g| view! { <option value=g.as_str()>{g.label()}</option> })
                    .collect_view()}
            </select>
        </label>
    }
}

#[component]
pub fn Exports() -> impl IntoView {
    let gym = use_gym();
    let stem = move |()| {
        let s = gym.settings();
        format!("ztgym-{}-{}-seed{}", s.scenario, s.agent.as_str(), s.seed)
    };
    let exports = vec![
        gym.trajectory_export(),
        Export::new("Export alerts", "-alerts.ndjson", move || {
            gym.peek(|s| s.alerts_ndjson())
        }),
    ];
    view! { <ExportButtons notices=gym.notices stem=stem exports=exports /> }
}
