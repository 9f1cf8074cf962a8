//! The triage tab's lessons, as data for the lesson engine (`shell::lessons`): read the cues;
//! when to warn instead of block; the adversary adapts. What the episode shows them
//! ([`facts`]): the decisions taken, and from each step's outcome whether a threat was
//! stopped, a safe message allowed or blocked, a cue named; the L3 adversary's mode.

use super::session::Session;
use crate::shell::lessons::{Check, Facts, Lesson, Setup, Step};
use ztgym::triage::adversary::Mode;

/// The triage tab's lessons, in the order its box offers them.
pub static LESSONS: [Lesson; 3] = [
    Lesson {
        id: "cues",
        title: "Read the cues",
        note: "Every message shows its cues: the sender, links, attachments, what it asks \
               for and how it pushes. Have the students say the cue out loud before they \
               decide; the reward counts the cues their reasoning names.",
        minutes: 5,
        setup: Setup::person("task=L1&seed=3&agent=human&speed=normal"),
        steps: &[
            Step::new(
                "A message is in the inbox. Read the sender, the text, the links (never live) \
                 and the attachments; then write why in the reasoning box, naming what you \
                 saw (a lookalike sender, a shortened link, urgency, a password request), and \
                 decide.",
                Check::Steps(1),
            ),
            Step::new(
                "The caption now says what the message really was and which cues it showed. \
                 Name a cue the message really shows in your reasoning: the reward counts it.",
                Check::Saw(NAMED_A_CUE),
            ),
            Step::new(
                "Stop a threat: Block, Warn or Investigate a message whose cues give it away \
                 (phishing, malware, spam).",
                Check::Saw(THREAT_STOPPED),
            ),
            Step::new(
                "Allow a safe message: one with no cue. Blocking it would cost the user's \
                 trust, and the grade counts every false alarm.",
                Check::Saw(SAFE_ALLOWED),
            ),
        ],
    },
    Lesson {
        id: "warn",
        title: "Warn or block",
        note: "In L2 a blocked safe message costs one and a half times the trust. A warning \
               blocks nothing and half-stops a threat, but every warning tires the user. Ask \
               where the line is.",
        minutes: 5,
        setup: Setup::person("task=L2&seed=5&agent=human&speed=normal"),
        steps: &[
            Step::new(
                "Task L2: trust matters most. Blocking a safe message costs the user's trust \
                 (the Trust gauge). On a message you are unsure of, press Warn: the user is \
                 told, nothing is blocked.",
                Check::Action("warn"),
            ),
            Step::new(
                "Each warning tires the user (the Fatigue gauge); allowing a safe message rests \
                 them. Allow a message that shows no cue.",
                Check::Saw(SAFE_ALLOWED),
            ),
            Step::new(
                "Warn about a message that is a threat: it counts as stopped, for half the \
                 credit of a block, and costs no trust if you were wrong.",
                Check::Saw(THREAT_WARNED),
            ),
            Step::new(
                "Now watch an agent that blocks everything: each safe message it blocks costs \
                 trust, until the user stops trusting it and the episode ends.",
                Check::Ended,
            )
            .then_run(Setup::watched(
                "task=L2&seed=5&agent=always-block&speed=fast",
            )),
        ],
    },
    Lesson {
        id: "adversary",
        title: "The adversary adapts",
        note: "In L3 an adversary watches the decisions from step 20 and punishes a lazy \
               strategy: blocking everything brings a flood of safe, urgent-looking messages; \
               letting threats through brings more malware. Ask what a robust agent must do.",
        minutes: 4,
        setup: Setup::watched("task=L3&seed=4&agent=always-block&speed=fast"),
        steps: &[
            Step::new(
                "Task L3: an agent that blocks everything plays. From step 20 the adversary \
                 watches its decisions (the Adversary panel): wait for it to change its mode.",
                Check::Saw(ADVERSARY_ADAPTED),
            ),
            Step::new(
                "It adapted: it now sends hard negatives, safe messages that look urgent, \
                 which this agent blocks, burning the user's trust. Watch the episode end and \
                 read the grade.",
                Check::Ended,
            ),
            Step::new(
                "Now the rule-based agent on the same task and seed: it reads the cues. Watch \
                 whether the adversary finds a lazy strategy to punish, and compare the grade.",
                Check::Ended,
            )
            .then_run(Setup::watched("task=L3&seed=4&agent=rule-based&speed=fast")),
        ],
    },
];

/// A decision whose reasoning named a cue the message really showed.
pub const NAMED_A_CUE: &str = "named-a-cue";
/// A threat blocked, warned about or investigated.
pub const THREAT_STOPPED: &str = "threat-stopped";
/// A threat warned about.
pub const THREAT_WARNED: &str = "threat-warned";
/// A safe message allowed.
pub const SAFE_ALLOWED: &str = "safe-allowed";
/// A safe message blocked (a false positive: the cost).
pub const SAFE_BLOCKED: &str = "safe-blocked";
/// The L3 adversary left probing.
pub const ADVERSARY_ADAPTED: &str = "adversary-adapted";

/// What the episode on screen shows the lessons.
pub fn facts(s: &Session) -> Facts {
    let steps = &s.log().steps;
    let mut facts = Facts::of(steps.len(), s.done(), s.done() && s.grade().passed);
    for r in steps {
        facts.took(r.action.decision.as_str());
        let info = &r.step.info;
        if let Some(o) = &info.last {
            let threat = o.class.is_threat();
            facts.saw_if(threat && o.correct, THREAT_STOPPED);
            facts.saw_if(threat && o.decision.as_str() == "warn", THREAT_WARNED);
            facts.saw_if(!threat && o.correct, SAFE_ALLOWED);
            facts.saw_if(!threat && r.step.cost > 0.0, SAFE_BLOCKED);
            facts.saw_if(
                !o.cues.is_empty() && o.components.reasoning_quality > 0.0,
                NAMED_A_CUE,
            );
        }
        facts.saw_if(
            info.adversary.is_some_and(|m| m != Mode::Probing),
            ADVERSARY_ADAPTED,
        );
    }
    facts
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::envs::triage::settings::TriageSettings;
    use crate::envs::triage::ENV;
    use crate::play::lesson_drill::{assert_every_step_reached, Driver};
    use crate::play::page_session::PageSession;
    use ztgym::triage::cues::read_cues;
    use ztgym::triage::Decision;

    /// A student who reads the cues: names every cue the message shows; blocks a message with
    /// a cue (warns, when the lesson asks for warnings), allows one without.
    struct CueReader;

    impl Driver<Session> for CueReader {
        fn act(&mut self, s: &mut Session, lesson: &Lesson, _step: usize) -> Result<(), String> {
            if s.done() {
                s.restart();
                return Ok(());
            }
            let cues = read_cues(&s.observation().message);
            let threat = s.run_ref().env().state().current_class.is_threat();
            let decision = match (threat, lesson.id) {
                (true, "warn") => Decision::Warn,
                (true, _) => Decision::Block,
                (false, _) => Decision::Allow,
            };
            let reasoning: Vec<&str> = cues.iter().map(|c| c.words()[0]).collect();
            s.decide(decision, 0.8, &reasoning.join(", "))
        }
    }

    #[test]
    fn every_step_of_every_lesson_is_reached() {
        assert_every_step_reached::<Session>(
            ENV,
            &LESSONS,
            Session::new,
            facts,
            &mut CueReader,
            200,
        );
    }

    #[test]
    fn the_adversary_answers_blocking_everything_with_hard_negatives_as_the_lesson_says() {
        let (settings, _) =
            crate::play::lesson_box::setup_settings::<TriageSettings>(&LESSONS[2].setup, ENV);
        let mut s = Session::new(settings).unwrap();
        let mut first = None;
        while first.is_none() && s.play(1, false) == 1 {
            first = s.info().adversary.filter(|m| *m != Mode::Probing);
        }
        assert_eq!(first, Some(Mode::HardNegatives));
        assert!(LESSONS[2].steps[1].text.contains("hard negatives"));
    }

    #[test]
    fn the_lessons_links_set_up_what_they_say() {
        let (s, problems) =
            crate::play::lesson_box::setup_settings::<TriageSettings>(&LESSONS[2].setup, ENV);
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(s.task, ztgym::triage::TaskId::L3);
        assert_eq!(s.agent.as_str(), "always-block");
    }
}
