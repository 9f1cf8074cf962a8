//! The state handle every page keeps: its session, stored once, read tracked or untracked,
//! changed with a redraw; the player, the notices and the link. The player, its controls and
//! the keyboard shortcuts drive any of them through [`Playable`], implemented once here.

use super::decider::Agents;
use super::link_settings::LinkSettings;
use super::page_session::{LinkedSession, PageSession};
use super::playable::Playable;
use super::player::Player;
use super::run::Scored;
use super::shortcuts::use_shortcuts;
use super::speed::Speed;
use crate::shell::exports::Export;
use crate::shell::notices::{link_notice, Notices};
use crate::shell::url_hash::{Link, UrlHash};
use leptos::ev;
use leptos::prelude::*;

/// Lets a page's state handle (`$desk`, with a field `state: PageState<$session>`) read as
/// its [`PageState`]: `desk.read`, `desk.player`, `desk.notices`.
#[macro_export]
macro_rules! page_state_deref {
    ($desk:ty, $session:ty) => {
        impl ::std::ops::Deref for $desk {
            type Target = $crate::play::state::PageState<$session>;

            fn deref(&self) -> &$crate::play::state::PageState<$session> {
                &self.state
            }
        }
    };
}

/// A page's state: its session and what every page shares. All fields are cheap handles.
pub struct PageState<S: LinkedSession> {
    session: StoredValue<S, LocalStorage>,
    /// Bumped after every change to the session: reading the session tracks it.
    version: RwSignal<u64>,
    pub player: Player,
    pub notices: Notices,
    hash: UrlHash,
    /// What the page itself does after a change to the session (e.g. forget a pick).
    on_change: Option<Callback<()>>,
    /// How the page applies new settings (given at [`PageState::mount`]).
    apply: StoredValue<Option<Callback<S::Settings>>>,
    /// What the page adds to the settings its link carries (e.g. a bundled policy's name).
    amend_link: Option<Callback<S::Settings, S::Settings>>,
    /// The seed a Keep-going run of episodes started at: the link names it rather than the
    /// episode on screen, so whoever opens it can play the same run again.
    run_started_at: StoredValue<Option<u64>>,
}

impl<S: LinkedSession> Clone for PageState<S> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<S: LinkedSession> Copy for PageState<S> {}

impl<S: LinkedSession> PageState<S> {
    /// The state of `session`, played at `speed`.
    pub fn new(session: S, speed: Speed, notices: Notices, hash: UrlHash) -> PageState<S> {
        PageState {
            session: StoredValue::new_local(session),
            version: RwSignal::new(0),
            player: Player::new(speed, notices),
            notices,
            hash,
            on_change: None,
            apply: StoredValue::new(None),
            amend_link: None,
            run_started_at: StoredValue::new(None),
        }
    }

    /// The same state, with `f` adding to the settings its link carries.
    pub fn link_amended(self, f: Callback<S::Settings, S::Settings>) -> PageState<S> {
        PageState {
            amend_link: Some(f),
            ..self
        }
    }

    /// The same state, calling `f` after every change to the session through
    /// [`PageState::change`] (not after the player's runs, which only redraw).
    pub fn on_change(self, f: Callback<()>) -> PageState<S> {
        PageState {
            on_change: Some(f),
            ..self
        }
    }

    /// Reads the session, tracking every change to it.
    pub fn read<T>(&self, f: impl FnOnce(&S) -> T) -> T {
        self.version.track();
        self.session.with_value(f)
    }

    /// Reads the session without tracking.
    pub fn peek<T>(&self, f: impl FnOnce(&S) -> T) -> T {
        self.session.with_value(f)
    }

    /// Whether a person is in the middle of an episode: playing themselves, some steps taken,
    /// not finished.
    pub fn person_mid_episode(&self) -> bool {
        self.peek(|s| {
            let run = s.run_ref();
            !run.automated() && !run.done() && !run.log().steps.is_empty()
        })
    }

    /// Changes the session; whatever reads it redraws.
    pub fn change(&self, f: impl FnOnce(&mut S)) {
        self.session.update_value(f);
        if let Some(on_change) = self.on_change {
            on_change.run(());
        }
        self.version.update(|v| *v += 1);
    }

    /// Changes the session without the page's own reaction to a change
    /// ([`PageState::on_change`]); whatever reads it redraws.
    pub fn adjust(&self, f: impl FnOnce(&mut S)) {
        self.session.update_value(f);
        self.version.update(|v| *v += 1);
    }

    /// The version of the session (tracked): it changes with every change to it.
    pub fn track(&self) {
        self.version.track();
    }

    /// Puts a new session in place of the one on screen: replay and play stop.
    pub fn replace(&self, session: S) {
        self.run_started_at.set_value(None);
        self.change(|s| *s = session);
        self.player.replay.set(None);
        self.player.playing.set(false);
    }

    /// The settings as they would be shared now (with the player's speed).
    pub fn settings(&self) -> S::Settings {
        let mut s = self.peek(|s| s.settings().clone());
        s.set_speed(self.player.speed.get_untracked());
        match self.amend_link {
            Some(amend) => amend.run(s),
            None => s,
        }
    }

    /// The settings the link carries: as shared now, but naming the seed a Keep-going run
    /// started at.
    fn link_settings(&self) -> S::Settings {
        let mut settings = self.settings();
        if let Some(seed) = self.run_started_at.get_value() {
            settings.set_seed(seed);
        }
        settings
    }

    /// Puts the run's link in the address bar.
    pub fn write_hash(&self) {
        self.hash.write(self.link_settings().to_hash());
    }

    /// What every page does when it mounts: the player in context, the link written, a link
    /// typed or pasted for its environment applied (`apply`, which [`PageState::update`] uses
    /// too; problems reported; a link to another environment is left to the shell, which
    /// switches pages), the keyboard shortcuts; and on leaving, the listener removed and play
    /// stopped.
    pub fn mount(self, apply: impl Fn(S::Settings) + Send + Sync + 'static) {
        let env = <<S as PageSession>::Env as Scored>::ID;
        let apply = Callback::new(apply);
        self.apply.set_value(Some(apply));
        provide_context(self.player);
        self.write_hash();
        let listener = window_event_listener(ev::hashchange, move |_| {
            let Some(hash) = self.hash.changed() else {
                return;
            };
            if Link::parse(&hash).env != env {
                return;
            }
            let (settings, problems) = S::Settings::from_hash(&hash);
            self.notices.set(link_notice(&problems));
            apply.run(settings);
        });
        use_shortcuts(self.player, self);
        on_cleanup(move || {
            listener.remove();
            self.player.playing.set(false);
        });
    }

    /// Applies the settings on screen changed by `f` (as the page applies settings).
    pub fn update(&self, f: impl FnOnce(&mut S::Settings)) {
        let mut settings = self.settings();
        f(&mut settings);
        if let Some(apply) = self.apply.get_value() {
            apply.run(settings);
        }
    }

    /// The export every run has: the episode's trajectory file, as `ztgym run` writes it.
    pub fn trajectory_export(self) -> Export {
        self.export("Export trajectory", ".jsonl", |s| {
            s.run_ref().trajectory_file()
        })
    }

    /// Replays a trajectory file's `text` in place of the episode on screen, every step
    /// verified; the replay shows the first step that differs, or the end. On an error
    /// (naming the line and field) nothing changed. Gives the verdict in one line.
    pub fn replay_file(self, text: &str) -> Result<String, String> {
        let replayed = self.peek(|s| s.run_ref().replay_file(text))?;
        let summary = replayed.verdict().summary();
        let first = replayed.verdict().first_mismatch();
        let steps = replayed.verdict().steps;
        self.run_started_at.set_value(None);
        self.change(|s| {
            // The link's seed follows; then the replayed episode takes the fresh one's place.
            s.set_seed(replayed.seed());
            s.run_mut().show_replayed(replayed);
        });
        self.player.playing.set(false);
        // Showing step t is the replay after t + 1 steps; the last is the episode's end.
        self.player
            .replay
            .set(first.map(|t| t + 1).filter(|&k| k < steps));
        self.write_hash();
        Ok(summary)
    }

    /// An export of a text the session makes (`label` on the button, `ending` after the
    /// run's stem in the file name).
    pub fn export(
        self,
        label: &'static str,
        ending: &'static str,
        text: fn(&S) -> String,
    ) -> Export {
        Export::new(label, ending, move || self.peek(text))
    }

    /// The link's hash: what it was last, and what changes it.
    pub fn hash(&self) -> UrlHash {
        self.hash
    }
}

impl<S: LinkedSession> Playable for PageState<S> {
    const DECIDERS: &'static Agents = S::Settings::DECIDERS;

    fn automated(&self) -> bool {
        self.peek(|s| s.run_ref().automated())
    }

    fn done(&self) -> bool {
        self.peek(|s| s.run_ref().done())
    }

    fn seed(&self) -> u64 {
        self.peek(|s| s.run_ref().seed())
    }

    fn set_seed(&self, seed: u64) {
        self.run_started_at.set_value(None);
        self.change(|s| s.set_seed(seed));
    }

    fn restart(&self) {
        self.run_started_at.set_value(None);
        self.change(|s| s.restart());
    }

    fn run(&self, max_steps: usize, keep_going: bool) -> usize {
        // Without a redraw: the player redraws once per frame.
        let seed = self.seed();
        let mut steps = 0;
        self.session
            .update_value(|s| steps = s.play(max_steps, keep_going));
        if self.seed() != seed && self.run_started_at.get_value().is_none() {
            self.run_started_at.set_value(Some(seed));
        }
        steps
    }

    fn redraw(&self) {
        self.version.update(|v| *v += 1);
    }

    fn share_hash(&self) -> String {
        self.version.track();
        self.player.speed.track();
        self.link_settings().to_hash()
    }

    fn write_hash(&self) {
        PageState::write_hash(self);
    }
}
