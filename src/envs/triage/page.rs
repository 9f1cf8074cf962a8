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
use super::id::ENV;
use super::lessons::{self, LESSONS};
use super::picture::Inbox;
use super::policy_view::{inspection_on_screen, PolicyView};
use super::session::Session;
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
pub fn TriagePage() -> impl IntoView {
    let notices = use_notices();
    // Read before the page writes its own hash.
    let opening = opening_lesson(
        &window().location().hash().unwrap_or_default(),
        &LESSONS,
        None,
    );
    let intro = !opens(&opening);
    let desk = TriageDesk::new(UrlHash::current(), notices);
    provide_context(desk);
    provide_context(desk.policy);
    provide_context(Training::new(notices));
    desk.state.mount(ENV, move |settings| desk.apply(settings));
    let inspection = inspection_on_screen(desk);
    let current_state = inspected_state(inspection);
    let start = Callback::new(move |settings| desk.start_fresh(settings));
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

    view! {
        <Show when=move || intro>
        <Intro>
            <li>"A message arrives in the inbox: read the sender, the text, the links (never live) and the attachments."</li>
            <li>"Set your confidence, say why in the reasoning box, then Allow, Block, Warn or Investigate."</li>
            <li>"Blocking a safe message costs the user's trust; every warning tires them. The grade comes at the end of the task."</li>
            <li>"Or pick an agent (Always allow, Always block, Random, Rule-based) and press Play to watch one, or train a policy below and watch it decide."</li>
        </Intro>
        </Show>
        <PageFrame
            state=desk.state
            settings=|| view! { <SettingsControls /> }
            stem=stem
            extra=desk.state.export("Export pairs", "-pairs.jsonl", Session::pairs_jsonl)
            hud=|| view! { <Hud /> }
            picture=|| view! { <Inbox /> }
            caption=|| view! { <Caption /> }
            actions=|| view! { <DecidePanel /> }
            side=|| view! { <GradePanel /> <AdversaryPanel /> }
            lesson=lesson
        >
            <PolicyPanel host=desk current_state=current_state>
                <PolicyView inspection=inspection />
            </PolicyPanel>
            <TrainPanel host=desk />
            <ArenaPanel host=desk state=desk.state />
        </PageFrame>
        <HelpPanel>
            <p>
                "Keys for your decisions: "<kbd>"a"</kbd>" Allow, "<kbd>"b"</kbd>" Block, "
                <kbd>"w"</kbd>" Warn, "<kbd>"i"</kbd>" Investigate."
            </p>
            <p>
                "The reward weighs security, the user's friction, delay and how well your reasoning names the message's real cues, scaled by your confidence. Trust at 0 or fatigue at its maximum ends the episode."
            </p>
        </HelpPanel>
    }
}
