//! What the tab's learned policy would propose on the twin on screen, and why: what it reads
//! in the twin's state (the adapter's five features), the value of each action, and the
//! change it would send. Shown inside the Policy panel, whoever proposes, so a person can hold
//! their proposal against the policy's. (The Rego policy in force is `policy_panel.rs`.)

use super::desk::{use_desk, HardenDesk};
use crate::learning::inspection_parts::{
    inspected, who_acts, FeatureChips, InspectionOrHint, InspectionSection, ValueChart,
};
use leptos::prelude::*;
use ztgym::core::policy::Inspection;
use ztgym::harden::Action;

/// What the policy would do on the twin on screen, as one memo; `None` without a policy for
/// the scenario on screen.
pub fn inspection_on_screen(desk: HardenDesk) -> Memo<Option<Inspection<Action>>> {
    Memo::new(move |_| desk.read(|s| desk.policies.inspect(s.scenario(), s.observation())))
}

/// A change as one line: its action and parameters (`block_ingress {"cidr":"0.0.0.0/0"}`).
fn change_text(action: &Action) -> String {
    if action.params.is_empty() {
        action.id.clone()
    } else {
        format!(
            "{} {}",
            action.id,
            serde_json::to_string(&action.params).unwrap_or_default()
        )
    }
}

#[component]
pub fn LearnedView(inspection: Memo<Option<Inspection<Action>>>) -> impl IntoView {
    let desk = use_desk();
    let hint = move || {
        let scenario = desk.read(|s| s.settings().scenario);
        format!("Train or load a policy for scenario {scenario} to see what it would propose here.")
    };
    view! {
        <InspectionOrHint inspection=inspection hint=hint hint_testid="policy-none">
            <Explained inspection=inspection />
        </InspectionOrHint>
    }
}

/// Only mounted while there is an inspection. Mounted again when the action set changes (the
/// Policy panel is the action set's), so the rows are fixed while it is mounted.
#[component]
fn Explained(inspection: Memo<Option<Inspection<Action>>>) -> impl IntoView {
    let desk = use_desk();
    let who = who_acts(
        desk.state,
        [
            "It proposes in this run: this is its next proposal.",
            "You propose: this is what the policy would propose in your place.",
            "Another agent proposes: this is what the policy would propose in its place.",
        ],
    );
    let features = inspection.with_untracked(|i| {
        i.as_ref()
            .map(|i| i.features.iter().map(|(n, _)| *n).collect::<Vec<_>>())
            .unwrap_or_default()
    });
    view! {
        <InspectionSection
            heading="What the policy would propose on the twin on screen".to_string()
            who=who
        >
            <FeatureChips inspection=inspection names=features label="What the policy reads in the twin's state" />
            <p class="policy-action">
                "It would propose: "
                <strong data-testid="policy-decision">
                    {inspected(inspection, |i| change_text(&i.action))}
                </strong>
            </p>
            <ValueChart inspection=inspection />
        </InspectionSection>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_change_reads_as_its_action_and_parameters() {
        let mut a = Action {
            id: "enforce_mfa".into(),
            params: Default::default(),
            accepted: None,
        };
        assert_eq!(change_text(&a), "enforce_mfa");
        a.params
            .insert("principal".into(), serde_json::json!("<b>app-role</b>"));
        assert_eq!(
            change_text(&a),
            "enforce_mfa {\"principal\":\"<b>app-role</b>\"}"
        );
    }
}
