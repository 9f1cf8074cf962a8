//! The policy in force, read-only, and the input the gate sees for the current proposal. The
//! Rego editor panel will take this place; it reads and sets the same through the desk
//! ([`super::desk::HardenDesk::policy_text`], `set_policy`, `gate_input`).

use super::desk::use_desk;
use crate::shell::panel::Panel;
use leptos::prelude::*;

#[component]
pub fn PolicyPanel() -> impl IntoView {
    let desk = use_desk();
    let name = move || desk.read(|s| s.policy().name().to_string());
    let input = move || {
        desk.gate_input
            .get()
            .map(|v| serde_json::to_string_pretty(&v).unwrap_or_default())
            .unwrap_or_else(|| "(no proposal yet)".into())
    };
    view! {
        <Panel id="harden-policy" title="Policy in force" class="panel-harden-policy">
            <div class="harden-policy">
                <figure>
                    <figcaption>{name}</figcaption>
                    <pre class="policy-text" data-testid="policy-text">{move || desk.policy_text()}</pre>
                </figure>
                <figure>
                    <figcaption>"The gate's input for the current proposal"</figcaption>
                    <pre class="gate-input" data-testid="gate-input">{input}</pre>
                </figure>
            </div>
        </Panel>
    }
}
