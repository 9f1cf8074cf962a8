//! A trajectory file made anywhere (the CLI, another page, the Python package) loaded or
//! dropped in any environment's tab: replayed on the stage with the replay slider, every step
//! verified against the simulator, the step on screen flagged "verified" or "differs: recorded
//! reward 1.0, simulated 0.5", the steps that differ one click away. A file that cannot be
//! replayed (too long, bad JSON, another environment, an action refused) is refused in this
//! box's own notice and changes nothing else. Text from the file is shown as text only.

use super::page_session::LinkedSession;
use super::player::use_player;
use super::state::PageState;
use crate::shell::files::{read_text, FileDropZone};
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

#[component]
pub fn VerifiedReplay<S: LinkedSession>(state: PageState<S>) -> impl IntoView {
    // An owner of its own: the box's notices, provided as context, reach its children only
    // (a component shares its parent's owner, so the stage after it would get them too).
    let owner = Owner::new();
    let view = owner.with(|| replay_box(state));
    OwnedView::new_with_owner(view, owner)
}

/// The box: the file picker and drop zone, its notice, the verdict and the step on screen.
fn replay_box<S: LinkedSession>(state: PageState<S>) -> impl IntoView {
    let notices = provide_panel_notices();
    let player = use_player();
    let on_file = move |file: Option<web_sys::File>| match file {
        Some(file) => replay_file(state, notices, file),
        None => notices.error("Nothing was loaded: drop a trajectory file (.jsonl) here."),
    };
    let on_change = move |ev: leptos::ev::Event| {
        let input: web_sys::HtmlInputElement = event_target(&ev);
        if let Some(file) = input.files().and_then(|f| f.get(0)) {
            replay_file(state, notices, file);
        }
        // The same file chosen again is read again.
        input.set_value("");
    };
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
    view! {
        <FileDropZone class="replay-file" testid="replay-drop-zone" on_file=on_file>
            <section class="verified-replay" aria-label="Verified replay of a trajectory file">
                <label class="file-button" title="Replay a trajectory file (.jsonl) from the CLI, the page or Python, every step verified">
                    "Replay a trajectory…"
                    <input
                        type="file"
                        accept=".jsonl,.json,application/x-ndjson"
                        class="visually-hidden"
                        data-testid="replay-file-input"
                        on:change=on_change
                    />
                </label>
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
        </FileDropZone>
    }
}
