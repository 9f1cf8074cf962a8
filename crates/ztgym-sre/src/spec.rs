//! The SRE gym (seed 000) described once, for the facade's table, the CLI and the server.

use crate::commands::{self, RegoGateLoader};
use crate::{Env, Scenario};
use std::path::Path;
use ztgym_core::command::pairs::PairsRequest;
use ztgym_core::command::{Args, Options, Reply};
use ztgym_core::fileio::{read_text, Kind};
use ztgym_core::spec::{EnvInfo, EnvSpec, JsonEnv, JsonOf, Loaded, ScenarioFiles};

/// The SRE gym's spec.
#[derive(Debug)]
pub struct SreSpec {
    /// How `--gate FILE.rego` is read; `None`: this build has no Rego engine.
    pub rego_gate: Option<RegoGateLoader>,
}

/// The SRE gym's spec; `--gate FILE.rego` with the `rego` feature.
pub const SPEC: SreSpec = SreSpec {
    rego_gate: REGO_GATE,
};

#[cfg(feature = "rego")]
const REGO_GATE: Option<RegoGateLoader> = Some(crate::rego_gate::load);
#[cfg(not(feature = "rego"))]
const REGO_GATE: Option<RegoGateLoader> = None;

const INFO: EnvInfo = EnvInfo {
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

    fn agents(&self) -> &'static [&'static str] {
        &crate::agents::AGENTS
    }

    fn learners(&self) -> &'static [&'static str] {
        &ztgym_core::learn::Kind::NAMES
    }

    fn policy_env(&self) -> Option<&'static str> {
        Some(crate::policy::ENV)
    }

    fn options(&self, command: &str) -> Option<Options> {
        commands::options(command)
    }

    fn is_scenario_file(&self, value: &str) -> bool {
        commands::is_scenario_file(value)
    }

    fn command(&self, command: &str, args: &Args) -> Result<Reply, String> {
        commands::answer(command, args, self.rego_gate)
    }

    fn pairs(&self, request: &PairsRequest) -> Result<Reply, String> {
        commands::pairs(request)
    }

    #[cfg(feature = "schema")]
    fn schemas(&self) -> Result<ztgym_core::spec::Schemas, String> {
        Ok(ztgym_core::spec::schemas_of::<Env>())
    }
}
