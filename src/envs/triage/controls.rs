//! The triage run's settings in the run controls (Task, Seed, Agent), and its exports: the
//! episode's trajectory as `ztgym run` writes it and its preference pairs as `ztgym pairs`
//! writes them.

use super::desk::use_desk;
use super::id::ENV;
use super::settings::TriageSettings;
use crate::play::agent_choice::RunAgentSelect;
use crate::play::run_exports::run_stem;
use crate::play::seed_input::SeedInput;
use crate::shell::choice_select::ChoiceSelect;
use leptos::prelude::*;
use ztgym::triage::TaskId;

#[component]
pub fn SettingsControls() -> impl IntoView {
    let desk = use_desk();
    let settings = move || desk.read(|s| s.settings().clone());
    view! {
        <ChoiceSelect
            label="Task"
            choices=TaskId::ALL.iter().map(|t| (t.as_str(), format!("{} {}", t.as_str(), t.name()))).collect()
            value=Signal::derive(move || settings().task.as_str().to_string())
            on_choose=move |v: String| {
                if let Ok(t) = TaskId::parse(&v) {
                    desk.update(|s| s.task = t);
                }
            }
        />
        <SeedInput
            state=desk.state
            problem="Seed: a whole number from 0 to 2^64-1."
        />
        <RunAgentSelect state=desk.state />
    }
}

/// The run's file stem: `ztgym-triage-{task}-{agent}-seed{seed}`.
pub fn stem(s: &TriageSettings) -> String {
    run_stem(&[ENV, s.task.as_str(), s.agent.as_str()], s.seed)
}
