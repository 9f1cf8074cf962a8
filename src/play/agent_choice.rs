//! The Agent select of a page's run controls, on its state: the settings' agents, the one in
//! force, and a new choice applied as a change of settings.

use super::decider::AgentSelect;
use super::link_settings::LinkSettings;
use super::page_session::LinkedSession;
use super::state::PageState;
use leptos::prelude::*;

#[component]
pub fn RunAgentSelect<S: LinkedSession>(
    state: PageState<S>,
    /// Whether the tab's policy cannot play now (its choice is shown disabled).
    #[prop(optional, into)]
    policy_unavailable: Signal<bool>,
) -> impl IntoView {
    let agents = <S::Settings as LinkSettings>::DECIDERS;
    view! {
        <AgentSelect
            agents=agents
            value=Signal::derive(move || state.read(|s| s.settings().agent()))
            on_choose=move |a| state.update(|s| s.set_agent(a))
            policy_unavailable=policy_unavailable
        />
    }
}
