//! The environments the learning panels and the training worker serve, each through its
//! learners' adapter (the core's [`Adapter`]): its id on the page, and how a built-in scenario
//! (a triage task) is found by the name a policy file or a worker message carries.

use ztgym::core::learn::Adapter;

/// An environment's learners' adapter as the page knows it.
pub trait PageAdapter: Adapter + 'static {
    /// The environment's id on the page: the tab's link, its storage keys, its worker messages.
    const ENV: &'static str;

    /// The built-in scenario (or task) named; the error says which there are.
    fn builtin(name: &str) -> Result<Self::Scenario, String>;
}

/// The SRE gym: its built-in scenarios (`classic`, `enterprise`, ...).
impl PageAdapter for ztgym::learn::Executor {
    const ENV: &'static str = crate::envs::sre::ENV;

    fn builtin(name: &str) -> Result<ztgym::Scenario, String> {
        ztgym::Scenario::builtin(name).map_err(|e| e.to_string())
    }
}

/// Message triage: its tasks, by id or by the seed's name (`L1`, `basic_security`).
impl PageAdapter for ztgym::triage::Triage {
    const ENV: &'static str = crate::envs::triage::ENV;

    fn builtin(name: &str) -> Result<ztgym::triage::TaskId, String> {
        ztgym::triage::TaskId::parse(name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scenarios_are_found_by_name_and_unknown_ones_named() {
        assert!(ztgym::learn::Executor::builtin("classic").is_ok());
        let e = ztgym::learn::Executor::builtin("mars").unwrap_err();
        assert!(e.contains("mars"), "{e}");
        assert_eq!(
            ztgym::triage::Triage::builtin("basic_security"),
            Ok(ztgym::triage::TaskId::L1)
        );
        let e = ztgym::triage::Triage::builtin("classic").unwrap_err();
        assert!(e.contains("classic") && e.contains("L1"), "{e}");
    }
}
