//! Whether this is a person's first visit: nothing in local storage saying they have been here,
//! and a link with no parameters (the bare address). Only then does the page play its demo by
//! itself.
//!
//! The hook for tests and links: any hash parameter (`#v=1&…`), or the key [`VISITED_KEY`] (or
//! the intro's "dismissed" key of earlier visits) in local storage, means "not a first visit".
//! `#v=1&lesson=demo` asks for the demo on any visit.

use super::storage::{Local, Store};

/// Set on every visit; its presence means the person has been here.
pub const VISITED_KEY: &str = "ztgym.visited";

/// Kept by the first-visit intro of earlier pages once closed: a visitor too.
const INTRO_DISMISSED_KEY: &str = "ztgym.intro.dismissed";

/// Whether `hash` (the page's address after `#`, as opened) and `store` say first visit.
pub fn is_first_visit(hash: &str, store: &impl Store) -> bool {
    hash.trim_start_matches('#').trim().is_empty()
        && store.text(VISITED_KEY).is_none()
        && store.text(INTRO_DISMISSED_KEY).is_none()
}

/// Whether this is a first visit (see [`is_first_visit`]); remembers the visit either way.
/// Without local storage nothing can be remembered, so nobody is shown the demo twice in a
/// row by mistake: no storage, no demo.
pub fn take_first_visit(hash: &str) -> bool {
    let Some(mut store) = Local::open() else {
        return false;
    };
    let first = is_first_visit(hash, &store);
    store.set(VISITED_KEY, &true);
    first
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::shell::storage::Memory;

    #[test]
    fn only_a_bare_address_in_a_fresh_browser_is_a_first_visit() {
        let mut store = Memory::default();
        assert!(is_first_visit("", &store));
        assert!(is_first_visit("#", &store));
        assert!(!is_first_visit("#v=1&seed=3", &store), "a link");
        assert!(!is_first_visit("#v=1&lesson=demo", &store), "a lesson link");
        store.set(VISITED_KEY, &true);
        assert!(!is_first_visit("", &store), "been here");
        let mut store = Memory::default();
        store.set(INTRO_DISMISSED_KEY, &true);
        assert!(
            !is_first_visit("", &store),
            "closed the intro of an earlier page"
        );
    }
}
