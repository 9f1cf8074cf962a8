//! The triage page's state: its session, the person's confidence and reasoning, the tab's
//! policy, and what changes them. Shared with the triage panels through context; the player
//! and the learning panels drive it through [`Playable`](crate::play::playable::Playable) and [`LearningHost`].

use super::id::ENV;
use super::session::Session;
use super::settings::{Decider, TriageSettings};
use crate::learning::bundled::stand_in;
use crate::learning::host::LearningHost;
use crate::learning::policy_store::{now_acts, LoadedPolicyOf, TabPolicyOf};
use crate::play::state::PageState;
use crate::shell::notices::{link_notice, Notices};
use crate::shell::result_view::bring_result_into_view;
use crate::shell::url_hash::UrlHash;
use leptos::prelude::*;
use ztgym::triage::{Decision, Observation, TaskId, Triage};

/// The triage tab's policy.
pub type TriagePolicy = TabPolicyOf<Triage>;

/// The triage policies shipped with the page, one per task, trained by the CLI
/// (`docs/src/policies.md`): the one of the task plays `agent=policy` in a browser that keeps
/// none for it.
const BUNDLED: [(&str, &str); 3] = [
    (
        "L1-q.json",
        include_str!("../../../assets/policies/triage/L1-q.json"),
    ),
    (
        "L2-q.json",
        include_str!("../../../assets/policies/triage/L2-q.json"),
    ),
    (
        "L3-q.json",
        include_str!("../../../assets/policies/triage/L3-q.json"),
    ),
];

/// For the `Policy` agent, the task's bundled policy when the tab holds none for the task;
/// what to tell the person.
fn bundled_stand_in(policy: TriagePolicy, settings: &TriageSettings) -> Option<String> {
    (settings.agent == Decider::Policy)
        .then(|| stand_in(policy, &BUNDLED, settings.task.as_str()))
        .flatten()
}

/// The triage page's state. All fields are cheap handles.
#[derive(Clone, Copy)]
pub struct TriageDesk {
    /// The session, the player, the notices and the link (what every page keeps).
    pub state: PageState<Session>,
    /// The person's confidence in their next decision, 0 to 1.
    pub confidence: RwSignal<f64>,
    pub reasoning: RwSignal<String>,
    /// The policy trained or loaded last for the triage tasks.
    pub policy: TriagePolicy,
}

crate::page_state_deref!(TriageDesk, Session);

impl TriageDesk {
    /// Starts from the URL hash, reporting any problem in it.
    pub fn new(hash: UrlHash, notices: Notices) -> TriageDesk {
        let (settings, mut problems) = TriageSettings::from_hash(&hash.last());
        let (policy, problem) = TriagePolicy::restore(ENV);
        problems.extend(problem);
        let stood_in = bundled_stand_in(policy, &settings);
        let kept = policy.get_untracked();
        let session = Session::with_policy(settings.clone(), kept.as_ref()).unwrap_or_else(|e| {
            problems.push(e);
            Session::with_policy(
                TriageSettings {
                    agent: Decider::Human,
                    ..settings.clone()
                },
                kept.as_ref(),
            )
            .expect("a person can always play")
        });
        notices.set(link_notice(&problems));
        if let (Some(notice), true) = (stood_in, problems.is_empty()) {
            notices.info(notice);
        }
        TriageDesk {
            state: PageState::new(session, settings.speed, notices, hash),
            confidence: RwSignal::new(0.7),
            reasoning: RwSignal::new(String::new()),
            policy,
        }
    }

    /// Reads the message on screen: the replayed one, or the current one (tracked).
    pub fn shown<T>(&self, f: impl FnOnce(&Observation) -> T) -> T {
        let replay = self.player.replay.get();
        self.read(|s| match replay {
            Some(k) => f(s.observation_at(k)),
            None => f(s.observation()),
        })
    }

    /// Applies new settings: a new session unless only the speed changed.
    pub fn apply(&self, settings: TriageSettings) {
        self.start(settings, false);
    }

    /// Starts a new session with `settings`, even if they are the current ones (a lesson
    /// starts from its beginning).
    pub fn start_fresh(&self, settings: TriageSettings) {
        self.reasoning.set(String::new());
        self.start(settings, true);
    }

    /// Applies settings; with `fresh`, starts a new session even if they are unchanged (a new
    /// policy plays).
    fn start(&self, settings: TriageSettings, fresh: bool) {
        self.player.speed.set(settings.speed);
        let current = self.settings();
        if let Some(notice) = bundled_stand_in(self.policy, &settings) {
            self.notices.info(notice);
        }
        if fresh || settings != current {
            match Session::with_policy(settings, self.policy.get_untracked().as_ref()) {
                Ok(session) => self.replace(session),
                Err(e) => self.notices.error(e),
            }
        }
        self.write_hash();
    }

    /// A person's decision, with the confidence and reasoning on screen; a refused one is
    /// reported and changes nothing.
    pub fn decide(&self, decision: Decision) {
        if self.peek(|s| s.automated()) {
            self.notices.info(
                "An agent decides in this run: choose Agent: Human (you) to decide yourself.",
            );
            return;
        }
        if self.player.replay.get_untracked().is_some() {
            self.player.replay.set(None);
        }
        let confidence = self.confidence.get_untracked();
        let reasoning = self.reasoning.get_untracked();
        let mut result = Ok(());
        self.change(|s| result = s.decide(decision, confidence, &reasoning));
        match result {
            Ok(()) => {
                self.notices.clear();
                self.reasoning.set(String::new());
                bring_result_into_view();
            }
            Err(text) => self.notices.error(text),
        }
    }
}

impl LearningHost for TriageDesk {
    type Adapter = Triage;
    const BUNDLED: &'static [(&'static str, &'static str)] = &BUNDLED;
    const LEARNED_HINT: &'static str = "The kinds of message training met, most met first: what the policy reads in them (risk score band, sender, link, attachment, what is asked, pressure, prize), the value of each decision there, and the decision it takes. In a good policy, a lookalike sender asking for credentials is blocked, and a known sender with no link is allowed.";
    const TABLE_VALUES: bool = true;
    const TRAINS_ON: &'static str = "the task";
    const COST: &'static str = "legitimate messages blocked";

    fn tab_policy(&self) -> TabPolicyOf<Triage> {
        self.policy
    }

    fn scenario(&self) -> String {
        self.read(|s| s.settings().task.as_str().to_string())
    }

    /// The task on screen; the task is the level too (`None`: the CLI's default).
    fn training_ground(&self) -> (String, Option<TaskId>) {
        (self.settings().task.as_str().to_string(), None)
    }

    /// Makes `loaded` the tab's policy, keeps it for the next visit, and lets it play: the run
    /// switches to the policy's task if needed, with the Policy decider, same seed.
    fn use_policy(&self, loaded: LoadedPolicyOf<Triage>) {
        let summary = loaded.summary();
        let task = TaskId::parse(&loaded.policy.scenario);
        let saved = self.policy.keep(loaded);
        let mut settings = self.settings();
        if let Ok(task) = task {
            settings.task = task;
        }
        settings.agent = Decider::Policy;
        self.player.pause(self.state);
        self.start(settings, true);
        self.notices.info(now_acts(&summary, "decides", saved));
    }

    /// A person mid-episode keeps deciding: the policy is kept and explained beside their
    /// episode, and plays when they choose Agent: Policy. Otherwise it plays at once.
    fn offer_trained(&self, loaded: LoadedPolicyOf<Triage>) {
        if !self.person_mid_episode() {
            self.use_policy(loaded);
            return;
        }
        self.policy.keep_explained(
            loaded,
            |p| self.change(|s| _ = s.explain(Some(p))),
            self.notices,
        );
    }
}

/// The triage desk from context.
pub fn use_desk() -> TriageDesk {
    expect_context::<TriageDesk>()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::learning::bundled::bundled_for;

    #[test]
    fn each_task_has_its_bundled_policy_and_it_loads_for_that_task() {
        for task in ["L1", "L2", "L3"] {
            let files = bundled_for(&BUNDLED, task);
            assert_eq!(files, [format!("{task}-q.json")]);
            let (_, text) = BUNDLED.iter().find(|(f, _)| *f == files[0]).unwrap();
            LoadedPolicyOf::<Triage>::from_file(files[0], text, task).unwrap();
            assert!(LoadedPolicyOf::<Triage>::from_file(files[0], text, "L9").is_err());
        }
    }
}
