//! The Rego policy in force, in the shared Rego panel ([`crate::rego::panel::RegoPanel`]): edit
//! it, see its decision on the gate's input for the current proposal and the lines it covered,
//! run its `test_` rules, load, save and share it. An edit goes in force from the next
//! decision on (the proposals on screen are judged again), and rides in the share link.

use super::desk::use_desk;
use crate::rego::bundle::RegoBundle;
use crate::rego::panel::{RegoHint, RegoPanel};
use crate::shell::panel::Panel;
use leptos::prelude::*;
use ztgym::harden::Scenario;

#[component]
pub fn PolicyPanel() -> impl IntoView {
    let desk = use_desk();
    // The panel's copy of the policy in force; it follows the desk (a new scenario, a link).
    let policy = RwSignal::new(desk.peek(|s| RegoBundle::from_policy(s.policy())));
    Effect::new(move |_| {
        let bundle = desk.policy_bundle();
        if policy.with_untracked(|p| *p != bundle) {
            policy.set(bundle);
        }
    });
    let scenario = Memo::new(move |_| desk.read(|s| s.settings().scenario));
    let default = Signal::derive(move || {
        RegoBundle::single(
            "policy.rego",
            Scenario::builtin_policy(scenario.get()).unwrap_or_default(),
        )
    });
    let apply = Callback::new(move |bundle: RegoBundle| desk.set_policy(bundle));
    view! {
        <Panel id="harden-policy" title="Policy (Rego)" class="panel-harden-policy">
            <RegoHint text="Apply puts the text in force from the next decision on: the proposals on screen are judged again. An edited policy or bundle (modules, data) rides in the share link." />
            <RegoPanel
                policy=policy
                default=default
                input=desk.gate_input
                apply=apply
            />
        </Panel>
    }
}
