//! What every environment's page shows around its own parts: the intro on a first visit (not
//! while a lesson opens), the run controls (its settings and exports among them), the notices,
//! a trajectory file's verified replay, the stage (its HUD, picture, caption, actions, side
//! material and lesson box, with its panels below), and the help.

use super::lesson_box::{LessonBox, Opening};
use super::page_session::LinkedSession;
use super::run_controls::RunControls;
use super::run_exports::RunExports;
use super::state::PageState;
use super::verified_replay::{ReplayNotices, ReplayVerdict};
use crate::shell::exports::Export;
use crate::shell::help_panel::{HelpPanel, Intro};
use crate::shell::lessons::{Facts, Lesson};
use crate::shell::notices::NoticeBar;
use crate::shell::page_text::PageText;
use crate::shell::stage::Stage;
use leptos::prelude::*;

#[component]
pub fn PageFrame<S: LinkedSession>(
    state: PageState<S>,
    /// How the page applies new settings (see [`PageState::mount`]).
    apply: impl Fn(S::Settings) + Send + Sync + 'static,
    /// The environment's lessons, in the order its lesson box offers them.
    lessons: &'static [Lesson],
    /// The lesson a first visit opens on (see [`Opening::read`]).
    #[prop(optional)]
    first_visit: Option<&'static str>,
    /// Starts a lesson's run afresh with its settings (even if they are the ones on screen).
    start: Callback<S::Settings>,
    /// Points the page at a lesson setup's focus, once its run is set up.
    #[prop(optional)]
    focus: Option<Callback<&'static str>>,
    /// What the environment says of the episode on screen, for the lessons' checks.
    facts: fn(&S) -> Facts,
    /// The page's words ([`PageText`]: the intro's points, its own keys, its rules).
    words: &'static str,
    /// The environment's settings in the run controls.
    #[prop(into)]
    settings: ViewFn,
    /// The run's file stem for its exports (see [`super::run_exports::run_stem`]).
    stem: fn(&S::Settings) -> String,
    /// The environment's own export in the run controls, after the trajectory's.
    extra: Export,
    /// Whether the notice bar is the page's own (see [`NoticeBar`]).
    #[prop(optional)]
    page_notices: bool,
    #[prop(into)] hud: ViewFn,
    #[prop(into)] picture: ViewFn,
    #[prop(into)] caption: ViewFn,
    #[prop(into)] actions: ViewFn,
    #[prop(into)] side: ViewFn,
    /// Below the stage: the environment's panels.
    children: Children,
) -> impl IntoView {
    // Read before the page writes its own link.
    let opening = Opening::read(lessons, first_visit);
    state.mount(apply);
    let replay = ReplayNotices::new();
    let replay_for_exports = replay.clone();
    let exports = move || {
        let replay = replay_for_exports.clone();
        view! { <RunExports state=state stem=stem extra=extra replay=replay /> }
    };
    let show_intro = !opening.opens();
    // Each environment's own tests read its words.
    let PageText { intro, keys, rules } = PageText::parse(words).unwrap_or_else(|e| {
        state.notices.error(e);
        PageText::default()
    });
    let lesson = move || {
        let opening = opening.clone();
        view! { <LessonBox state=state opening=opening start=start focus=focus facts=facts /> }
    };
    view! {
        <Show when=move || show_intro>
            <Intro points=intro.clone() />
        </Show>
        <RunControls run=state exports=exports>
            {settings.run()}
        </RunControls>
        <NoticeBar page=page_notices />
        <ReplayVerdict state=state notices=replay />
        <Stage hud=hud picture=picture caption=caption actions=actions side=side lesson=lesson>
            {children()}
        </Stage>
        <HelpPanel keys=keys rules=rules />
    }
}
