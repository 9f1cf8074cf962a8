//! An arena a link opened the page with, or was changed to, waiting for the Arena panel of its
//! environment. The app notes every link before the environment's page rewrites the address
//! bar (which keeps only the run's own fields); the panel takes the arena when it mounts or
//! when a new one is noted.

use super::link::AGENTS_FIELD;
use crate::shell::url_hash::Link;
use leptos::prelude::*;

/// The environment an arena link is for, and the link's fields.
pub type Noted = (&'static str, Vec<(String, String)>);

/// The arena waiting for its panel, in context.
#[derive(Clone, Copy)]
pub struct PendingArena(RwSignal<Option<Noted>>);

impl PendingArena {
    /// A slot for the page's arenas, in context.
    pub fn provide() -> PendingArena {
        let pending = PendingArena(RwSignal::new(None));
        provide_context(pending);
        pending
    }

    /// Notes `hash` if it carries an arena.
    pub fn note(&self, hash: &str) {
        let link = Link::parse(hash);
        if link.fields.iter().any(|(k, _)| k == AGENTS_FIELD) {
            self.0.set(Some((link.env, link.fields)));
        }
    }

    /// The arena noted for environment `env`, taken (tracked: called from an effect, it runs
    /// again when another is noted).
    pub fn take_for(&self, env: &str) -> Option<Vec<(String, String)>> {
        let mine = self.0.with(|n| n.as_ref().is_some_and(|(e, _)| *e == env));
        if !mine {
            return None;
        }
        let mut taken = None;
        self.0.update_untracked(|n| taken = n.take());
        taken.map(|(_, fields)| fields)
    }
}
