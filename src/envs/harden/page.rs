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
use crate::play::page_frame::PageFrame;
use crate::shell::notices::use_notices;
use crate::shell::url_hash::UrlHash;
use leptos::prelude::*;
use leptos::tachys::reactive_graph::OwnedView;
use ztgym::harden::adapter::for_scenario;

#[component]
pub fn HardenPage() -> impl IntoView {
    let desk = HardenDesk::new(UrlHash::current(), use_notices());
    provide_context(desk);
    let start = Callback::new(move |settings| desk.start(settings, true));

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

    let audit = desk
        .state
        .export("Export audit", "-audit.jsonl", Session::audit_jsonl);
    view! {
        <PageFrame state=desk.state words=include_str!("page.md") stem=stem extra=audit
            apply=move |settings| desk.apply(settings)
            lessons=&LESSONS start=start facts=lessons::facts
            settings=move || view! { <SettingsControls desk=desk /> }
            hud=|| view! { <Hud /> } picture=|| view! { <TwinView /> }
            caption=|| view! { <PipelineView /> } actions=|| view! { <ProposePanel /> }
            side=|| view! { <RiskChart /> <MetricsPanel /> }
        >
            <PolicyPanel />
            {learning}
        </PageFrame>
    }
}
