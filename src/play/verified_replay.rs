//! A trajectory file made anywhere (the CLI, another page, the Python package) loaded or
//! dropped in any environment's tab: replayed on the stage with the replay slider, every step
//! verified against the simulator, the step on screen flagged "verified" or "differs: recorded
//! reward 1.0, simulated 0.5", the steps that differ one click away. A file that cannot be
//! replayed (too long, bad JSON, another environment, an action refused) is refused in this
//! box's own notice and changes nothing else. Text from the file is shown as text only.

use super::page_session::LinkedSession;
use super::player::use_player;
use super::state::PageState;
use crate::shell::files::{read_text, FileButton, FileDropZone};
use crate::shell::notices::{provide_panel_notices, NoticeBar, Notices};
use leptos::prelude::*;
use leptos::tachys::reactive_graph::OwnedView;
use leptos::task::spawn_local;
use ztgym::core::fileio::Kind;

/// Reads a chosen or dropped file and replays it; every problem is reported in `notices`.
fn replay_file<S: LinkedSession>(state: PageState<S>, notices: Notices, file: web_sys::File) {
    let file = gloo_file::File::from(file);
    spawn_local(async move {
        let text = read_text(&file, Kind::Trajectory).await;
        if notices.is_disposed() {
            return; // the page was taken down while the browser read the file
        }
        let name = ztgym::core::text::shorten(&file.name(), 80);
        match text.and_then(|t| state.replay_file(&t)) {
            Ok(summary) => notices.info(format!("{name}: {summary}")),
            Err(e) => notices.error(format!("{name} was not replayed: {e}")),
        }
    });
}

/// The replay box's notices, in an owner of their own: provided as context they reach the
/// box only (a component shares its parent's owner, so the stage after it would read them).
#[derive(Clone)]
pub struct ReplayNotices {
    owner: Owner,
    notices: Notices,
}

impl ReplayNotices {
    pub fn new() -> ReplayNotices {
        let owner = Owner::new();
        let notices = owner.with(provide_panel_notices);
        ReplayNotices { owner, notices }
    }
}

impl Default for ReplayNotices {
    fn default() -> Self {
        ReplayNotices::new()
    }
}

/// The button (among the run's exports) that picks a trajectory file, and takes one dropped
/// on it.
#[component]
pub fn ReplayFileButton<S: LinkedSession>(
    state: PageState<S>,
    notices: ReplayNotices,
) -> impl IntoView {
    let notices = notices.notices;
    let on_file = move |file: Option<web_sys::File>| match file {
        Some(file) => replay_file(state, notices, file),
        None => {
            notices.error("Nothing was loaded: drop a trajectory file (.jsonl) on this button.")
        }
    };
    let on_files = move |files: Vec<web_sys::File>| {
        for file in files {
            replay_file(state, notices, file);
        }
    };
    view! {
        <FileDropZone class="replay-file" testid="replay-drop-zone" on_file=on_file>
            <FileButton
                label="Replay a trajectory…"
                accept=".jsonl,.json,application/x-ndjson"
                testid="replay-file-input"
                on_files=on_files
                title="Replay a trajectory file (.jsonl) from the CLI, the page or Python, every step verified (or drop one here)"
            />
        </FileDropZone>
    }
}

/// Above the stage, only while there is something to say: the box's notice, the verdict with
/// a button per differing step, and the step on screen.
#[component]
pub fn ReplayVerdict<S: LinkedSession>(
    state: PageState<S>,
    notices: ReplayNotices,
) -> impl IntoView {
    let ReplayNotices { owner, notices } = notices;
    let view = owner.with(|| verdict_box(state, notices));
    OwnedView::new_with_owner(view, owner)
}

fn verdict_box<S: LinkedSession>(state: PageState<S>, notices: Notices) -> impl IntoView {
    let player = use_player();
    let verdict = move || state.read(|s| s.run_ref().verdict().cloned());
    // The step on screen: the replay after k steps shows step k - 1's result.
    let step_status = move || {
        let v = verdict()?;
        let at = player.replay.get().unwrap_or(v.steps);
        let text = if at == 0 {
            "Start of the episode (before step 0)".to_string()
        } else {
            format!("Step {}: {}", at - 1, v.step_text(at - 1))
        };
        Some((text, at > 0 && v.mismatch_at(at - 1).is_some()))
    };
    let shown = move || notices.get().is_some() || state.read(|s| s.run_ref().verdict().is_some());
    view! {
        <Show when=shown>
            <section class="verified-replay" aria-label="Verified replay of a trajectory file">
                <NoticeBar />
                {move || {
                    verdict()
                        .map(|v| {
                            let ok = v.verified;
                            let mismatches = v
                                .mismatches
                                .iter()
                                .take(20)
                                .map(|m| {
                                    let t = m.step;
                                    let steps = v.steps;
                                    let go = move |_| {
                                        player.playing.set(false);
                                        player.replay.set(Some(t + 1).filter(|&k| k < steps));
                                    };
                                    view! {
                                        <li>
                                            <button data-testid="replay-mismatch" on:click=go>
                                                {format!("Step {t}: {}", v.step_text(t))}
                                            </button>
                                        </li>
                                    }
                                })
                                .collect_view();
                            view! {
                                <p
                                    class=if ok { "replay-verdict verified" } else { "replay-verdict differs" }
                                    data-testid="replay-verdict"
                                    data-verified=ok.to_string()
                                >
                                    {if ok { "✔ " } else { "✘ " }}
                                    {v.summary()}
                                </p>
                                <ul class="replay-mismatches">{mismatches}</ul>
                            }
                        })
                }}
                {move || {
                    step_status()
                        .map(|(text, differs)| {
                            view! {
                                <p
                                    class=if differs { "replay-step differs" } else { "replay-step" }
                                    data-testid="replay-step-status"
                                    data-differs=differs.to_string()
                                >
                                    {text}
                                </p>
                            }
                        })
                }}
            </section>
        </Show>
    }
}
