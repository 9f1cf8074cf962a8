//! What every environment's page shows around its own parts: the run controls (its settings
//! and exports among them), the notices, a trajectory file's verified replay, and the stage (its HUD, picture, caption, actions and
//! side material, with its panels below).

use super::page_session::LinkedSession;
use super::run_controls::RunControls;
use super::run_exports::RunExports;
use super::state::PageState;
use super::verified_replay::{ReplayNotices, ReplayVerdict};
use crate::shell::exports::Export;
use crate::shell::notices::NoticeBar;
use crate::shell::stage::Stage;
use leptos::prelude::*;

#[component]
pub fn PageFrame<S: LinkedSession>(
    state: PageState<S>,
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
    /// A lesson's box (see [`super::lesson_box`]), beside the picture.
    #[prop(optional, into)]
    lesson: ViewFn,
    /// Below the stage: the environment's panels.
    children: Children,
) -> impl IntoView {
    let replay = ReplayNotices::new();
    let replay_for_exports = replay.clone();
    let exports = move || {
        let replay = replay_for_exports.clone();
        view! { <RunExports state=state stem=stem extra=extra replay=replay /> }
    };
    view! {
        <RunControls run=state exports=exports>
            {settings.run()}
        </RunControls>
        <NoticeBar page=page_notices />
        <ReplayVerdict state=state notices=replay />
        <Stage hud=hud picture=picture caption=caption actions=actions side=side lesson=lesson>
            {children()}
        </Stage>
    }
}
