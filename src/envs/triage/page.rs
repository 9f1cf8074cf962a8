//! The triage page: its state in context, the intro (unless a link opens a lesson), the run
//! controls, and the stage: the HUD with the trust and fatigue gauges, the inbox and the
//! caption of the last step, the decision bar beside, the lesson box, the grade card and the
//! adversary in the side column; the Policy and Training
//! panels below; its help. The header and footer around it are the shell's.

use super::actions::DecidePanel;
use super::adversary_panel::AdversaryPanel;
use super::caption::Caption;
use super::controls::{stem, SettingsControls};
use super::desk::TriageDesk;
use super::grade_panel::GradePanel;
use super::hud::Hud;
use super::lessons::{self, LESSONS};
use super::picture::Inbox;
use super::policy_view::{inspection_on_screen, PolicyView};
use super::session::Session;
use crate::arena::panel::ArenaPanel;
use crate::learning::inspection_parts::inspected_state;
use crate::learning::policy_panel::PolicyPanel;
use crate::learning::train_panel::TrainPanel;
use crate::play::page_frame::PageFrame;
use crate::shell::notices::use_notices;
use crate::shell::url_hash::UrlHash;
use leptos::prelude::*;

#[component]
pub fn TriagePage() -> impl IntoView {
    let desk = TriageDesk::new(UrlHash::current(), use_notices());
    provide_context(desk);
    let inspection = inspection_on_screen(desk);
    let start = Callback::new(move |settings| desk.start_fresh(settings));
    let pairs = desk
        .state
        .export("Export pairs", "-pairs.jsonl", Session::pairs_jsonl);
    view! {
        <PageFrame state=desk.state words=include_str!("page.md") stem=stem extra=pairs
            apply=move |settings| desk.apply(settings)
            lessons=&LESSONS start=start facts=lessons::facts
            settings=move || view! { <SettingsControls desk=desk /> }
            hud=|| view! { <Hud /> } picture=|| view! { <Inbox /> } caption=|| view! { <Caption /> }
            actions=|| view! { <DecidePanel /> } side=|| view! { <GradePanel /> <AdversaryPanel /> }
        >
            <PolicyPanel host=desk current_state=inspected_state(inspection)>
                <PolicyView inspection=inspection />
            </PolicyPanel>
            <TrainPanel host=desk />
            <ArenaPanel host=desk state=desk.state />
        </PageFrame>
    }
}
