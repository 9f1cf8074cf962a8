//! Message triage in the arena: a task by name, its built-in agents and policy files, and its
//! grader's score beside the return (as `ztgym eval --env triage` reports it).

use super::id::ENV;
use crate::arena::job::{ArenaJobOf, Arenas};
use ztgym::core::policy::{Policy, PolicyAgent};
use ztgym::triage::{builtin_agent, Env, TaskId, Triage};

/// How the arena worker plays message triage.
pub const ARENA: Arenas = Arenas {
    env: ENV,
    start: |request| {
        let task = TaskId::parse(&request.scenario)?;
        ArenaJobOf::start(Env::new(task), request, builtin_agent, |label, text| {
            let policy = Policy::<Triage>::parse(label, text, Some(task.as_str()))
                .map_err(|e| e.to_string())?;
            Ok(Box::new(PolicyAgent::new(&policy, &task)?))
        })
    },
};
