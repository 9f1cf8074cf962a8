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
use super::id::ENV;
use super::lessons::{self, FIRST_VISIT, LESSONS};
use super::picture::ServiceGraphPanel;
use super::policy_view::inspection_on_screen;
use super::session::Session;
use super::side_material::SideMaterial;
use crate::arena::panel::ArenaPanel;
use crate::learning::inspection_parts::inspected_state;
use crate::learning::policy_panel::PolicyPanel;
use crate::learning::train_panel::TrainPanel;
use crate::learning::training::client::Training;
use crate::play::lesson_box::{opening_lesson, opens, LessonBox};
use crate::play::page_frame::PageFrame;
use crate::shell::help_panel::{HelpPanel, Intro};
use crate::shell::notices::use_notices;
use crate::shell::url_hash::UrlHash;
use leptos::prelude::*;

#[component]
pub fn SrePage() -> impl IntoView {
    let notices = use_notices();
    // Read before the page writes its own hash.
    let opening = opening_lesson(
        &window().location().hash().unwrap_or_default(),
        &LESSONS,
        Some(FIRST_VISIT),
    );
    let gym = SreGym::new(UrlHash::current(), notices);
    provide_context(gym);
    provide_context(gym.policy);
    provide_context(Training::new(notices));
    gym.state.mount(ENV, move |settings| gym.apply(settings));
    let inspection = inspection_on_screen(gym);
    let current_state = inspected_state(inspection);
    let intro = !opens(&opening);
    // A lesson starts its run afresh, with nothing targeted or written yet unless it says so.
    let start = Callback::new(move |settings| {
        gym.start_fresh(settings);
        gym.target.set(None);
        gym.justification.set(String::new());
    });
    let focus = Callback::new(move |what: &'static str| {
        gym.target.set(gym.peek(|s| lessons::focus_node(s, what)));
    });
    let lesson = move || {
        view! {
            <LessonBox
                state=gym.state
                env=ENV
                lessons=&LESSONS
                opening=opening.clone()
                start=start
                focus=focus
                facts=lessons::facts
            />
        }
    };

    view! {
        <Show when=move || intro>
        <Intro>
            <li>"Alerts stream in on the right. Click a service in the graph to target it, then Investigate its logs (or press i)."</li>
            <li>"Found a compromise? Cite the evidence (the Cite buttons), name the blast radius and a rollback plan, and File ticket."</li>
            <li>"Check approval once the review is done, then Isolate or Patch. Acting without an approved ticket costs -20 and ends the episode."</li>
            <li>"Or pick an agent (Random, SOP operator) and press Play to watch one."</li>
        </Intro>
        </Show>
        <PageFrame
            state=gym.state
            settings=|| view! { <SettingsControls /> }
            stem=stem
            extra=gym.state.export("Export alerts", "-alerts.ndjson", Session::alerts_ndjson)
            page_notices=true
            hud=|| view! { <Hud /> }
            picture=move || view! { <ServiceGraphPanel inspection=inspection /> }
            caption=|| view! { <Caption /> }
            actions=|| view! { <ActionPanel /> }
            side=move || view! { <SideMaterial inspection=inspection /> }
            lesson=lesson
        >
            <PolicyPanel host=gym current_state=current_state />
            <TrainPanel host=gym />
            <ArenaPanel host=gym state=gym.state />
        </PageFrame>
        <HelpPanel>
            <p>
                "Keys for your actions, once a service is picked (click it, or Tab to it): "
                <kbd>"i"</kbd>" Investigate, "<kbd>"t"</kbd>" File ticket, "<kbd>"c"</kbd>
                " Check approval, "<kbd>"x"</kbd>" Isolate, "<kbd>"o"</kbd>" Restore, "
                <kbd>"p"</kbd>" Patch, "<kbd>"w"</kbd>" Wait."
            </p>
            <p>
                "Isolating, patching or restoring a node needs an approved change ticket for that node and action: without one it costs -20 and ends the episode. Investigate first, cite what you found, wait for the verdict, then act."
            </p>
        </HelpPanel>
    }
}
