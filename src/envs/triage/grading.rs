//! What the grade card says, as plain data: nothing graded before the first decision; while
//! the task runs, the quality of the decisions so far apart from the final score (which counts
//! the steps not yet played as zero); at the end the final grade and the list of mistakes.
//! Tested natively; the card only shows it.

use super::session::Session;
use super::story::class_label;
use crate::play::page_session::PageSession;
use ztgym::triage::{Decision, Grade};

/// One wrong decision of the episode.
#[derive(Clone, Debug, PartialEq)]
pub struct Mistake {
    /// The step (0-based) whose message was decided wrongly: the replay shows it at this step.
    pub step: usize,
    /// `Allowed a phishing message`, `Blocked a safe message (it looked risky)`.
    pub what: String,
}

/// The grade card's state.
#[derive(Clone, Debug, PartialEq)]
pub enum GradeCard {
    /// No decision yet: nothing is graded.
    Ungraded { threshold: f64, steps: u32 },
    /// Decisions taken, the task not over.
    SoFar {
        decided: usize,
        steps: u32,
        /// The decisions' quality so far (the grader's score before completion weighs it).
        quality: f64,
        /// The letter that quality earns if it holds to the end.
        letter: String,
        threshold: f64,
        /// The completion-weighted score if the episode stopped now.
        score_now: f64,
    },
    /// The episode is over: the grader's final verdict and what went wrong.
    Final {
        grade: Grade,
        mistakes: Vec<Mistake>,
    },
}

/// The card for the session's episode.
pub fn grade_card(s: &Session) -> GradeCard {
    let steps = s.observation().max_steps;
    let grade = s.grade();
    if s.done() {
        return GradeCard::Final {
            grade,
            mistakes: mistakes(s),
        };
    }
    let decided = s.log().steps.len();
    if decided == 0 {
        return GradeCard::Ungraded {
            threshold: grade.threshold,
            steps,
        };
    }
    let quality = quality(&grade);
    GradeCard::SoFar {
        decided,
        steps,
        letter: s.run_ref().env().rules().letter(quality).to_string(),
        quality,
        threshold: grade.threshold,
        score_now: grade.score,
    }
}

/// The score without the completion factor (the grader multiplies its weighted sum by it).
pub fn quality(grade: &Grade) -> f64 {
    if grade.completion > 0.0 {
        (grade.score / grade.completion).min(1.0)
    } else {
        0.0
    }
}

/// The episode's wrong decisions, in order.
pub fn mistakes(s: &Session) -> Vec<Mistake> {
    s.log()
        .steps
        .iter()
        .enumerate()
        .filter_map(|(step, r)| {
            let o = r.step.info.last.as_ref().filter(|o| !o.correct)?;
            let verb = match r.action.decision {
                Decision::Allow => "Allowed",
                Decision::Block => "Blocked",
                Decision::Warn => "Warned on",
                Decision::Investigate => "Sent for investigation",
            };
            let looked = if o.hard_negative {
                " (it looked risky)"
            } else {
                ""
            };
            Some(Mistake {
                step,
                what: format!("{verb} a {} message{looked}", class_label(o.class)),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::envs::triage::settings::{Decider, TriageSettings};
    use ztgym::triage::TaskId;

    fn session() -> Session {
        Session::new(TriageSettings {
            task: TaskId::L1,
            seed: 5,
            agent: Decider::Human,
            ..TriageSettings::default()
        })
        .unwrap()
    }

    #[test]
    fn nothing_is_graded_before_the_first_decision() {
        let s = session();
        assert!(matches!(grade_card(&s), GradeCard::Ungraded { steps, .. } if steps > 1));
    }

    #[test]
    fn so_far_is_the_quality_of_the_decisions_apart_from_completion() {
        let mut s = session();
        // Blocking every message stops every threat: good so far, whatever the completion.
        s.decide(Decision::Block, 0.9, "a link to a lookalike domain")
            .unwrap();
        let GradeCard::SoFar {
            decided,
            quality: q,
            score_now,
            letter,
            ..
        } = grade_card(&s)
        else {
            panic!("{:?}", grade_card(&s))
        };
        assert_eq!(decided, 1);
        assert!(
            score_now < q,
            "the score now counts the steps not played: {score_now} < {q}"
        );
        let grade = s.grade();
        assert!((q * grade.completion - grade.score).abs() < 1e-5);
        assert_eq!(letter, s.run_ref().env().rules().letter(q));
    }

    #[test]
    fn the_end_lists_the_wrong_decisions_with_their_steps() {
        let mut s = session();
        while !s.done() {
            s.decide(Decision::Allow, 0.5, "").unwrap();
        }
        let GradeCard::Final { grade, mistakes } = grade_card(&s) else {
            panic!("not final")
        };
        assert!(!grade.passed);
        let wrong: Vec<usize> = s
            .log()
            .steps
            .iter()
            .enumerate()
            .filter(|(_, r)| !r.step.info.last.as_ref().unwrap().correct)
            .map(|(k, _)| k)
            .collect();
        assert!(!wrong.is_empty());
        assert_eq!(mistakes.iter().map(|m| m.step).collect::<Vec<_>>(), wrong);
        assert!(
            mistakes.iter().all(|m| m.what.starts_with("Allowed a ")),
            "{mistakes:?}"
        );
        assert!(mistakes.iter().all(|m| !m.what.contains("safe")));
    }
}
