//! Lessons, for any environment: a lesson is data (an id, a title, a teacher's note, the
//! minutes it takes, the run it starts, and steps), and one engine ([`Progress`]) follows the
//! student through its steps. Each step has its text, optionally a run of its own to set up
//! when it begins, and the condition ([`Check`]) that completes it, read on [`Facts`]: what
//! the environment says of the episode on screen. Plain Rust, tested natively; each
//! environment's folder holds its lessons (`lessons.rs`) and `play::lesson_box` shows them.

use super::url_hash;

/// The run a lesson (or a step) sets up.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Setup {
    /// The environment's link fields, as its share link writes them
    /// (`task=L1&seed=3&agent=human&speed=normal`): read by its own settings.
    pub link: &'static str,
    /// Whether the agent plays by itself once set up.
    pub play: bool,
    /// What the page points at when it is set up, in the environment's words (the SRE gym:
    /// `newest-alert` targets the service of the newest alert).
    pub focus: Option<&'static str>,
}

impl Setup {
    /// A run a person plays.
    pub const fn person(link: &'static str) -> Setup {
        Setup {
            link,
            play: false,
            focus: None,
        }
    }

    /// A run an agent plays by itself.
    pub const fn watched(link: &'static str) -> Setup {
        Setup {
            link,
            play: true,
            focus: None,
        }
    }

    /// The same run, pointing at `focus`.
    pub const fn focused(self, focus: &'static str) -> Setup {
        Setup {
            focus: Some(focus),
            ..self
        }
    }

    /// The settings' hash for environment `env`, without `#`.
    pub fn hash(&self, env: &str) -> String {
        format!("v={}&{}&env={env}", url_hash::HASH_VERSION, self.link)
    }
}

/// What completes a step, read on the episode on screen.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Check {
    /// At least this many steps taken.
    Steps(usize),
    /// An action of this kind taken (the environment's name for it: `query_siem_logs`,
    /// `warn`, `propose`).
    Action(&'static str),
    /// A step the gate (or the rules) refused or denied.
    Denied,
    /// The episode ended, however.
    Ended,
    /// The episode ended in the environment's idea of success.
    Succeeded,
    /// Something the environment says it saw (`adversary-adapted`, `policy-edited`).
    Saw(&'static str),
}

impl Check {
    /// Whether `facts` meet it.
    pub fn met(self, facts: &Facts) -> bool {
        match self {
            Check::Steps(n) => facts.steps >= n,
            Check::Action(kind) => facts.actions.contains(&kind),
            Check::Denied => facts.denied,
            Check::Ended => facts.ended,
            Check::Succeeded => facts.ended && facts.succeeded,
            Check::Saw(what) => facts.seen.contains(&what),
        }
    }
}

/// What an environment says of the episode on screen, for the lessons' checks.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Facts {
    pub steps: usize,
    pub ended: bool,
    pub succeeded: bool,
    /// The kinds of action taken in the episode.
    pub actions: Vec<&'static str>,
    /// Whether a step was refused or denied by the gate or the rules.
    pub denied: bool,
    /// What else the environment saw (its own words, as its lessons' [`Check::Saw`] use them).
    pub seen: Vec<&'static str>,
}

impl Facts {
    /// The facts of an episode of `steps` steps so far: whether it has ended, and whether it
    /// succeeded; what was taken and seen is added by the environment.
    pub fn of(steps: usize, ended: bool, succeeded: bool) -> Facts {
        Facts {
            steps,
            ended,
            succeeded,
            ..Facts::default()
        }
    }

    /// Adds `what` to what was seen when `yes`.
    pub fn saw_if(&mut self, yes: bool, what: &'static str) {
        if yes && !self.seen.contains(&what) {
            self.seen.push(what);
        }
    }

    /// Adds an action's kind.
    pub fn took(&mut self, kind: &'static str) {
        if !self.actions.contains(&kind) {
            self.actions.push(kind);
        }
    }
}

/// One step of a lesson.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Step {
    /// What the student reads while it is the current step.
    pub text: &'static str,
    pub done_when: Check,
    /// A run set up when the step begins (a lesson's first step runs the lesson's own).
    pub setup: Option<Setup>,
}

impl Step {
    pub const fn new(text: &'static str, done_when: Check) -> Step {
        Step {
            text,
            done_when,
            setup: None,
        }
    }

    /// The same step, setting up `setup` when it begins.
    pub const fn then_run(self, setup: Setup) -> Step {
        Step {
            setup: Some(setup),
            ..self
        }
    }
}

/// A lesson.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Lesson {
    /// Its name in links: `lesson=break-rule`.
    pub id: &'static str,
    /// Its title, on its button and over its box.
    pub title: &'static str,
    /// For the teacher: what it teaches and what to ask the class.
    pub note: &'static str,
    /// How long it takes in class.
    pub minutes: u32,
    /// The run it starts.
    pub setup: Setup,
    pub steps: &'static [Step],
}

impl Lesson {
    /// The lesson's own link for environment `env`, without `#`: `v=1&lesson=watch&env=sre`.
    pub fn link_hash(&self, env: &str) -> String {
        url_hash::write(env, &[("lesson", self.id.to_string())])
    }
}

/// The lesson of `lessons` named `id`.
pub fn find(lessons: &'static [Lesson], id: &str) -> Option<&'static Lesson> {
    lessons.iter().find(|l| l.id == id)
}

/// The lesson a link names (its `lesson=` field), if any, among `lessons` (those of the
/// environment the link opens); a name that is not one of them is a problem named in words.
pub fn from_fields(
    lessons: &'static [Lesson],
    fields: &[(String, String)],
) -> Result<Option<&'static Lesson>, String> {
    match fields.iter().find(|(key, _)| key == "lesson") {
        None => Ok(None),
        Some((_, value)) => find(lessons, value).map(Some).ok_or_else(|| {
            let known: Vec<&str> = lessons.iter().map(|l| l.id).collect();
            if known.is_empty() {
                format!("lesson {value:?}: this environment has no lessons")
            } else {
                format!(
                    "lesson {value:?} is not a lesson of this environment (its lessons: {})",
                    known.join(", ")
                )
            }
        }),
    }
}

/// How far a student is in a lesson: the steps done, in order. A step done stays done (a
/// Reset does not undo it); only the current step's check is read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Progress {
    pub lesson: &'static Lesson,
    /// Steps done, from the first.
    pub done: usize,
}

impl Progress {
    pub fn new(lesson: &'static Lesson) -> Progress {
        Progress { lesson, done: 0 }
    }

    /// The current step (none once every step is done).
    pub fn current(&self) -> Option<&'static Step> {
        self.lesson.steps.get(self.done)
    }

    /// Whether every step is done.
    pub fn finished(&self) -> bool {
        self.done >= self.lesson.steps.len()
    }

    /// "2 of 5": the step the student is on (the last once finished) of how many.
    pub fn label(&self) -> String {
        let total = self.lesson.steps.len();
        format!("{} of {total}", (self.done + 1).min(total))
    }

    /// Reads `facts`: the current step and the ones after it are done while their checks
    /// hold, stopping at a step that sets up a run of its own (its checks are read on that
    /// run). Returns the setup of the step just begun, if it has one.
    pub fn advance(&mut self, facts: &Facts) -> Option<Setup> {
        while let Some(step) = self.current() {
            if !step.done_when.met(facts) {
                return None;
            }
            self.done += 1;
            if let Some(setup) = self.current().and_then(|s| s.setup) {
                return Some(setup);
            }
        }
        None
    }
}

#[cfg(test)]
pub mod tests {
    use super::*;

    static STEPS: [Step; 3] = [
        Step::new("Take two steps.", Check::Steps(2)),
        Step::new("Warn once.", Check::Action("warn")),
        Step::new("Now watch.", Check::Ended).then_run(Setup::watched("agent=random")),
    ];

    pub static LESSON: Lesson = Lesson {
        id: "sample",
        title: "A sample",
        note: "For the tests.",
        minutes: 5,
        setup: Setup::person("seed=3&agent=human"),
        steps: &STEPS,
    };

    static LESSONS: [Lesson; 1] = [LESSON];

    #[test]
    fn checks_read_the_facts() {
        let mut facts = Facts::default();
        assert!(!Check::Steps(1).met(&facts) && Check::Steps(0).met(&facts));
        facts.steps = 3;
        facts.took("warn");
        facts.took("warn");
        assert_eq!(facts.actions, ["warn"]);
        assert!(Check::Steps(3).met(&facts) && Check::Action("warn").met(&facts));
        assert!(!Check::Action("block").met(&facts) && !Check::Denied.met(&facts));
        facts.ended = true;
        assert!(Check::Ended.met(&facts) && !Check::Succeeded.met(&facts));
        facts.succeeded = true;
        assert!(Check::Succeeded.met(&facts));
        facts.saw_if(false, "x");
        assert!(!Check::Saw("x").met(&facts));
        facts.saw_if(true, "x");
        assert!(Check::Saw("x").met(&facts));
        facts.denied = true;
        assert!(Check::Denied.met(&facts));
    }

    #[test]
    fn progress_follows_the_student_and_stops_at_a_step_with_a_run_of_its_own() {
        let mut p = Progress::new(&LESSON);
        assert_eq!(
            (p.label(), p.current().unwrap().text),
            ("1 of 3".into(), "Take two steps.")
        );
        let mut facts = Facts {
            steps: 1,
            ..Facts::default()
        };
        assert_eq!(p.advance(&facts), None);
        assert_eq!(p.done, 0);
        // Both checks hold at once: two steps are done, and the third's run is set up.
        facts.steps = 2;
        facts.took("warn");
        facts.ended = true;
        assert_eq!(p.advance(&facts), Some(Setup::watched("agent=random")));
        assert_eq!((p.done, p.label()), (2, "3 of 3".into()));
        assert!(
            !p.finished(),
            "the ended episode was the one before the run"
        );
        assert_eq!(p.advance(&facts), None);
        assert!(p.finished() && p.current().is_none());
        assert_eq!(p.label(), "3 of 3");
        // A step done stays done: nothing is undone by a fresh episode.
        assert_eq!(p.advance(&Facts::default()), None);
        assert_eq!(p.done, 3);
    }

    #[test]
    fn links_name_a_lesson_and_a_bad_name_is_a_problem() {
        let hash = LESSON.link_hash("triage");
        assert_eq!(hash, "v=1&lesson=sample&env=triage");
        let link = url_hash::Link::parse(&hash);
        assert_eq!(link.env, "triage");
        assert_eq!(from_fields(&LESSONS, &link.fields), Ok(Some(&LESSONS[0])));
        assert_eq!(from_fields(&LESSONS, &[]), Ok(None));
        let err = from_fields(&LESSONS, &[("lesson".into(), "fly".into())]).unwrap_err();
        assert!(err.contains("\"fly\"") && err.contains("sample"), "{err}");
        let err = from_fields(&[], &[("lesson".into(), "fly".into())]).unwrap_err();
        assert!(err.contains("no lessons"), "{err}");
        assert_eq!(
            LESSON.setup.hash("triage"),
            "v=1&seed=3&agent=human&env=triage"
        );
    }
}
