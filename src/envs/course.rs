//! The course: the tabs' lessons in the order of a 45-minute class, from the SRE gym's gate on
//! privileged actions, through triage, to hardening with a policy the class can edit. The
//! shell's course page (`#course`) shows it; the lessons are each tab's own.

use crate::shell::course::{Course, CourseItem};

const fn item(env: &'static str, lesson: &'static str) -> CourseItem {
    CourseItem { env, lesson }
}

/// The course.
pub static COURSE: Course = Course {
    title: "Zero trust in 45 minutes",
    note: "Three tabs, one idea: no action is trusted because of who asks. Open each lesson \
           from here in order; each lesson's box shows the class its steps and checks each \
           one off as it is done. Keep an eye on the clock: the times add up to 45 minutes.",
    items: &[
        item("sre", "demo"),
        item("sre", "break-rule"),
        item("sre", "play"),
        item("sre", "watch"),
        item("triage", "cues"),
        item("triage", "warn"),
        item("triage", "adversary"),
        item("harden", "gate-says-no"),
        item("harden", "breakage"),
        item("harden", "edit-policy"),
        item("harden", "recommend"),
    ],
};

#[cfg(test)]
mod tests {
    use super::*;
    use crate::envs::TABS;

    #[test]
    fn the_course_holds_every_lesson_once_in_45_minutes() {
        let lessons = COURSE.lessons(TABS).expect("every item is a tab's lesson");
        assert_eq!(COURSE.minutes(TABS), 45);
        let every: usize = TABS.iter().map(|t| t.lessons.len()).sum();
        assert_eq!(lessons.len(), every, "every lesson of every tab");
        for tab in TABS {
            assert!(tab.lessons.len() >= 3, "{}: at least three lessons", tab.id);
            for l in tab.lessons {
                let times = COURSE
                    .items
                    .iter()
                    .filter(|i| i.env == tab.id && i.lesson == l.id)
                    .count();
                assert_eq!(times, 1, "{} {}", tab.id, l.id);
                assert!(!l.note.is_empty() && !l.steps.is_empty(), "{}", l.id);
            }
        }
    }
}
