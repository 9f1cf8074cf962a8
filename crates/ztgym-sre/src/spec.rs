//! The SRE gym (seed 000) described once, for the facade's table, the CLI and the server.

#[cfg(feature = "commands")]
use crate::commands;
use crate::{Env, Scenario};
use std::path::Path;
#[cfg(feature = "commands")]
use ztgym_core::command::pairs::PairsRequest;
#[cfg(feature = "commands")]
use ztgym_core::command::{Args, Options, Reply};
use ztgym_core::fileio::{read_text, Kind};
use ztgym_core::learn::numeric::NumericEnv;
use ztgym_core::spec::{EnvInfo, EnvSpec, JsonEnv, JsonOf, Loaded, NumericRequest, ScenarioFiles};

/// The SRE gym's spec.
#[derive(Debug)]
pub struct SreSpec;

/// The SRE gym's spec.
pub const SPEC: SreSpec = SreSpec;

/// Who the environment is: its id, name, seed and summary (the spec's [`EnvSpec::info`]).
pub const INFO: EnvInfo = EnvInfo {
    id: "sre",
    name: "Zero Trust SRE Gym",
    seed: "000",
    summary: "investigate alerts on a service graph, file change tickets, wait for approval \
              by role, isolate or patch; acting without an approved ticket costs",
};

fn json_env(scenario: Scenario) -> Box<dyn JsonEnv> {
    JsonOf::boxed(INFO.id, Env::new(scenario))
}

impl EnvSpec for SreSpec {
    fn info(&self) -> &'static EnvInfo {
        &INFO
    }

    fn scenarios(&self) -> Vec<&'static str> {
        Scenario::builtin_names().collect()
    }

    fn default_scenario(&self) -> &'static str {
        "classic"
    }

    fn make_builtin(&self, name: &'static str) -> Result<Box<dyn JsonEnv>, String> {
        Scenario::builtin(name)
            .map(json_env)
            .map_err(|e| e.to_string())
    }

    fn scenario_files(&self) -> Option<ScenarioFiles> {
        Some(ScenarioFiles {
            folders: false,
            suffix: ".toml",
            layout: "NAME.toml",
            refusal: "not an SRE scenario file (NAME.toml)",
        })
    }

    fn load_scenario(&self, path: &Path, shown: &str) -> Result<Loaded, String> {
        let text = read_text(path, Kind::Scenario).map_err(|e| e.to_string())?;
        let s = Scenario::parse(shown, &text).map_err(|e| e.to_string())?;
        let name = s.name().to_string();
        Ok(Loaded::new(INFO.id, name, move || Ok(json_env(s.clone()))))
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
        Some(crate::policy::ENV)
    }

    #[cfg(feature = "commands")]
    fn options(&self, command: &str) -> Option<Options> {
        commands::options(command)
    }

    #[cfg(feature = "commands")]
    fn is_scenario_file(&self, value: &str) -> bool {
        commands::is_scenario_file(value)
    }

    #[cfg(feature = "commands")]
    fn command(&self, command: &str, args: &Args) -> Result<Reply, String> {
        commands::answer(command, args, commands::REGO_GATE)
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
