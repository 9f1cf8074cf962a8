//! The hardening loop's learners as the learning panels and the training worker reach them.
//! A scenario is played by the adapter of its action set (seed 001's seven actions, or those
//! and a use case's own: [`for_scenario`], as the CLI picks it); `with_set!` is the one place
//! that turns an action set into its type.

use super::id::ENV;
use crate::learning::adapters::PageAdapter;
use crate::learning::training::trainers::{start_on, Trains};
use ztgym::harden::adapter::{for_scenario, ActionSetOf, HardenAdapterOf, Kinds};
use ztgym::harden::Scenario;

/// Evaluates `$body` with `$K` the action set type of `$set` (a type alias in each arm); the
/// set's adapter is `HardenAdapterOf<$K>`.
macro_rules! with_set {
    ($set:expr, $K:ident => $body:expr) => {{
        use ztgym::harden::adapter as ha;
        match $set {
            ha::ActionSetOf::Seed => {
                type $K = ha::Seed;
                $body
            }
            ha::ActionSetOf::Pods => {
                type $K = ha::Pods;
                $body
            }
            ha::ActionSetOf::Waf => {
                type $K = ha::Waf;
                $body
            }
            ha::ActionSetOf::Pipelines => {
                type $K = ha::Pipelines;
                $body
            }
            ha::ActionSetOf::Tenants => {
                type $K = ha::Tenants;
                $body
            }
            ha::ActionSetOf::Controls => {
                type $K = ha::Controls;
                $body
            }
        }
    }};
}
pub(crate) use with_set;

/// The hardening loop: a built-in scenario by name, played by the adapter of its action set.
/// Each of the six adapters takes only the scenarios of its own action set, so a policy of one
/// set is never read as another's.
impl<K: Kinds + Send + Sync + 'static> PageAdapter for HardenAdapterOf<K> {
    const ENV: &'static str = ENV;

    fn builtin(name: &str) -> Result<Scenario, String> {
        let scenario = builtin(name)?;
        let set = for_scenario(&scenario);
        if actions(set) != K::ACTIONS {
            return Err(format!(
                "scenario {name:?} plays the {set:?} actions ({}), not these ({})",
                actions(set).join(", "),
                K::ACTIONS.join(", ")
            ));
        }
        Ok(scenario)
    }
}

/// A built-in hardening scenario by name (never a path: names come from files and messages).
pub fn builtin(name: &str) -> Result<Scenario, String> {
    let names: Vec<&str> = Scenario::builtin_names().collect();
    if !names.contains(&name) {
        return Err(format!(
            "scenario {:?} is not one of {}",
            ztgym::core::text::shorten(name, 60),
            names.join(", ")
        ));
    }
    Scenario::load(name).map_err(|e| e.to_string())
}

/// The abstract actions of a hardening action set.
pub fn actions(set: ActionSetOf) -> &'static [&'static str] {
    with_set!(set, K => K::ACTIONS)
}

/// How the training worker trains the hardening loop: with the adapter of the scenario's
/// action set, as `ztgym train --env harden` picks it.
pub const TRAINS: Trains = Trains {
    env: ENV,
    start: |scenario, config| {
        let set = builtin(scenario)
            .map(|s| for_scenario(&s))
            .map_err(|e| format!("{ENV} environment: {e}"))?;
        with_set!(set, K => start_on::<HardenAdapterOf<K>>(scenario, config))
    },
};

#[cfg(test)]
mod tests {
    use super::*;
    use ztgym::harden::adapter::{HardenAdapter, PodAdapter};

    #[test]
    fn a_hardening_scenario_is_found_only_by_its_own_action_sets_adapter() {
        for name in Scenario::builtin_names() {
            let scenario = builtin(name).unwrap();
            let set = for_scenario(&scenario);
            let seed = HardenAdapter::builtin(name);
            assert_eq!(seed.is_ok(), set == ActionSetOf::Seed, "{name}");
            assert_eq!(PodAdapter::builtin(name).is_ok(), set == ActionSetOf::Pods);
        }
        let e = HardenAdapter::builtin("../etc").unwrap_err();
        assert!(e.contains("\"../etc\"") && e.contains("seed001"), "{e}");
        assert_eq!(actions(ActionSetOf::Seed).len(), 7);
    }
}
