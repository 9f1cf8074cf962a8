//! What the tab's policy would do on the SRE gym's observation on screen, and why: what it
//! sees (its six features and target nodes), the value it gives each of the seven abstract
//! actions, and the concrete action it would send. Shown inside the Policy panel; it explains
//! the policy whoever plays, so a person playing as Human can hold their move against its.
//!
//! The view re-renders while an agent plays at full speed, so everything that changes per step
//! is fine-grained: the inspection is one memo, each bar of the chart its own memo.

use super::desk::{use_gym, SreGym};
use super::settings::Decider;
use super::story::decision_step;
use crate::learning::host::LearningHost;
use crate::learning::inspection_parts::{
    inspected, FeatureChips, InspectionOrHint, InspectionSection, ValueChart,
};
#[cfg(test)]
use crate::learning::value_chart::Bar;
use crate::play::player::use_player;
use leptos::prelude::*;
use ztgym::features::FEATURES;
use ztgym::policy::Inspection;

/// A target node's name, or a dash for none.
fn target(node: Option<&str>) -> String {
    node.unwrap_or("–").to_string()
}

/// What the policy would do on the observation on screen (the replayed one if replaying; at
/// an episode's end, the last decision), as one memo; `None` without a policy for this
/// scenario.
pub fn inspection_on_screen(gym: SreGym) -> Memo<Option<Inspection>> {
    Memo::new(move |_| {
        let k = gym.player.replay.get();
        gym.read(|s| s.inspect(decision_step(s, k)))
    })
}

/// The inspection, or a hint when the tab's policy cannot be inspected here (said only while
/// the tab has a policy, for another scenario).
#[component]
pub fn PolicyInspection(inspection: Memo<Option<Inspection>>) -> impl IntoView {
    let gym = use_gym();
    let hint = move || {
        format!(
            "Load a policy for {} to see what it would do here.",
            gym.scenario()
        )
    };
    view! {
        <InspectionOrHint inspection=inspection hint=hint hint_when=gym.policy.held()>
            <InspectionView inspection=inspection />
        </InspectionOrHint>
    }
}

/// What the policy sees and would do on the observation on screen. Only mounted while there is
/// an inspection.
#[component]
fn InspectionView(inspection: Memo<Option<Inspection>>) -> impl IntoView {
    let gym = use_gym();
    let player = use_player();
    let agent = Memo::new(move |_| gym.read(|s| s.settings().agent));
    let done = Memo::new(move |_| gym.read(|s| s.done()));
    let steps = Memo::new(move |_| gym.read(|s| s.log().steps.len()));
    let heading = move || match (player.replay.get(), done.get()) {
        (Some(k), _) => format!("What the policy would do after step {k} of this episode"),
        (None, true) => format!(
            "What the policy decided at the last step (step {})",
            steps.get()
        ),
        (None, false) => "What the policy would do now".to_string(),
    };
    let who = move || {
        let replaying = player.replay.get().is_some();
        match (agent.get(), replaying, done.get()) {
            (_, false, true) => {
                "The episode is over: this is the decision of its last step. Move the timeline under the picture to see the others."
            }
            (Decider::Policy, false, _) => "It plays as the agent: this is its next step.",
            (Decider::Policy, true, _) => "It played this episode: this is the step it took.",
            (Decider::Human, _, _) => {
                "You play: this is what the policy would do in your place."
            }
            _ => "Another agent plays: this is what the policy would do in its place.",
        }
    };
    let with = move |f: fn(&Inspection) -> String| inspected(inspection, f);
    view! {
        <InspectionSection heading=Signal::derive(heading) who=Signal::derive(who)>
            <FeatureChips inspection=inspection names={FEATURES.iter().map(|f| f.name).collect()} label="What the policy sees" />
            <dl class="policy-targets">
                <div>
                    <dt>"Suspect"</dt>
                    <dd data-testid="policy-suspect">{with(|i| target(i.target("suspect")))}</dd>
                </div>
                <div>
                    <dt>"Ticket on"</dt>
                    <dd data-testid="policy-to-ticket">{with(|i| target(i.target("to_ticket")))}</dd>
                </div>
                <div>
                    <dt>"Contain"</dt>
                    <dd data-testid="policy-to-contain">{with(|i| target(i.target("to_contain")))}</dd>
                </div>
            </dl>
            <p class="policy-action">
                "Action it would send: "
                <code data-testid="policy-action">{with(|i| i.action.to_string())}</code>
            </p>
            <ValueChart inspection=inspection />
        </InspectionSection>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::envs::sre::adapter::LoadedPolicy;
    use crate::envs::sre::bundled_policies::BUNDLED;
    use ztgym::policy::PolicyAgent;
    use ztgym::{Env, ResetOptions, Scenario};

    fn first_inspection() -> Inspection {
        let (name, text) = BUNDLED[0];
        let loaded = LoadedPolicy::from_file(name, text, "classic").unwrap();
        let scenario = Scenario::builtin("classic").unwrap();
        let mut env = Env::new(scenario.clone());
        let (obs, _) = env.reset(3, ResetOptions::default());
        PolicyAgent::new(&loaded.policy, &scenario)
            .unwrap()
            .inspect(&obs)
    }

    #[test]
    fn bars_grow_from_the_middle_and_the_largest_reaches_an_end() {
        let mut i = first_inspection();
        i.values = vec![10.0, -20.0, 5.0, 0.0, -20.0, 20.0, 1.0];
        let bars: Vec<Bar> = (0..7).map(|a| Bar::of(&i, a)).collect();
        assert_eq!((bars[0].left, bars[0].width), (50.0, 25.0));
        assert_eq!((bars[1].left, bars[1].width), (0.0, 50.0));
        assert_eq!((bars[3].left, bars[3].width), (50.0, 0.0));
        assert_eq!((bars[5].left, bars[5].width), (50.0, 50.0));
        assert_eq!(bars.iter().filter(|b| b.chosen).count(), 1);

        i.values = vec![0.0; 7];
        assert_eq!(
            Bar::of(&i, 2).width,
            0.0,
            "all zero: no bar, no division by zero"
        );
    }

    #[test]
    fn marks_name_the_chosen_masked_and_rule_breaking_actions() {
        let i = first_inspection();
        let marks: Vec<String> = (0..7).map(|a| Bar::of(&i, a).marks()).collect();
        assert!(marks[i.chosen].starts_with("chosen"), "{marks:?}");
        let isolate = i.actions.iter().position(|a| *a == "isolate").unwrap();
        assert!(
            marks[isolate].contains("breaks a rule"),
            "isolating at reset has no approved ticket: {marks:?}"
        );
    }
}
