//! Message triage (seed 003) described once, for the facade's table, the CLI and the server.

#[cfg(feature = "commands")]
use crate::commands;
use crate::{Env, TaskId};
#[cfg(feature = "commands")]
use ztgym_core::command::pairs::PairsRequest;
#[cfg(feature = "commands")]
use ztgym_core::command::{Args, Options, Reply};
use ztgym_core::learn::numeric::NumericEnv;
use ztgym_core::spec::{EnvInfo, EnvSpec, JsonEnv, JsonOf, NumericRequest};

/// Message triage's spec.
#[derive(Debug)]
pub struct TriageSpec;

/// Message triage's spec.
pub const SPEC: TriageSpec = TriageSpec;

/// Who the environment is: its id, name, seed and summary (the spec's [`EnvSpec::info`]).
pub const INFO: EnvInfo = EnvInfo {
    id: "triage",
    name: "Message triage",
    seed: "003",
    summary: "screen SMS, email and web messages: allow, block, warn or investigate with a \
              confidence and a reasoning, keeping the user's trust; blocking a legitimate \
              message costs",
};

impl EnvSpec for TriageSpec {
    fn info(&self) -> &'static EnvInfo {
        &INFO
    }

    fn scenarios(&self) -> Vec<&'static str> {
        TaskId::ALL.iter().map(|t| t.as_str()).collect()
    }

    fn default_scenario(&self) -> &'static str {
        TaskId::L1.as_str()
    }

    /// A task by id in any case (`l2`) or by its seed name (`trust_management`).
    fn builtin_scenario(&self, name: &str) -> Option<&'static str> {
        TaskId::parse(name).ok().map(TaskId::as_str)
    }

    fn make_builtin(&self, name: &'static str) -> Result<Box<dyn JsonEnv>, String> {
        Ok(JsonOf::boxed(INFO.id, Env::new(TaskId::parse(name)?)))
    }

    fn numeric(&self, request: &NumericRequest) -> Result<Box<dyn NumericEnv>, String> {
        crate::numeric::make(INFO.id, request)
    }

    fn agents(&self) -> &'static [&'static str] {
        &crate::agents::AGENTS
    }

    fn learners(&self) -> &'static [&'static str] {
        &ztgym_core::learn::Kind::NAMES
    }

    fn policy_env(&self) -> Option<&'static str> {
        Some(<crate::Triage as ztgym_core::learn::Adapter>::POLICY_ENV)
    }

    #[cfg(feature = "commands")]
    fn options(&self, command: &str) -> Option<Options> {
        commands::options(command)
    }

    #[cfg(feature = "commands")]
    fn command(&self, command: &str, args: &Args) -> Result<Reply, String> {
        match command {
            // The built-in list, from this spec (commands.rs runs episodes, never the table).
            "scenarios" => Ok(ztgym_core::spec::list_scenarios(self)),
            _ => commands::answer(command, args),
        }
    }

    #[cfg(feature = "commands")]
    fn pairs(&self, request: &PairsRequest) -> Result<Reply, String> {
        commands::pairs(request)
    }

    #[cfg(feature = "schema")]
    fn schemas(&self) -> Result<ztgym_core::spec::Schemas, String> {
        Ok(ztgym_core::spec::schemas_of::<Env>())
    }
}
