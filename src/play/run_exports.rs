//! A page's export buttons: its run's trajectory (as `ztgym run` writes it), then the
//! environment's own record, in files named after the run; then the button that replays a
//! trajectory file.

use super::page_session::LinkedSession;
use super::state::PageState;
use super::verified_replay::{ReplayFileButton, ReplayNotices};
use crate::shell::exports::{Export, ExportButtons};
use leptos::prelude::*;

/// A file stem naming a run: `ztgym-`, then `parts` (e.g. the scenario and the agent), then
/// the seed: `ztgym-classic-sop-seed7`.
pub fn run_stem(parts: &[&str], seed: u64) -> String {
    format!("ztgym-{}-seed{seed}", parts.join("-"))
}

/// The trajectory's export button and `extra`'s, each file named `stem` of the settings on
/// screen and the export's ending.
#[component]
pub fn RunExports<S: LinkedSession>(
    state: PageState<S>,
    stem: fn(&S::Settings) -> String,
    extra: Export,
    /// Where the replay button's messages show.
    replay: ReplayNotices,
) -> impl IntoView {
    let stem = move |()| stem(&state.settings());
    let exports = vec![state.trajectory_export(), extra];
    view! {
        <ExportButtons notices=state.notices stem=stem exports=exports />
        <ReplayFileButton state=state notices=replay />
    }
}
