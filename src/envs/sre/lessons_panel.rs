//! The lessons on the page: a first visit plays the demo by itself, with the three ways on
//! ("Play it yourself", "Break a rule", "Watch a trained agent"); a link naming a lesson
//! (`lesson=watch`) opens on it. Any other visit shows the page's usual intro (the children).

use super::desk::use_gym;
use super::lessons::Lesson;
use crate::play::player::use_player;
use crate::shell::copy_button::CopyButton;
use crate::shell::first_visit::take_first_visit;
use crate::shell::url_hash::Link;
use leptos::prelude::*;

/// The lesson the page opens on, read from the hash it was opened with (call before the page
/// writes its own): the demo on a first visit, else the one the link names, if any. Remembers
/// the visit.
pub fn opening_lesson(hash: &str) -> Result<Option<Lesson>, String> {
    if take_first_visit(hash) {
        return Ok(Some(Lesson::Demo));
    }
    Lesson::from_fields(&Link::parse(hash).fields)
}

/// The lesson box, or (no lesson) the intro given as children.
#[component]
pub fn LessonsPanel(
    /// From [`opening_lesson`].
    opening: Result<Option<Lesson>, String>,
    children: ChildrenFn,
) -> impl IntoView {
    let gym = use_gym();
    let player = use_player();
    let shown = RwSignal::new(None::<Lesson>);
    let begin = move |lesson: Lesson| {
        player.pause(gym.state);
        gym.start_fresh(lesson.settings());
        gym.target.set(gym.peek(|s| lesson.target(s)));
        gym.justification.set(String::new());
        shown.set(Some(lesson));
        if lesson.plays_by_itself() {
            player.play(gym.state);
        }
    };
    let lesson_box = match opening {
        Ok(Some(lesson)) => {
            begin(lesson);
            true
        }
        Ok(None) => false,
        Err(problem) => {
            gym.notices.error(format!("The link's {problem}."));
            false
        }
    };
    if !lesson_box {
        return children().into_any();
    }
    let link = move || {
        let base = window().location().href().unwrap_or_default();
        let base = base.split('#').next().unwrap_or_default().to_string();
        shown
            .get()
            .map(|l| format!("{base}#{}", l.link_hash()))
            .unwrap_or_default()
    };
    view! {
        <Show when=move || shown.get().is_some()>
            <aside
                class="lessons"
                aria-label="Lessons"
                data-testid="lessons"
                data-lesson=move || shown.get().map_or("", Lesson::as_str)
            >
                <h2>
                    {move || match shown.get() {
                        Some(Lesson::Demo) | None => "Welcome to Zero Trust Gym",
                        Some(lesson) => lesson.label(),
                    }}
                </h2>
                <p data-testid="lesson-explanation">
                    {move || shown.get().map(Lesson::explanation)}
                </p>
                <div class="lesson-choices" role="group" aria-label="Choose a lesson">
                    {Lesson::CHOICES
                        .into_iter()
                        .map(|lesson| {
                            view! {
                                <button
                                    type="button"
                                    data-testid=format!("lesson-{}", lesson.as_str())
                                    class:primary=move || shown.get() == Some(Lesson::Demo)
                                    aria-pressed=move || (shown.get() == Some(lesson)).to_string()
                                    on:click=move |_| begin(lesson)
                                >
                                    {lesson.label()}
                                </button>
                            }
                        })
                        .collect_view()}
                    <button type="button" class="lesson-close" on:click=move |_| shown.set(None)>
                        "Close"
                    </button>
                </div>
                <p class="lesson-link">
                    <label>
                        "Link to this lesson"
                        <input type="text" readonly data-testid="lesson-link" prop:value=link />
                    </label>
                    <CopyButton text=Signal::derive(link) label="Copy the lesson's link" />
                </p>
            </aside>
        </Show>
    }
    .into_any()
}
