//! A page's session as the player drives it: its [`Run`], and the settings its link carries.
//! The rest of a session is the environment's own.

use super::link_settings::LinkSettings;
use super::run::{Run, Scored};

/// A page's session: its run, and the settings its link carries. The player drives it through
/// these; the rest of the session is the environment's own.
pub trait PageSession: 'static {
    type Env: Scored;

    fn run_ref(&self) -> &Run<Self::Env>;
    fn run_mut(&mut self) -> &mut Run<Self::Env>;
    /// Starts the episode of `seed` (the settings the link carries follow).
    fn set_seed(&mut self, seed: u64);

    /// Starts the same episode again.
    fn restart(&mut self) {
        self.run_mut().restart();
    }

    /// Plays up to `max_steps` agent steps; with `keep_going`, a finished episode is followed
    /// by the next seed's. Returns the steps taken.
    fn play(&mut self, max_steps: usize, keep_going: bool) -> usize {
        let mut taken = 0;
        while taken < max_steps {
            if self.run_ref().done() {
                if !keep_going {
                    break;
                }
                let next = self.run_ref().seed().wrapping_add(1);
                self.set_seed(next);
            }
            if !self.run_mut().agent_step() {
                break;
            }
            taken += 1;
        }
        taken
    }
}

/// Implements [`PageSession`], [`LinkedSession`] and `Deref` to its run
/// for a session type with fields `run` (a [`Run`] of `$env`) and `settings` (`$settings`,
/// whose `seed` follows the run's).
#[macro_export]
macro_rules! page_session {
    ($session:ty, $env:ty, $settings:ty) => {
        impl $crate::play::page_session::PageSession for $session {
            type Env = $env;

            fn run_ref(&self) -> &$crate::play::run::Run<$env> {
                &self.run
            }

            fn run_mut(&mut self) -> &mut $crate::play::run::Run<$env> {
                &mut self.run
            }

            fn set_seed(&mut self, seed: u64) {
                self.settings.seed = seed;
                self.run.set_seed(seed);
            }
        }

        /// The session reads as its run: observation, info, log, stats, done, agent step.
        impl ::std::ops::Deref for $session {
            type Target = $crate::play::run::Run<$env>;

            fn deref(&self) -> &$crate::play::run::Run<$env> {
                &self.run
            }
        }

        impl ::std::ops::DerefMut for $session {
            fn deref_mut(&mut self) -> &mut $crate::play::run::Run<$env> {
                &mut self.run
            }
        }

        impl $crate::play::page_session::LinkedSession for $session {
            type Settings = $settings;

            fn settings(&self) -> &$settings {
                &self.settings
            }
        }
    };
}

/// A page's session with the settings its link carries.
pub trait LinkedSession: PageSession {
    type Settings: LinkSettings;

    /// The settings of the run (the seed is the current episode's).
    fn settings(&self) -> &Self::Settings;
}
