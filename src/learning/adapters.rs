//! What the learning panels and the training worker need of an environment's learners'
//! adapter (the core's [`Adapter`]): its id on the page, and how a built-in scenario (a triage
//! task) is found by the name a policy file or a worker message carries. Each environment's
//! folder implements it (`src/envs/<id>/adapter.rs`).

use ztgym::core::learn::Adapter;

/// An environment's learners' adapter as the page knows it.
pub trait PageAdapter: Adapter + 'static {
    /// The environment's id on the page: the tab's link, its storage keys, its worker messages.
    const ENV: &'static str;

    /// The built-in scenario (or task) named; the error says which there are.
    fn builtin(name: &str) -> Result<Self::Scenario, String>;
}
