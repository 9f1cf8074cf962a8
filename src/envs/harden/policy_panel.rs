//! The Rego policy in force, in the shared Rego panel ([`crate::rego::panel::RegoPanel`]): edit
//! it, see its decision on the gate's input for the current proposal and the lines it covered,
//! run its `test_` rules, load, save and share it. An edit goes in force from the next
//! decision on (the proposals on screen are judged again), and rides in the share link.

use super::desk::use_desk;
use crate::rego::panel::{RegoHint, RegoPanel};
use crate::shell::panel::Panel;
use leptos::prelude::*;
use ztgym::harden::Scenario;

#[component]
pub fn PolicyPanel() -> impl IntoView {
    let desk = use_desk();
    // The panel's copy of the policy in force; it follows the desk (a new scenario, a link).
    let policy = RwSignal::new(desk.peek(|s| s.policy().text().to_string()));
    Effect::new(move |_| {
        let text = desk.policy_text();
        if policy.with_untracked(|p| *p != text) {
            policy.set(text);
        }
    });
    let scenario = Memo::new(move |_| desk.read(|s| s.settings().scenario));
    let default_text = Signal::derive(move || {
        Scenario::builtin_policy(scenario.get())
            .unwrap_or_default()
            .to_string()
    });
    let file_name = Signal::derive(move || {
        scenario.track();
        // Its file's name (a built-in scenario's is `SCENARIO/policy.rego`).
        desk.peek(|s| {
            let name = s.policy().name();
            name.rsplit('/').next().unwrap_or(name).to_string()
        })
    });
    let apply = Callback::new(move |text: String| desk.set_policy(text));
    view! {
        <Panel id="harden-policy" title="Policy (Rego)" class="panel-harden-policy">
            <RegoHint text="Apply puts the text in force from the next decision on: the proposals on screen are judged again. An edited policy rides in the share link." />
            <RegoPanel
                policy=policy
                default_text=default_text
                file_name=file_name
                input=desk.gate_input
                apply=apply
            />
        </Panel>
    }
}
