//! The hardening loop in the arena: a built-in scenario by name in the sandbox, its built-in
//! agents, and policy files read by the adapter of the scenario's action set (as
//! `ztgym eval --env harden` plays them without options).

use super::adapter::{builtin, with_set};
use super::id::ENV;
use crate::arena::job::{ArenaJobOf, Arenas};
use ztgym::core::policy::{Policy, PolicyAgent};
use ztgym::core::Agent;
use ztgym::harden::adapter::{for_scenario, HardenAdapterOf};
use ztgym::harden::{HardenEnv, Scenario};

/// How the arena worker plays the hardening loop.
pub const ARENA: Arenas = Arenas {
    env: ENV,
    start: |request| {
        let scenario = builtin(&request.scenario)?;
        let env = HardenEnv::new(scenario.clone()).map_err(|e| e.to_string())?;
        ArenaJobOf::start(
            env,
            request,
            ztgym::harden::agents::builtin,
            |label, text| policy_agent(&scenario, label, text),
        )
    },
};

fn policy_agent(
    scenario: &Scenario,
    label: &str,
    text: &str,
) -> Result<Box<dyn Agent<HardenEnv>>, String> {
    with_set!(for_scenario(scenario), K => {
        let policy = Policy::<HardenAdapterOf<K>>::parse(label, text, Some(&scenario.name))
            .map_err(|e| e.to_string())?;
        let agent: Box<dyn Agent<HardenEnv>> = Box::new(PolicyAgent::new(&policy, scenario)?);
        Ok(agent)
    })
}
