//! What the tab's policy would decide on the message on screen, and why: what it reads in the
//! message (the adapter's seven features), the value of each decision, and the decision and
//! reasoning it would send. Shown inside the Policy panel, whoever decides, so a person can
//! hold their decision against the policy's; on the replayed message while the replay slider
//! is back in the episode.

use super::desk::{use_desk, TriageDesk};
use crate::learning::inspection_parts::{
    inspected, who_acts, FeatureChips, InspectionOrHint, InspectionSection, ValueChart,
};
use leptos::prelude::*;
use ztgym::core::policy::Inspection;
use ztgym::triage::adapter::FEATURES;
use ztgym::triage::Action;

/// What the policy would do on the message on screen (the replayed one if replaying), as one
/// memo; `None` without a policy for the task on screen.
pub fn inspection_on_screen(desk: TriageDesk) -> Memo<Option<Inspection<Action>>> {
    Memo::new(move |_| {
        let k = desk.player.replay.get();
        desk.read(|s| s.inspect(k))
    })
}

#[component]
pub fn PolicyView(inspection: Memo<Option<Inspection<Action>>>) -> impl IntoView {
    let desk = use_desk();
    let hint = move || {
        let task = desk.read(|s| s.settings().task.as_str());
        format!("Train or load a policy for task {task} to see what it would decide here.")
    };
    view! {
        <InspectionOrHint inspection=inspection hint=hint hint_when=desk.policy.held()>
            <Explained inspection=inspection />
        </InspectionOrHint>
    }
}

/// Only mounted while there is an inspection.
#[component]
fn Explained(inspection: Memo<Option<Inspection<Action>>>) -> impl IntoView {
    let desk = use_desk();
    let heading = move || match desk.player.replay.get() {
        Some(k) => format!(
            "What the policy would decide on message {} of this episode",
            k + 1
        ),
        None => "What the policy would decide on the message on screen".to_string(),
    };
    let who = who_acts(
        desk.state,
        [
            "It decides in this run: this is its decision on this message.",
            "You decide: this is what the policy would do in your place.",
            "Another agent decides: this is what the policy would do in its place.",
        ],
    );
    let with = move |f: fn(&Inspection<Action>) -> String| inspected(inspection, f);
    view! {
        <InspectionSection heading=Signal::derive(heading) who=who>
            <FeatureChips inspection=inspection names={FEATURES.iter().map(|f| f.name).collect()} label="What the policy reads in the message" />
            <p class="policy-action">
                "It would decide: "
                <strong data-testid="policy-decision">{with(|i| i.actions[i.chosen].to_string())}</strong>
                ", reasoning "
                <q data-testid="policy-reasoning">{with(|i| i.action.reasoning.to_string())}</q>
            </p>
            <ValueChart inspection=inspection label="The value of each decision (higher is better)" />
        </InspectionSection>
    }
}
