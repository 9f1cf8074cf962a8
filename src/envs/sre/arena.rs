//! The SRE gym in the arena: a built-in scenario by name at its default level, with the built-in
//! gate, its built-in agents and policy files (as `ztgym eval` plays them without options).

use super::id::ENV;
use crate::arena::job::{ArenaJobOf, Arenas};
use ztgym::agents::builtin_agent;
use ztgym::core::policy::{Policy, PolicyAgent};
use ztgym::learn::Executor;
use ztgym::{Env, Scenario};

/// How the arena worker plays the SRE gym.
pub const ARENA: Arenas = Arenas {
    env: ENV,
    start: |request| {
        let scenario = Scenario::builtin(&request.scenario).map_err(|e| e.to_string())?;
        ArenaJobOf::start(
            Env::new(scenario.clone()),
            request,
            |name| builtin_agent(name, &scenario),
            |label, text| {
                let policy = Policy::<Executor>::parse(label, text, Some(scenario.name()))
                    .map_err(|e| e.to_string())?;
                Ok(Box::new(PolicyAgent::new(&policy, &scenario)?))
            },
        )
    },
};
