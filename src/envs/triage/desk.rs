//! The triage page's state: its session, the person's confidence and reasoning, and what
//! changes them. Shared with the triage panels through context; the player drives it through
//! [`Playable`].

use super::session::Session;
use super::settings::{Decider, TriageSettings};
use super::ENV;
use crate::play::playable::Playable;
use crate::play::player::Player;
use crate::shell::notices::{link_notice, Notices};
use crate::shell::url_hash::{Link, UrlHash};
use leptos::prelude::*;
use ztgym::triage::Decision;

/// The triage page's state. All fields are cheap handles.
#[derive(Clone, Copy)]
pub struct TriageDesk {
    session: StoredValue<Session, LocalStorage>,
    /// Bumped after every change to the session: reading the session tracks it.
    version: RwSignal<u64>,
    /// The person's confidence in their next decision, 0 to 1.
    pub confidence: RwSignal<f64>,
    pub reasoning: RwSignal<String>,
    pub player: Player,
    pub notices: Notices,
    hash: UrlHash,
}

impl TriageDesk {
    /// Starts from the URL hash, reporting any problem in it.
    pub fn new(hash: UrlHash, notices: Notices) -> TriageDesk {
        let (settings, mut problems) = TriageSettings::from_hash(&hash.last());
        let session = Session::new(settings.clone()).unwrap_or_else(|e| {
            problems.push(e);
            Session::new(TriageSettings {
                agent: Decider::Human,
                ..settings.clone()
            })
            .expect("a person can always play")
        });
        notices.set(link_notice(&problems));
        TriageDesk {
            session: StoredValue::new_local(session),
            version: RwSignal::new(0),
            confidence: RwSignal::new(0.7),
            reasoning: RwSignal::new(String::new()),
            player: Player::new(settings.speed, notices),
            notices,
            hash,
        }
    }

    /// Reads the session, tracking every change to it.
    pub fn read<T>(&self, f: impl FnOnce(&Session) -> T) -> T {
        self.version.track();
        self.session.with_value(f)
    }

    /// Reads the session without tracking.
    pub fn peek<T>(&self, f: impl FnOnce(&Session) -> T) -> T {
        self.session.with_value(f)
    }

    fn change(&self, f: impl FnOnce(&mut Session)) {
        self.session.update_value(f);
        self.version.update(|v| *v += 1);
    }

    /// The settings as they would be shared now.
    pub fn settings(&self) -> TriageSettings {
        let mut s = self.peek(|s| s.settings().clone());
        s.speed = self.player.speed.get_untracked();
        s
    }

    /// Applies new settings: a new session unless only the speed changed.
    pub fn apply(&self, settings: TriageSettings) {
        self.player.speed.set(settings.speed);
        let current = self.settings();
        if settings != current {
            match Session::new(settings) {
                Ok(session) => {
                    self.change(|s| *s = session);
                    self.player.playing.set(false);
                }
                Err(e) => self.notices.error(e),
            }
        }
        self.write_hash();
    }

    /// A person's decision, with the confidence and reasoning on screen; a refused one is
    /// reported and changes nothing.
    pub fn decide(&self, decision: Decision) {
        if self.peek(Session::automated) {
            self.notices.info(
                "An agent decides in this run: choose Agent: Human (you) to decide yourself.",
            );
            return;
        }
        let confidence = self.confidence.get_untracked();
        let reasoning = self.reasoning.get_untracked();
        let mut result = Ok(());
        self.change(|s| result = s.decide(decision, confidence, &reasoning));
        match result {
            Ok(()) => {
                self.notices.clear();
                self.reasoning.set(String::new());
            }
            Err(text) => self.notices.error(text),
        }
    }

    /// A hash typed or pasted by the person: apply it, reporting problems. A link to another
    /// environment is left to the shell, which switches pages.
    pub fn on_hash_change(&self) {
        if let Some(hash) = self.hash.changed() {
            if Link::parse(&hash).env != ENV {
                return;
            }
            let (settings, problems) = TriageSettings::from_hash(&hash);
            self.notices.set(link_notice(&problems));
            self.apply(settings);
        }
    }
}

impl Playable for TriageDesk {
    const AGENTS: &'static str = "Always allow, Always block, Random or Rule-based";

    fn automated(&self) -> bool {
        self.peek(Session::automated)
    }

    fn done(&self) -> bool {
        self.peek(Session::done)
    }

    fn seed(&self) -> u64 {
        self.peek(|s| s.settings().seed)
    }

    fn set_seed(&self, seed: u64) {
        self.change(|s| s.set_seed(seed));
    }

    fn restart(&self) {
        self.change(Session::restart);
    }

    fn run(&self, max_steps: usize, keep_going: bool) -> usize {
        let mut steps = 0;
        self.session
            .update_value(|s| steps = s.run(max_steps, keep_going));
        steps
    }

    fn redraw(&self) {
        self.version.update(|v| *v += 1);
    }

    fn share_hash(&self) -> String {
        self.version.track();
        self.player.speed.track();
        self.settings().to_hash()
    }

    fn write_hash(&self) {
        self.hash.write(self.settings().to_hash());
    }
}

/// The triage desk from context.
pub fn use_desk() -> TriageDesk {
    expect_context::<TriageDesk>()
}
