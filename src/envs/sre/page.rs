//! The SRE gym's page: its state in context, the intro (unless a lesson opens: a first visit's
//! demo, or a lesson a link names), the run controls, and the stage: the HUD, the graph and the
//! caption of the last step, the action bar beside, the side column's lesson box and tabs
//! (alerts and tickets, the policy's values, the episode's summary); the Policy and Training
//! panels below; its help. The header and footer around it are the shell's.

use super::actions::ActionPanel;
use super::caption::Caption;
use super::controls::stem;
use super::controls::SettingsControls;
use super::desk::SreGym;
use super::hud::Hud;
use super::lessons::{self, FIRST_VISIT, LESSONS};
use super::picture::ServiceGraphPanel;
use super::policy_view::inspection_on_screen;
use super::session::Session;
use super::side_material::SideMaterial;
use crate::arena::panel::ArenaPanel;
use crate::learning::inspection_parts::inspected_state;
use crate::learning::policy_panel::PolicyPanel;
use crate::learning::train_panel::TrainPanel;
use crate::play::page_frame::PageFrame;
use crate::shell::notices::use_notices;
use crate::shell::url_hash::UrlHash;
use leptos::prelude::*;

#[component]
pub fn SrePage() -> impl IntoView {
    let gym = SreGym::new(UrlHash::current(), use_notices());
    provide_context(gym);
    let inspection = inspection_on_screen(gym);
    // A lesson starts its run afresh, with nothing targeted or written yet unless it says so.
    let start = Callback::new(move |settings| {
        gym.start_fresh(settings);
        gym.target.set(None);
        gym.justification.set(String::new());
    });
    let focus = Callback::new(move |what: &'static str| {
        gym.target.set(gym.peek(|s| lessons::focus_node(s, what)));
    });
    let alerts = gym
        .state
        .export("Export alerts", "-alerts.ndjson", Session::alerts_ndjson);
    view! {
        <PageFrame state=gym.state words=include_str!("page.md") stem=stem extra=alerts
            apply=move |settings| gym.apply(settings) page_notices=true
            lessons=&LESSONS first_visit=FIRST_VISIT start=start focus=focus facts=lessons::facts
            settings=move || view! { <SettingsControls gym=gym /> } hud=|| view! { <Hud /> }
            picture=move || view! { <ServiceGraphPanel inspection=inspection /> }
            caption=|| view! { <Caption /> } actions=|| view! { <ActionPanel /> }
            side=move || view! { <SideMaterial inspection=inspection /> }
        >
            <PolicyPanel host=gym current_state=inspected_state(inspection) />
            <TrainPanel host=gym />
            <ArenaPanel host=gym state=gym.state />
        </PageFrame>
    }
}
