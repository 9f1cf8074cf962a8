//! The hardening page: its state in context, the intro (unless a link opens a lesson), the run
//! controls, and the stage: the HUD with the risk score, the digital twin as the picture and
//! the last cycle as a pipeline under it, the proposals (or recommendations) beside, the lesson
//! box, the risk chart and the evaluation in the side column, the policy in force below; its help. The header and footer around it are
//! the shell's.

use super::actions::ProposePanel;
use super::adapter::with_set;
use super::caption::PipelineView;
use super::charts::{MetricsPanel, RiskChart};
use super::controls::{stem, SettingsControls};
use super::desk::HardenDesk;
use super::hud::Hud;
use super::id::ENV;
use super::learned::HardenLearning;
use super::lessons::{self, LESSONS};
use super::picture::TwinView;
use super::policy_panel::PolicyPanel;
use super::policy_view::{inspection_on_screen, LearnedView};
use super::session::Session;
use crate::arena::panel::ArenaPanel;
use crate::learning::inspection_parts::inspected_state;
use crate::learning::policy_panel::PolicyPanel as LearnedPolicyPanel;
use crate::learning::train_panel::TrainPanel;
use crate::learning::training::client::Training;
use crate::play::lesson_box::{opening_lesson, opens, LessonBox};
use crate::play::page_frame::PageFrame;
use crate::shell::help_panel::{HelpPanel, Intro};
use crate::shell::notices::use_notices;
use crate::shell::url_hash::UrlHash;
use leptos::prelude::*;
use leptos::tachys::reactive_graph::OwnedView;
use ztgym::harden::adapter::for_scenario;

#[component]
pub fn HardenPage() -> impl IntoView {
    let notices = use_notices();
    // Read before the page writes its own hash.
    let opening = opening_lesson(
        &window().location().hash().unwrap_or_default(),
        &LESSONS,
        None,
    );
    let intro = !opens(&opening);
    let desk = HardenDesk::new(UrlHash::current(), notices);
    provide_context(desk);
    desk.policies.provide();
    provide_context(Training::new(notices));
    desk.state.mount(ENV, move |settings| desk.apply(settings));

    let start = Callback::new(move |settings| desk.start(settings, true));
    let lesson = move || {
        view! {
            <LessonBox
                state=desk.state
                env=ENV
                lessons=&LESSONS
                opening=opening.clone()
                start=start
                facts=lessons::facts
            />
        }
    };

    // The learning panels are those of the scenario's action set (learned.rs).
    let inspection = inspection_on_screen(desk);
    let current_state = inspected_state(inspection);
    let action_set = Memo::new(move |_| desk.read(|s| for_scenario(s.scenario())));
    // Each set's panels in an owner of their own (as each page is, src/app.rs), so what they
    // provide (the Policy panel's notices) goes with them when the scenario's set changes.
    let learning = move || {
        let set = action_set.get();
        let owner = Owner::current().expect("the page has an owner").child();
        let panels = owner.with(|| {
            with_set!(set, K => {
                let host = HardenLearning::<K>::new(desk);
                view! {
                    <LearnedPolicyPanel host=host current_state=current_state>
                        <LearnedView inspection=inspection />
                    </LearnedPolicyPanel>
                    <TrainPanel host=host />
                    <ArenaPanel host=host state=desk.state />
                }
                .into_any()
            })
        });
        OwnedView::new_with_owner(panels, owner)
    };

    view! {
        <Show when=move || intro>
        <Intro>
            <li>"Each cycle, telemetry updates the digital twin and its risk score; the candidate changes are listed beside it."</li>
            <li>"Pick a change and Propose it: the Rego gate allows or denies it with every reason, the twin forecasts the risk and the breakage, and it runs only if both pass."</li>
            <li>"The reward is the risk cut, minus twice the breakage risk, minus 1 if denied and 0.5 if not run; breakage that happens is the cost."</li>
            <li>"Or pick an agent (Random, Seed 001's bandit, Greedy) and press Play; Recommend only ranks the changes for you to Accept or Reject."</li>
            <li>"Or train a policy below (Q, or Lagrangian Q with breakage as the cost) and watch it find the changes that cut risk without breaking anything."</li>
        </Intro>
        </Show>
        <PageFrame
            state=desk.state
            settings=|| view! { <SettingsControls /> }
            stem=stem
            extra=desk.state.export("Export audit", "-audit.jsonl", Session::audit_jsonl)
            hud=|| view! { <Hud /> }
            picture=|| view! { <TwinView /> }
            caption=|| view! { <PipelineView /> }
            actions=|| view! { <ProposePanel /> }
            side=|| view! { <RiskChart /> <MetricsPanel /> }
            lesson=lesson
        >
            <PolicyPanel />
            {learning}
        </PageFrame>
        <HelpPanel>
            <p>"Keys: "<kbd>"p"</kbd>" proposes the picked change."</p>
            <p>
                "Environments differ in their breakage budgets and rules: prod is the strictest. In recommend-only mode nothing runs unless accepted; an agent's recommendations go to a scripted reviewer who accepts what the gate allows and the twin passes at breakage ≤ 0.1."
            </p>
        </HelpPanel>
    }
}
