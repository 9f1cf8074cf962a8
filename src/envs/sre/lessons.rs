//! The SRE gym's lessons: the demo a first visit plays by itself, and the three ways on from it
//! ("Play it yourself", "Break a rule", "Watch a trained agent"). Each lesson is a run's settings
//! and, for "Break a rule", the node to act on; a teacher links to one with
//! `#v=1&lesson=break-rule&env=sre`. Plain Rust, tested natively; `lessons_panel` shows them.

use super::id::ENV;
use super::session::Session;
use super::settings::{Decider, RunSettings, SOP};
use crate::play::speed::Speed;
use crate::shell::url_hash;
use ztgym::Level;

/// The bundled policy the "Watch a trained agent" lesson plays.
pub const WATCHED_POLICY: &str = "classic-q-lagrangian";

/// One lesson.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lesson {
    /// The SOP operator works an incident by the book, by itself.
    Demo,
    /// The person acts, through the action buttons.
    Play,
    /// The person is about to isolate a node without an approved ticket.
    BreakRule,
    /// The policy bundled with the page plays.
    Watch,
}

impl Lesson {
    pub const ALL: [Lesson; 4] = [Lesson::Demo, Lesson::Play, Lesson::BreakRule, Lesson::Watch];

    /// The three ways on from the demo, in the order the page offers them.
    pub const CHOICES: [Lesson; 3] = [Lesson::Play, Lesson::BreakRule, Lesson::Watch];

    /// The lesson's name in links: `lesson=break-rule`.
    pub fn as_str(self) -> &'static str {
        match self {
            Lesson::Demo => "demo",
            Lesson::Play => "play",
            Lesson::BreakRule => "break-rule",
            Lesson::Watch => "watch",
        }
    }

    pub fn parse(s: &str) -> Option<Lesson> {
        Lesson::ALL.into_iter().find(|l| l.as_str() == s)
    }

    /// The lesson a link names (its `lesson=` field), if any; a name that is not a lesson is a
    /// problem named in words.
    pub fn from_fields(fields: &[(String, String)]) -> Result<Option<Lesson>, String> {
        match fields.iter().find(|(key, _)| key == "lesson") {
            None => Ok(None),
            Some((_, value)) => Lesson::parse(value).map(Some).ok_or_else(|| {
                let known: Vec<&str> = Lesson::ALL.iter().map(|l| l.as_str()).collect();
                format!("lesson {value:?} is not one of {}", known.join(", "))
            }),
        }
    }

    /// The button that starts it.
    pub fn label(self) -> &'static str {
        match self {
            Lesson::Demo => "Watch the demo again",
            Lesson::Play => "Play it yourself",
            Lesson::BreakRule => "Break a rule",
            Lesson::Watch => "Watch a trained agent",
        }
    }

    /// What the lesson shows, in a sentence or two.
    pub fn explanation(self) -> &'static str {
        match self {
            Lesson::Demo => {
                "Demo: the SOP operator works an incident by the book. It investigates the \
                 alerting service, files a change ticket citing the evidence, waits for the \
                 approval, and only then isolates or patches. Watch the graph and the tickets."
            }
            Lesson::Play => {
                "Your turn. Click a service in the graph to target it, then Investigate its \
                 logs. Found a compromise? Cite the evidence, name the blast radius and a \
                 rollback plan, and File ticket. Check approval, then Isolate or Patch."
            }
            Lesson::BreakRule => {
                "Zero trust means no privileged change without an approved ticket. The alerting \
                 service is targeted: press Isolate now, without investigating and without a \
                 ticket. The gate refuses it (rule no_approved_ticket): it costs -20 and ends \
                 the episode. Then Reset and do it by the book."
            }
            Lesson::Watch => {
                "A policy trained by Lagrangian Q-learning (bundled with the page, trained by \
                 the CLI) plays. The Policy panel shows the value of each action it weighed; it \
                 breaks no rule. Pause, Step or Reset it as you like."
            }
        }
    }

    /// The run the lesson starts.
    pub fn settings(self) -> RunSettings {
        let classic = RunSettings {
            scenario: "classic".into(),
            level: Level::Warmup,
            seed: 1,
            agent: Decider::Human,
            speed: Speed::Normal,
            policy: None,
            ..RunSettings::default()
        };
        match self {
            Lesson::Demo => RunSettings {
                agent: SOP,
                ..classic
            },
            Lesson::Play => classic,
            Lesson::BreakRule => RunSettings { seed: 2, ..classic },
            Lesson::Watch => RunSettings {
                agent: Decider::Policy,
                policy: Some(WATCHED_POLICY.into()),
                ..classic
            },
        }
    }

    /// Whether an agent plays the lesson by itself once it is set up.
    pub fn plays_by_itself(self) -> bool {
        matches!(self, Lesson::Demo | Lesson::Watch)
    }

    /// The node the person should have targeted when the lesson starts: for "Break a rule",
    /// the service of the newest alert.
    pub fn target(self, session: &Session) -> Option<String> {
        match self {
            Lesson::BreakRule => session.alerts().last().map(|a| a.host.to_string()),
            _ => None,
        }
    }

    /// The lesson's own link, without `#`: `v=1&lesson=watch&env=sre`.
    pub fn link_hash(self) -> String {
        url_hash::write(ENV, &[("lesson", self.as_str().to_string())])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::envs::sre::{bundled_policies, policy_to_load};
    use crate::play::page_session::PageSession;
    use crate::shell::url_hash::Link;
    use ztgym::policy::Policy;
    use ztgym::{Action, Outcome};

    #[test]
    fn lesson_links_round_trip_and_bad_names_are_problems() {
        for lesson in Lesson::ALL {
            let link = Link::parse(&lesson.link_hash());
            assert!(link.problems.is_empty(), "{:?}", link.problems);
            assert_eq!(Lesson::from_fields(&link.fields), Ok(Some(lesson)));
            let (settings, problems) = RunSettings::from_hash(&lesson.link_hash());
            assert!(
                problems.is_empty(),
                "the run settings ignore the lesson: {problems:?}"
            );
            assert_eq!(settings, RunSettings::default());
        }
        assert_eq!(Lesson::from_fields(&[]), Ok(None));
        let err = Lesson::from_fields(&[("lesson".into(), "fly".into())]).unwrap_err();
        assert!(
            err.contains("\"fly\"") && err.contains("break-rule"),
            "{err}"
        );
    }

    #[test]
    fn the_demo_ends_by_the_book_by_itself() {
        let mut s = Session::new(Lesson::Demo.settings(), None).unwrap();
        assert!(s.automated() && Lesson::Demo.plays_by_itself());
        s.play(1000, false);
        assert_eq!(s.info().outcome, Some(Outcome::Success));
        assert_eq!(s.info().episode_cost, 0.0);
        let steps = s.log().steps.len();
        assert!(steps <= 12, "a short demo: {steps}");
    }

    #[test]
    fn breaking_a_rule_is_one_click_away_and_costs_what_the_lesson_says() {
        let mut s = Session::new(Lesson::BreakRule.settings(), None).unwrap();
        assert!(!s.automated(), "a person acts");
        let node = Lesson::BreakRule.target(&s).expect("an alert at reset");
        s.act(&Action::IsolateNode { node }).unwrap();
        assert_eq!(s.info().outcome, Some(Outcome::Violation));
        let (reward, cost) = s.last_reward_cost().unwrap();
        assert!(reward <= -20.0 && cost >= 1.0, "{reward} {cost}");
        assert!(Lesson::BreakRule.explanation().contains("-20"));
        assert!(Lesson::BreakRule
            .explanation()
            .contains("no_approved_ticket"));
    }

    #[test]
    fn watching_plays_the_bundled_policy_without_breaking_a_rule() {
        let settings = Lesson::Watch.settings();
        let (file, text) = policy_to_load::to_load(&settings, None).unwrap();
        assert_eq!(bundled_policies::link_name(file), WATCHED_POLICY);
        let policy = Policy::parse(file, text, None).unwrap();
        let mut s = Session::new(settings, Some(&policy)).unwrap();
        assert!(s.automated() && Lesson::Watch.plays_by_itself());
        s.play(1000, false);
        assert_eq!(s.info().episode_cost, 0.0);
    }
}
