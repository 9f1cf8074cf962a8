//! The environments the page holds: one folder each, with the same file names for the same jobs
//! (page, desk, session, settings, controls, hud, picture, adapter), and one line each in
//! `each_env!`. The shell, the player, the training worker and the learning panels never name
//! an environment: the app hands them [`TABS`], the worker's entry point [`trains`], and each
//! page hands the generic panels its own state.

pub mod course;
pub mod harden;
pub mod sre;
pub mod triage;

pub use course::COURSE;

use crate::arena::job::Arenas;
use crate::learning::training::trainers::Trains;
use crate::shell::env_tabs::EnvTab;

/// Calls `$then!` with every environment's folder, in the order of their tabs: the one list of
/// the page's environments.
macro_rules! each_env {
    ($then:ident) => {
        $then!(sre, harden, triage,)
    };
}

macro_rules! tabs {
    ($($env:ident,)*) => { &[$($env::TAB),*] };
}

macro_rules! trains {
    ($($env:ident,)*) => { vec![$($env::adapter::TRAINS),*] };
}

macro_rules! arenas {
    ($($env:ident,)*) => { vec![$($env::arena::ARENA),*] };
}

/// Every environment's tab, in order: what the shell shows and mounts.
pub static TABS: &[EnvTab] = each_env!(tabs);

/// How the training worker trains every environment (kept apart from [`TABS`], so the page's
/// wasm does not carry the trainers, which only the worker's does).
pub fn trains() -> Vec<Trains> {
    each_env!(trains)
}

/// How the arena worker plays every environment (kept apart from [`TABS`] as [`trains`] is:
/// only the worker's wasm carries the environments' agents and policy readers for it).
pub fn arenas() -> Vec<Arenas> {
    each_env!(arenas)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::shell::page_text::PageText;
    use crate::shell::url_hash::DEFAULT_ENV;
    use ztgym::registry::INFOS;

    #[test]
    fn the_tabs_are_the_facades_environments_in_its_order() {
        let ids: Vec<&str> = TABS.iter().map(|t| t.id).collect();
        let facade: Vec<&str> = INFOS.iter().map(|e| e.id).collect();
        assert_eq!(ids, facade);
        let trained: Vec<&str> = trains().iter().map(|t| t.env).collect();
        assert_eq!(trained, facade);
        let ranked: Vec<&str> = arenas().iter().map(|a| a.env).collect();
        assert_eq!(ranked, facade);
        assert_eq!(DEFAULT_ENV, "sre");
    }

    macro_rules! words {
        ($($env:ident,)*) => {
            vec![$((stringify!($env), include_str!(concat!(stringify!($env), "/page.md")))),*]
        };
    }

    #[test]
    fn every_page_has_its_words() {
        for (env, text) in each_env!(words) {
            let words = PageText::parse(text).unwrap_or_else(|e| panic!("{env}: {e}"));
            assert!(words.intro.len() >= 3, "{env}: {words:?}");
            assert!(
                !words.keys.is_empty() && !words.rules.is_empty(),
                "{env}: {words:?}"
            );
        }
    }

    macro_rules! agent_selects {
        ($($env:ident,)*) => { vec![$(($env::ENV, $env::settings::DECIDERS.names())),*] };
    }

    #[test]
    fn every_agent_select_offers_its_environments_agents_in_order() {
        for (id, names) in each_env!(agent_selects) {
            let spec = ztgym::registry::spec(id).unwrap();
            assert_eq!(names, spec.agents(), "{id}");
        }
    }
}
