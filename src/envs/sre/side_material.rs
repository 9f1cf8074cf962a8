//! The SRE gym's side column on the stage, in tabs of one fixed size: alerts and tickets (shown
//! first), the policy's values on the step on screen, the episode's summary, and the gate (its
//! Rego policy in the Rego panel, when the Rego gate is chosen). When a
//! person's or a single run's episode ends, the Episode tab comes forward by itself (unless the
//! person picked a tab), and goes back to alerts when the next episode starts.

use super::alerts_panel::AlertsPanel;
use super::desk::use_gym;
use super::episode_panel::EpisodePanel;
use super::gate_choice::GateChoice;
use super::policy_view::PolicyInspection;
use super::tickets_panel::TicketsPanel;
use crate::rego::bundle::RegoBundle;
use crate::rego::panel::{RegoHint, RegoPanel};
use crate::shell::panel::{EmptyState, Panel};
use crate::shell::side_tabs::{SideTab, SideTabPanel, SideTabStrip};
use leptos::prelude::*;
use ztgym::policy::Inspection;

const ALERTS: &str = "side-alerts";
const POLICY: &str = "side-policy";
const EPISODE: &str = "side-episode";
const GATE: &str = "side-gate";
static TABS: [SideTab; 4] = [
    (ALERTS, "Alerts & tickets"),
    (POLICY, "Policy's values"),
    // Before Episode, which stays last (the arrow keys wrap from it to the first).
    (GATE, "Gate"),
    (EPISODE, "Episode"),
];

#[component]
pub fn SideMaterial(inspection: Memo<Option<Inspection>>) -> impl IntoView {
    let gym = use_gym();
    let selected = RwSignal::new(ALERTS);
    // Whether the Episode tab came forward by itself (and so may go back by itself).
    let came_forward = StoredValue::new(false);
    let done = Memo::new(move |_| gym.read(|s| s.done()));
    Effect::new(move |before: Option<bool>| {
        let now = done.get();
        if now && before == Some(false) {
            let repeating = gym.player.keep_going.get_untracked();
            if !repeating && selected.get_untracked() == ALERTS {
                selected.set(EPISODE);
                came_forward.set_value(true);
            }
        } else if !now && came_forward.get_value() {
            came_forward.set_value(false);
            if selected.get_untracked() == EPISODE {
                selected.set(ALERTS);
            }
        }
        now
    });
    let no_policy = move || gym.policy.with(|p| p.is_none());
    view! {
        <SideTabStrip
            tabs=&TABS
            selected=selected
            on_pick=Callback::new(move |_: &'static str| came_forward.set_value(false))
        />
        <SideTabPanel id=ALERTS selected=selected>
            <AlertsPanel />
            <TicketsPanel />
        </SideTabPanel>
        <SideTabPanel id=POLICY selected=selected>
            <Panel id="policy-values" title="Policy's values" class="panel-policy-values">
                <Show when=no_policy>
                    <EmptyState
                        title="No policy in this tab."
                        hint="Pick a bundled one or load a file in the Learned policy panel below, or train one: what it would do on the step on screen shows here."
                    />
                </Show>
                <PolicyInspection inspection=inspection />
            </Panel>
        </SideTabPanel>
        <SideTabPanel id=EPISODE selected=selected>
            <EpisodePanel />
        </SideTabPanel>
        <SideTabPanel id=GATE selected=selected>
            <GatePanel />
        </SideTabPanel>
    }
}

/// The gate: with the Rego gate, its policy in the Rego panel.
#[component]
fn GatePanel() -> impl IntoView {
    let gym = use_gym();
    let rego = Memo::new(move |_| gym.read(|s| s.settings().gate == GateChoice::Rego));
    let input = Memo::new(move |_| gym.gate_input());
    let apply = Callback::new(move |bundle: RegoBundle| gym.apply_rego(bundle));
    view! {
        <Panel id="gate" title="Gate" class="panel-gate">
            <RegoHint text="Training in the Train panel always uses the built-in gate, whatever is chosen here." />
            <Show
                when=move || rego.get()
                fallback=|| {
                    view! {
                        <EmptyState
                            title="The built-in gate (Rust) judges isolate, patch and restore."
                            hint="Choose Gate: Rego in the settings to read, edit and test the same rules as a Rego policy."
                        />
                    }
                }
            >
                <RegoHint text="Apply puts the text in force and starts the episode again (same seed)." />
                <RegoPanel
                    policy=gym.rego
                    default=Signal::derive(super::gate_choice::shipped)
                    input=input
                    apply=apply
                />
            </Show>
        </Panel>
    }
}
