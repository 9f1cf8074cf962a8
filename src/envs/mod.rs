//! The environments the page holds. Each has a folder here with its session and its views,
//! and one entry in [`ENVIRONMENTS`]; the shell, the player and the learning panels serve
//! every one of them as they are.

pub mod harden;
pub mod sre;
pub mod triage;

use leptos::prelude::*;

/// One environment's tab.
pub struct Environment {
    /// Its id in links (`env=sre`), storage keys and the training worker's messages.
    pub id: &'static str,
    /// The tab's label.
    pub name: &'static str,
    /// Mounts its page; `None` while it is not built yet (its tab says "coming soon").
    pub page: Option<fn() -> AnyView>,
}

/// The environments, in the order of their tabs.
pub static ENVIRONMENTS: [Environment; 3] = [
    Environment {
        id: sre::ENV,
        name: "SRE gym",
        page: Some(sre::page),
    },
    Environment {
        id: harden::ENV,
        name: "Hardening",
        page: Some(harden::page),
    },
    Environment {
        id: triage::ENV,
        name: "Triage",
        page: Some(triage::page),
    },
];

/// The environment a link without `env=` opens: every link written before there were
/// environments is the SRE gym's.
pub const DEFAULT_ENV: &str = sre::ENV;

/// The environment with this id.
pub fn find(id: &str) -> Option<&'static Environment> {
    ENVIRONMENTS.iter().find(|e| e.id == id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_is_built_and_ids_are_unique() {
        assert!(find(DEFAULT_ENV).is_some_and(|e| e.page.is_some()));
        for (k, env) in ENVIRONMENTS.iter().enumerate() {
            assert!(
                ENVIRONMENTS[..k].iter().all(|e| e.id != env.id),
                "{}",
                env.id
            );
        }
    }
}
