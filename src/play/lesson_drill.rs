//! Plays a lesson natively, as a student would on the page: its run set up from its link
//! fields, then, step by step, a scripted student acts (or the agent plays a watched run)
//! until the step's check holds, each step's own run set up as the lesson box does. The
//! lessons' tests drive every lesson of every environment to its end with it.

use super::link_settings::LinkSettings;
use super::page_session::LinkedSession;
use crate::shell::lessons::{Facts, Lesson, Progress, Setup};

/// A scripted student.
pub trait Driver<S> {
    /// One action in `lesson`'s step `step` (e.g. Reset after an episode ended).
    fn act(&mut self, session: &mut S, lesson: &Lesson, step: usize) -> Result<(), String>;
}

/// Drives `lesson` of environment `env` to its end: `start` makes a session of settings,
/// `facts` reads it, `driver` acts for a person (a watched run plays its agent), at most
/// `budget` actions per step. Returns the progress made, or which step was not reached.
pub fn drive<S: LinkedSession>(
    env: &str,
    lesson: &'static Lesson,
    start: impl Fn(S::Settings) -> Result<S, String>,
    facts: fn(&S) -> Facts,
    driver: &mut dyn Driver<S>,
    budget: usize,
) -> Result<Progress, String> {
    let set_up = |setup: &Setup| -> Result<S, String> {
        let (settings, problems) = S::Settings::from_hash(&setup.hash(env));
        if !problems.is_empty() {
            return Err(format!("setup {:?}: {problems:?}", setup.link));
        }
        start(settings)
    };
    let mut setup = lesson.setup;
    let mut session = set_up(&setup)?;
    let mut progress = Progress::new(lesson);
    while !progress.finished() {
        let step = progress.done;
        let mut actions = 0;
        loop {
            if let Some(next) = progress.advance(&facts(&session)) {
                setup = next;
                session = set_up(&setup)?;
            }
            if progress.done != step {
                break;
            }
            if actions == budget {
                return Err(format!(
                    "step {} ({:?}) not reached in {budget} actions",
                    step + 1,
                    lesson.steps[step].text
                ));
            }
            actions += 1;
            if setup.play && session.run_ref().automated() {
                if session.run_ref().done() || !session.run_mut().agent_step() {
                    return Err(format!(
                        "step {} ({:?}): the agent's run ended first",
                        step + 1,
                        lesson.steps[step].text
                    ));
                }
            } else {
                driver.act(&mut session, lesson, step)?;
            }
        }
    }
    Ok(progress)
}

/// Drives each of `lessons` to its end as [`drive`] does; panics naming the lesson and the step
/// not reached.
#[cfg(test)]
pub fn assert_every_step_reached<S: LinkedSession>(
    env: &str,
    lessons: &'static [Lesson],
    start: impl Fn(S::Settings) -> Result<S, String>,
    facts: fn(&S) -> Facts,
    driver: &mut dyn Driver<S>,
    budget: usize,
) {
    for lesson in lessons {
        let played = drive::<S>(env, lesson, &start, facts, driver, budget)
            .unwrap_or_else(|e| panic!("{}: {e}", lesson.id));
        assert_eq!(played.done, lesson.steps.len(), "{}", lesson.id);
    }
}
