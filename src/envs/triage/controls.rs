//! The triage run's settings in the run controls (Task, Seed, Agent), and its exports: the
//! episode's trajectory as `ztgym run` writes it and its preference pairs as `ztgym pairs`
//! writes them.

use super::desk::TriageDesk;
use super::id::ENV;
use super::settings::TriageSettings;
use crate::play::agent_choice::RunAgentSelect;
use crate::play::run_exports::run_stem;
use crate::play::seed_input::SeedInput;
use crate::shell::choice_select::{Choice, ChoiceSelect};
use leptos::prelude::*;
use ztgym::triage::TaskId;

#[component]
pub fn SettingsControls(desk: TriageDesk) -> impl IntoView {
    view! {
        <ChoiceSelect
            label="Task"
            choices=TaskId::ALL.to_vec()
            value=Signal::derive(move || desk.read(|s| s.settings().task))
            on_choose=move |task| desk.update(|s| s.task = task)
        />
        <SeedInput state=desk.state />
        <RunAgentSelect state=desk.state />
    }
}

/// The run's file stem: `ztgym-triage-{task}-{agent}-seed{seed}`.
pub fn stem(s: &TriageSettings) -> String {
    run_stem(&[ENV, s.task.as_str(), s.agent.as_str()], s.seed)
}

impl Choice for TaskId {
    fn name(self) -> &'static str {
        self.as_str()
    }

    fn text(self) -> String {
        format!("{} {}", self.as_str(), TaskId::name(self))
    }
}
