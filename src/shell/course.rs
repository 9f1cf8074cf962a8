//! The course: the lessons of every tab in the order of a class (`#course`, from the header),
//! each with its tab, its time, the teacher's note and a link that opens it. The order is data
//! (`src/envs/course.rs`); the lessons are the tabs' own.

use super::env_tabs::EnvTab;
use super::lessons::{self, Lesson};
use leptos::prelude::*;

/// The hash that opens the course.
pub const COURSE_HASH: &str = "course";

/// One lesson of the course: a tab's lesson, by ids.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CourseItem {
    pub env: &'static str,
    pub lesson: &'static str,
}

/// A course: its title, the teacher's word on running it, and its lessons in order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Course {
    pub title: &'static str,
    pub note: &'static str,
    pub items: &'static [CourseItem],
}

/// A course's lesson, found in its tab.
#[derive(Clone, Copy)]
pub struct CourseLesson {
    pub tab: &'static EnvTab,
    pub lesson: &'static Lesson,
}

impl CourseLesson {
    /// The link that opens it, without `#`.
    pub fn link_hash(&self) -> String {
        self.lesson.link_hash(self.tab.id)
    }
}

impl Course {
    /// Its lessons found in `tabs`; an item naming no tab's lesson is an error.
    pub fn lessons(&self, tabs: &'static [EnvTab]) -> Result<Vec<CourseLesson>, String> {
        self.items
            .iter()
            .map(|item| {
                let tab = tabs
                    .iter()
                    .find(|t| t.id == item.env)
                    .ok_or_else(|| format!("course: no tab {:?}", item.env))?;
                let lesson = lessons::find(tab.lessons, item.lesson).ok_or_else(|| {
                    format!("course: tab {:?} has no lesson {:?}", item.env, item.lesson)
                })?;
                Ok(CourseLesson { tab, lesson })
            })
            .collect()
    }

    /// The minutes of all its lessons.
    pub fn minutes(&self, tabs: &'static [EnvTab]) -> u32 {
        self.lessons(tabs)
            .map(|ls| ls.iter().map(|l| l.lesson.minutes).sum())
            .unwrap_or(0)
    }
}

/// The course page.
#[component]
pub fn CoursePage(course: &'static Course, tabs: &'static [EnvTab]) -> impl IntoView {
    let items = course.lessons(tabs).unwrap_or_default();
    let total = course.minutes(tabs);
    let mut start = 0;
    let rows = items
        .into_iter()
        .enumerate()
        .map(|(k, item)| {
            let from = start;
            start += item.lesson.minutes;
            view! {
                <li class="course-lesson" data-testid="course-lesson" data-env=item.tab.id data-lesson=item.lesson.id>
                    <div class="course-lesson-head">
                        <span class="course-time" title="Minutes into the class">
                            {format!("{from}–{start} min")}
                        </span>
                        <span class="course-tab">{item.tab.name}</span>
                        <h3>{format!("{}. {}", k + 1, item.lesson.title)}</h3>
                    </div>
                    <p class="course-note">
                        <strong>"Teacher's note: "</strong>
                        {item.lesson.note}
                    </p>
                    <p class="course-steps">
                        {format!(
                            "{} steps, {} min. ",
                            item.lesson.steps.len(),
                            item.lesson.minutes
                        )}
                        <a
                            class="course-open"
                            data-testid="course-open"
                            href=format!("#{}", item.link_hash())
                        >
                            {format!("Open \u{201c}{}\u{201d}", item.lesson.title)}
                        </a>
                    </p>
                </li>
            }
        })
        .collect_view();
    view! {
        <main id="main" class="course" tabindex="-1" data-testid="course">
            <h2>{course.title}</h2>
            <p class="course-summary">
                {format!("{total} minutes, {} lessons across the tabs. ", course.items.len())}
                {course.note}
            </p>
            <ol class="course-lessons">{rows}</ol>
        </main>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::shell::lessons::tests::LESSON;

    static LESSONS: [Lesson; 1] = [LESSON];
    static TABS: [EnvTab; 1] = [EnvTab::new("sre", "SRE gym", || ().into_any(), &LESSONS)];

    #[test]
    fn a_course_finds_its_lessons_in_the_tabs_and_names_a_missing_one() {
        let course = Course {
            title: "t",
            note: "n",
            items: &[CourseItem {
                env: "sre",
                lesson: "sample",
            }],
        };
        let found = course.lessons(&TABS).unwrap();
        assert_eq!(found[0].link_hash(), "v=1&lesson=sample&env=sre");
        assert_eq!(course.minutes(&TABS), 5);
        let bad = Course {
            items: &[CourseItem {
                env: "sre",
                lesson: "nope",
            }],
            ..course
        };
        assert!(bad.lessons(&TABS).err().unwrap().contains("\"nope\""));
        let bad = Course {
            items: &[CourseItem {
                env: "mars",
                lesson: "sample",
            }],
            ..course
        };
        assert!(bad.lessons(&TABS).err().unwrap().contains("\"mars\""));
    }
}
