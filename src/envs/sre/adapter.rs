//! The SRE gym's learners as the learning panels and the training worker reach them: its
//! adapter ([`ztgym::learn::Executor`]) finds a built-in scenario by name, and the worker
//! trains it on one.

use super::id::ENV;
use crate::learning::adapters::PageAdapter;
use crate::learning::policy_store::{LoadedPolicyOf, TabPolicyOf};
use crate::learning::training::trainers::{start_on, Trains};

/// A loaded SRE gym policy, and the tab's.
pub type LoadedPolicy = LoadedPolicyOf<ztgym::learn::Executor>;
pub type TabPolicy = TabPolicyOf<ztgym::learn::Executor>;

/// The SRE gym: its built-in scenarios (`classic`, `enterprise`, ...).
impl PageAdapter for ztgym::learn::Executor {
    const ENV: &'static str = ENV;

    fn builtin(name: &str) -> Result<ztgym::Scenario, String> {
        ztgym::Scenario::builtin(name).map_err(|e| e.to_string())
    }
}

/// How the training worker trains the SRE gym.
pub const TRAINS: Trains = Trains {
    env: ENV,
    start: start_on::<ztgym::learn::Executor>,
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scenarios_are_found_by_name_and_unknown_ones_named() {
        assert!(ztgym::learn::Executor::builtin("classic").is_ok());
        let e = ztgym::learn::Executor::builtin("mars").unwrap_err();
        assert!(e.contains("mars"), "{e}");
    }
}
