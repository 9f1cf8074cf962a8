//! The SRE gym's lessons: the demo a first visit plays by itself, and the three ways on from it
//! ("Play it yourself", "Break a rule", "Watch a trained agent"), as data for the lesson
//! engine (`shell::lessons`); what the episode shows them ([`facts`]). A teacher links to one
//! with `#v=1&lesson=break-rule&env=sre`.

use super::session::Session;
use crate::shell::lessons::{Check, Facts, Lesson, Setup, Step};
use ztgym::Outcome;

/// The bundled policy the "Watch a trained agent" lesson plays.
pub const WATCHED_POLICY: &str = "classic-q-lagrangian";

/// The lesson a first visit plays.
pub const FIRST_VISIT: &str = "demo";

/// The focus that targets the service of the newest alert (see `lessons_focus` in the page).
pub const NEWEST_ALERT: &str = "newest-alert";

/// The SRE gym's lessons, in the order its box offers them.
pub static LESSONS: [Lesson; 4] = [
    Lesson {
        id: "demo",
        title: "Watch the demo",
        note: "Set the scene: an agent that follows the standard operating \
               procedure. Ask the class what it does before every privileged action, and why \
               the ticket names the evidence.",
        minutes: 3,
        setup: Setup::watched(
            "scenario=classic&level=warmup&seed=1&agent=sop&speed=normal",
        ),
        steps: &[
            Step::new(
                "Demo: the SOP operator works an incident by the book. First it investigates \
                 the alerting service: it reads the service's logs. Watch the graph and the \
                 tickets.",
                Check::Action("file_ticket"),
            ),
            Step::new(
                "The SOP operator filed a change ticket citing the evidence it found. Now it \
                 waits for the review and checks the approval.",
                Check::Action("check_approval"),
            ),
            Step::new(
                "Only with an approved ticket does the SOP operator isolate or patch: no \
                 privileged change without approval. Watch it contain the threat.",
                Check::Ended,
            ),
        ],
    },
    Lesson {
        id: "play",
        title: "Play it yourself",
        note: "The students do what the demo did. Walk the room: the usual slip is acting \
               before the approval, which the gate refuses (as in \"Break a rule\").",
        minutes: 6,
        setup: Setup::person(
            "scenario=classic&level=warmup&seed=1&agent=human&speed=normal",
        ),
        steps: &[
            Step::new(
                "Your turn. Click a service in the graph to target it (the alerting one), then \
                 Investigate its logs.",
                Check::Action("query_siem_logs"),
            ),
            Step::new(
                "Found a compromise? Cite the evidence (the Cite buttons), name the blast \
                 radius and a rollback plan, and File ticket.",
                Check::Action("file_ticket"),
            ),
            Step::new(
                "Check approval: the review takes a step or two (Wait, then check again).",
                Check::Action("check_approval"),
            ),
            Step::new(
                "Approved? Isolate or Patch the compromised service, and contain every \
                 threat. Acting without an approved ticket ends the episode: Reset and try \
                 again.",
                Check::Succeeded,
            ),
        ],
    },
    Lesson {
        id: "break-rule",
        title: "Break a rule",
        note: "Zero trust in one click: the gate refuses a privileged change without an \
               approved ticket, whoever asks. Ask the class what the -20 and the cost teach a \
               learning agent.",
        minutes: 4,
        setup: Setup::person(
            "scenario=classic&level=warmup&seed=2&agent=human&speed=normal",
        )
        .focused(NEWEST_ALERT),
        steps: &[
            Step::new(
                "Zero trust means no privileged change without an approved ticket. The \
                 alerting service is targeted: press Isolate now, without investigating and \
                 without a ticket. The gate refuses it (rule no_approved_ticket): it costs -20 \
                 and ends the episode.",
                Check::Denied,
            ),
            Step::new(
                "Refused: read the caption's rule. Now press Reset and do it by the book: \
                 Investigate the alerting service first.",
                Check::Action("query_siem_logs"),
            ),
            Step::new(
                "Cite the evidence and File ticket; then Check approval until it is approved.",
                Check::Action("check_approval"),
            ),
            Step::new(
                "Now Isolate or Patch: the same action the gate refused is allowed with an \
                 approved ticket.",
                Check::Succeeded,
            ),
        ],
    },
    Lesson {
        id: "watch",
        title: "Watch a trained agent",
        note: "A policy trained by the CLI with a cost constraint. Ask the class where it \
               waits, and compare its steps with the SOP operator's.",
        minutes: 2,
        setup: Setup::watched(
            "scenario=classic&level=warmup&seed=1&agent=policy&speed=normal&policy=classic-q-lagrangian",
        ),
        steps: &[
            Step::new(
                "A policy trained by Lagrangian Q-learning (bundled with the page, trained by \
                 the CLI) plays. The Learned policy panel shows the value of each action it weighed.",
                Check::Steps(3),
            ),
            Step::new(
                "It breaks no rule: it waits for the approval like the SOP operator. Pause, \
                 Step or Reset it as you like; watch it to the end.",
                Check::Ended,
            ),
        ],
    },
];

/// What the episode on screen shows the lessons: the tools used, a refusal (a privileged
/// action without an approved ticket ends in a violation, with a cost), how it ended.
pub fn facts(s: &Session) -> Facts {
    let steps = &s.log().steps;
    let mut facts = Facts::of(
        steps.len(),
        s.done(),
        s.info().outcome == Some(Outcome::Success),
    );
    facts.denied =
        s.info().outcome == Some(Outcome::Violation) || steps.iter().any(|r| r.step.cost > 0.0);
    for r in steps {
        facts.took(r.action.tool());
    }
    facts
}

/// The node a setup's focus points at: for [`NEWEST_ALERT`], the service of the newest alert.
pub fn focus_node(session: &Session, focus: &str) -> Option<String> {
    match focus {
        NEWEST_ALERT => session.alerts().last().map(|a| a.host.to_string()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::envs::sre::settings::RunSettings;
    use crate::envs::sre::{policy_to_load, ENV};
    use crate::play::lesson_drill::{assert_every_step_reached, Driver};
    use crate::play::page_session::PageSession;
    use ztgym::agents::{Agent, SopAgent};
    use ztgym::policy::Policy;
    use ztgym::{Action, Scenario};

    fn start(settings: RunSettings) -> Result<Session, String> {
        let policy = policy_to_load::to_load(&settings, None)
            .map(|(file, text)| Policy::parse(file, text, None).map_err(|e| e.to_string()))
            .transpose()?;
        Session::new(settings, policy.as_ref())
    }

    /// A person who acts as the SOP operator would, except when a step asks them to break
    /// the rule: then they isolate the focused service at once.
    struct ByTheBook {
        sop: Option<SopAgent>,
    }

    impl Driver<Session> for ByTheBook {
        fn act(&mut self, s: &mut Session, lesson: &Lesson, step: usize) -> Result<(), String> {
            if s.done() {
                s.restart();
                self.sop = None;
                return Ok(());
            }
            if lesson.id == "break-rule" && step == 0 {
                let node = focus_node(s, NEWEST_ALERT).ok_or("no alert")?;
                return s.act(&Action::IsolateNode { node });
            }
            let scenario = Scenario::builtin("classic").unwrap();
            let seed = s.seed();
            let sop = self.sop.get_or_insert_with(|| {
                let mut a = SopAgent::new(&scenario);
                a.reset(seed);
                a
            });
            let action = sop.act(s.observation(), s.info());
            s.act(&action)
        }
    }

    #[test]
    fn every_step_of_every_lesson_is_reached() {
        assert_every_step_reached::<Session>(
            ENV,
            &LESSONS,
            start,
            facts,
            &mut ByTheBook { sop: None },
            200,
        );
    }

    #[test]
    fn the_demo_ends_by_the_book_by_itself() {
        let (settings, problems) =
            crate::play::lesson_box::setup_settings::<RunSettings>(&LESSONS[0].setup, ENV);
        assert!(problems.is_empty(), "{problems:?}");
        let mut s = start(settings).unwrap();
        assert!(s.automated() && LESSONS[0].setup.play);
        s.play(1000, false);
        assert_eq!(s.info().outcome, Some(Outcome::Success));
        assert_eq!(s.info().episode_cost, 0.0);
        let steps = s.log().steps.len();
        assert!(steps <= 12, "a short demo: {steps}");
    }

    #[test]
    fn breaking_a_rule_is_one_click_away_and_costs_what_the_lesson_says() {
        let lesson = &LESSONS[2];
        let (settings, _) =
            crate::play::lesson_box::setup_settings::<RunSettings>(&lesson.setup, ENV);
        assert_eq!(settings.seed, 2);
        let mut s = start(settings).unwrap();
        assert!(!s.automated(), "a person acts");
        let node = focus_node(&s, lesson.setup.focus.unwrap()).expect("an alert at reset");
        s.act(&Action::IsolateNode { node }).unwrap();
        assert_eq!(s.info().outcome, Some(Outcome::Violation));
        let (reward, cost) = s.last_reward_cost().unwrap();
        assert!(reward <= -20.0 && cost >= 1.0, "{reward} {cost}");
        assert!(facts(&s).denied);
        let text = lesson.steps[0].text;
        assert!(text.contains("-20") && text.contains("no_approved_ticket"));
    }

    #[test]
    fn watching_plays_the_bundled_policy_without_breaking_a_rule() {
        let (settings, _) =
            crate::play::lesson_box::setup_settings::<RunSettings>(&LESSONS[3].setup, ENV);
        assert_eq!(settings.policy.as_deref(), Some(WATCHED_POLICY));
        let mut s = start(settings).unwrap();
        assert!(s.automated());
        s.play(1000, false);
        assert_eq!(s.info().episode_cost, 0.0);
        assert!(!facts(&s).denied);
    }
}
