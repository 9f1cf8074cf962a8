//! The lesson box, for any environment: the lesson a link names (or, in the SRE gym, the demo
//! a first visit plays), its progress ("2 of 5", a check on each step done), the current
//! step's text, which follows the student as the episode meets each step's check, the
//! environment's other lessons, and the lesson's own link. It stands in the stage's side
//! column, so the picture keeps its size while a lesson runs.

use super::link_settings::LinkSettings;
use super::page_session::{LinkedSession, PageSession};
use super::run::Scored;
use super::state::PageState;
use crate::shell::copy_button::CopyButton;
use crate::shell::first_visit::take_first_visit;
use crate::shell::lessons::{self, Facts, Lesson, Progress, Setup};
use crate::shell::url_hash::Link;
use leptos::prelude::*;

/// A page's lessons and the one it opens on.
#[derive(Clone)]
pub struct Opening {
    /// The environment's lessons, in the order its lesson box offers them.
    pub lessons: &'static [Lesson],
    /// The lesson the page opens on, if any; a link naming no lesson of the page is an error.
    pub lesson: Result<Option<&'static Lesson>, String>,
}

impl Opening {
    /// Reads the lesson a page opens on from the hash it was opened with (call before the page
    /// writes its own): `first_visit`'s lesson on a first visit (see [`take_first_visit`],
    /// which remembers the visit), else the one the link names among `lessons`, if any.
    pub fn read(lessons: &'static [Lesson], first_visit: Option<&'static str>) -> Opening {
        let hash = window().location().hash().unwrap_or_default();
        Opening {
            lessons,
            lesson: opening_lesson(&hash, lessons, first_visit),
        }
    }

    /// Whether a lesson opens (then the page shows no intro).
    pub fn opens(&self) -> bool {
        matches!(self.lesson, Ok(Some(_)))
    }
}

fn opening_lesson(
    hash: &str,
    lessons: &'static [Lesson],
    first_visit: Option<&'static str>,
) -> Result<Option<&'static Lesson>, String> {
    if let Some(id) = first_visit {
        if take_first_visit(hash) {
            return Ok(lessons::find(lessons, id));
        }
    }
    lessons::from_fields(lessons, &Link::parse(hash).fields)
}

/// A lesson's run set up on a page: its settings, read as the environment's link.
pub fn setup_settings<S: LinkSettings>(setup: &Setup, env: &str) -> (S, Vec<String>) {
    S::from_hash(&setup.hash(env))
}

/// The lesson box: shows `opening` (reporting a bad lesson name in the page's notices) and
/// starts it; nothing when there is no lesson.
#[component]
pub fn LessonBox<S: LinkedSession>(
    state: PageState<S>,
    /// The page's lessons and the one it opens on.
    opening: Opening,
    /// Starts a fresh run of these settings (even if they are the ones on screen).
    start: Callback<S::Settings>,
    /// Points the page at a setup's focus, once its run is set up.
    focus: Option<Callback<&'static str>>,
    /// What the environment says of the episode on screen.
    facts: fn(&S) -> Facts,
) -> impl IntoView {
    let env = <<S as PageSession>::Env as Scored>::ID;
    let Opening { lessons, lesson } = opening;
    let progress = RwSignal::new(None::<Progress>);
    let set_up = move |setup: Setup| {
        state.player.pause(state);
        let (settings, problems) = setup_settings::<S::Settings>(&setup, env);
        if !problems.is_empty() {
            // The lessons' own tests keep this from happening; said if it does.
            state
                .notices
                .error(format!("The lesson's run: {}", problems.join("; ")));
        }
        start.run(settings);
        if let (Some(focus), Some(what)) = (focus, setup.focus) {
            focus.run(what);
        }
        if setup.play {
            state.player.play(state);
        }
    };
    let begin = move |lesson: &'static Lesson| {
        progress.set(Some(Progress::new(lesson)));
        set_up(lesson.setup);
    };
    match lesson {
        Ok(Some(lesson)) => begin(lesson),
        Ok(None) => return ().into_any(),
        Err(problem) => {
            state.notices.error(format!("The link's {problem}."));
            return ().into_any();
        }
    }
    // The text follows the student: each change to the episode is read against the current
    // step's check.
    Effect::new(move |_| {
        // A closed box reads nothing more (it does not open again).
        let Some(mut p) = progress.get_untracked() else {
            return;
        };
        let now = state.read(facts);
        let before = p.done;
        let begun = p.advance(&now);
        if p.done != before {
            progress.set(Some(p));
        }
        if let Some(setup) = begun {
            set_up(setup);
        }
    });
    let lesson = move || progress.get().map(|p| p.lesson);
    let link = move || {
        let base = window().location().href().unwrap_or_default();
        let base = base.split('#').next().unwrap_or_default().to_string();
        lesson()
            .map(|l| format!("{base}#{}", l.link_hash(env)))
            .unwrap_or_default()
    };
    let steps = move || {
        progress.get().map(|p| {
            p.lesson
                .steps
                .iter()
                .enumerate()
                .map(|(k, step)| {
                    let done = k < p.done;
                    let current = k == p.done;
                    view! {
                        <li
                            class="lesson-step"
                            class:done=done
                            class:current=current
                            data-testid="lesson-step"
                            data-done=done.to_string()
                            title=step.text
                            aria-current=current.then_some("step")
                        >
                            {if done { "✓".to_string() } else { (k + 1).to_string() }}
                        </li>
                    }
                })
                .collect_view()
        })
    };
    let text = move || {
        progress.get().map(|p| match p.current() {
            Some(step) => step.text.to_string(),
            None => format!(
                "Lesson done: every step of \"{}\" is complete. Pick another lesson, or open the course.",
                p.lesson.title
            ),
        })
    };
    view! {
        <Show when=move || progress.get().is_some()>
            <aside
                class="lessons"
                aria-label="Lesson"
                data-testid="lessons"
                data-lesson=move || lesson().map_or("", |l| l.id)
                data-finished=move || progress.get().is_some_and(|p| p.finished()).to_string()
            >
                <div class="lesson-head">
                    <h2>{move || lesson().map(|l| l.title)}</h2>
                    <span class="lesson-progress" data-testid="lesson-progress" aria-live="polite">
                        {move || progress.get().map(|p| if p.finished() {
                            format!("Done, {}", p.label())
                        } else {
                            format!("Step {}", p.label())
                        })}
                    </span>
                </div>
                <div class="lesson-track">
                    <ol class="lesson-steps" aria-label="Steps">{steps}</ol>
                    <a class="lesson-course" href="#course" data-testid="lesson-course">"Course"</a>
                    <button type="button" class="lesson-close" on:click=move |_| progress.set(None)>
                        "Close"
                    </button>
                </div>
                <p data-testid="lesson-explanation" aria-live="polite">{text}</p>
                <div class="lesson-choices" role="group" aria-label="Choose a lesson">
                    {lessons
                        .iter()
                        .map(|choice: &'static Lesson| {
                            view! {
                                <button
                                    type="button"
                                    data-testid=format!("lesson-{}", choice.id)
                                    aria-pressed=move || (lesson() == Some(choice)).to_string()
                                    on:click=move |_| begin(choice)
                                >
                                    {choice.title}
                                </button>
                            }
                        })
                        .collect_view()}
                </div>
                <details class="lesson-share">
                    <summary>"Link to this lesson"</summary>
                    <div class="lesson-link">
                        <input
                            type="text"
                            readonly
                            aria-label="Link to this lesson"
                            data-testid="lesson-link"
                            prop:value=link
                        />
                        <CopyButton text=Signal::derive(link) label="Copy the lesson's link" />
                    </div>
                </details>
            </aside>
        </Show>
    }
    .into_any()
}
