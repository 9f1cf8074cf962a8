//! The SRE gym's run controls: its settings (scenario, level, seed, agent, gate), and its
//! exports: the episode's trajectory, exactly as `ztgym run` writes it, and its alerts as
//! `ztgym run --alerts` writes them.

use super::bundled_policies::for_scenario;
use super::desk::SreGym;
use super::gate_choice::GateChoice;
use super::settings::RunSettings;
use crate::play::agent_choice::RunAgentSelect;
use crate::play::run_exports::run_stem;
use crate::play::seed_input::SeedInput;
use crate::shell::choice_select::{Choice, ChoiceSelect};
use leptos::prelude::*;
use ztgym::{Level, Scenario};

#[component]
pub fn SettingsControls(gym: SreGym) -> impl IntoView {
    view! {
        <ChoiceSelect
            label="Scenario"
            choices=Scenario::builtin_names().collect()
            value=Signal::derive(move || {
                gym.read(|s| Scenario::builtin_names().find(|n| *n == s.settings().scenario))
                    .unwrap_or_default()
            })
            on_choose=move |name: &'static str| {
                let level = Scenario::builtin(name)
                    .map(|s| s.file.scenario.default_level)
                    .unwrap_or(Level::Warmup);
                gym.update(|s| {
                    s.scenario = name.to_string();
                    s.level = level;
                });
            }
        />
        <ChoiceSelect
            label="Level"
            choices=Level::ALL.to_vec()
            value=Signal::derive(move || gym.read(|s| s.settings().level))
            on_choose=move |level| gym.update(|s| s.level = level)
        />
        <SeedInput state=gym.state input_class="seed-input" />
        // The Policy choice needs a policy for this scenario: the tab's, or one bundled with
        // the page.
        <RunAgentSelect
            state=gym.state
            policy_unavailable=Signal::derive(move || {
                gym.read(|s| s.policy().is_none() && for_scenario(&s.settings().scenario).is_none())
            })
        />
        <ChoiceSelect
            label="Gate"
            title="Which rules judge isolate, patch and restore: the built-in ones (Rust) or the same rules as a Rego policy, read and edited in the Gate tab. Training in the Train panel always uses the built-in gate."
            testid="gate-select"
            choices=GateChoice::ALL.to_vec()
            value=Signal::derive(move || gym.read(|s| s.settings().gate))
            on_choose=move |gate| gym.update(|s| s.gate = gate)
        />
    }
}

/// The run's file stem: `ztgym-{scenario}-{agent}-seed{seed}`.
pub fn stem(s: &RunSettings) -> String {
    run_stem(&[&s.scenario, s.agent.as_str()], s.seed)
}

impl Choice for Level {
    fn name(self) -> &'static str {
        self.as_str()
    }
}
