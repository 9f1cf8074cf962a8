//! The environments the learning panels and the training worker serve, each through its
//! learners' adapter (the core's [`Adapter`]): its id on the page, and how a built-in scenario
//! (a triage task) is found by the name a policy file or a worker message carries.

use ztgym::core::learn::Adapter;
use ztgym::harden::adapter::{for_scenario, ActionSetOf, HardenAdapterOf, Kinds};

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

/// Evaluates `$body` with `$A` the hardening adapter of action set `$set` (a type alias in
/// each arm), the way the CLI dispatches per scenario.
macro_rules! with_harden_adapter {
    ($set:expr, $A:ident => $body:expr) => {{
        use ztgym::harden::adapter as ha;
        match $set {
            ha::ActionSetOf::Seed => {
                type $A = ha::HardenAdapter;
                $body
            }
            ha::ActionSetOf::Pods => {
                type $A = ha::PodAdapter;
                $body
            }
            ha::ActionSetOf::Waf => {
                type $A = ha::WafAdapter;
                $body
            }
            ha::ActionSetOf::Pipelines => {
                type $A = ha::PipelineAdapter;
                $body
            }
            ha::ActionSetOf::Tenants => {
                type $A = ha::TenantAdapter;
                $body
            }
            ha::ActionSetOf::Controls => {
                type $A = ha::ControlAdapter;
                $body
            }
        }
    }};
}
pub(crate) use with_harden_adapter;

/// The hardening loop: a built-in scenario by name, played by the adapter of its action set
/// (`ztgym::harden::adapter::for_scenario`, as the CLI picks it). Each of the six adapters
/// takes only the scenarios of its own action set, so a policy of one set is never read as
/// another's.
impl<K: Kinds + Send + Sync + 'static> PageAdapter for HardenAdapterOf<K> {
    const ENV: &'static str = crate::envs::harden::ENV;

    fn builtin(name: &str) -> Result<ztgym::harden::Scenario, String> {
        let scenario = harden_builtin(name)?;
        let set = for_scenario(&scenario);
        if harden_actions(set) != K::ACTIONS {
            return Err(format!(
                "scenario {name:?} plays the {set:?} actions ({}), not these ({})",
                harden_actions(set).join(", "),
                K::ACTIONS.join(", ")
            ));
        }
        Ok(scenario)
    }
}

/// A built-in hardening scenario by name (never a path: names come from files and messages).
pub fn harden_builtin(name: &str) -> Result<ztgym::harden::Scenario, String> {
    let names: Vec<&str> = ztgym::harden::Scenario::builtin_names().collect();
    if !names.contains(&name) {
        return Err(format!(
            "scenario {:?} is not one of {}",
            ztgym::core::text::shorten(name, 60),
            names.join(", ")
        ));
    }
    ztgym::harden::Scenario::load(name).map_err(|e| e.to_string())
}

/// The abstract actions of a hardening action set.
pub fn harden_actions(set: ActionSetOf) -> &'static [&'static str] {
    with_harden_adapter!(set, A => <A as Adapter>::ACTIONS)
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

    #[test]
    fn a_hardening_scenario_is_found_only_by_its_own_action_sets_adapter() {
        use ztgym::harden::adapter::{HardenAdapter, PodAdapter};
        for name in ztgym::harden::Scenario::builtin_names() {
            let scenario = harden_builtin(name).unwrap();
            let set = for_scenario(&scenario);
            let seed = HardenAdapter::builtin(name);
            assert_eq!(seed.is_ok(), set == ActionSetOf::Seed, "{name}");
            assert_eq!(PodAdapter::builtin(name).is_ok(), set == ActionSetOf::Pods);
        }
        let e = HardenAdapter::builtin("../etc").unwrap_err();
        assert!(e.contains("\"../etc\"") && e.contains("seed001"), "{e}");
        assert_eq!(harden_actions(ActionSetOf::Seed).len(), 7);
    }
}
