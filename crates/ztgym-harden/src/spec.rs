//! The hardening loop (seed 001) described once, for the facade's table, the CLI and the
//! server.

#[cfg(feature = "commands")]
use crate::commands;
use crate::{HardenEnv, Scenario};
use std::path::Path;
#[cfg(feature = "commands")]
use ztgym_core::command::{Args, Options, Reply};
use ztgym_core::learn::numeric::NumericEnv;
use ztgym_core::spec::{EnvInfo, EnvSpec, JsonEnv, JsonOf, Loaded, NumericRequest, ScenarioFiles};

/// The hardening loop's spec.
#[derive(Debug)]
pub struct HardenSpec;

/// The hardening loop's spec.
pub const SPEC: HardenSpec = HardenSpec;

/// Who the environment is: its id, name, seed and summary (the spec's [`EnvSpec::info`]).
pub const INFO: EnvInfo = EnvInfo {
    id: "harden",
    name: "Hardening loop",
    seed: "001",
    summary: "propose hardening changes from telemetry; a Rego policy gate and a digital twin's \
              breakage forecast decide what runs; breakage that happens costs",
};

fn json_env(scenario: Scenario) -> Result<Box<dyn JsonEnv>, String> {
    let env = HardenEnv::new(scenario).map_err(|e| e.to_string())?;
    Ok(JsonOf::boxed(INFO.id, env))
}

impl EnvSpec for HardenSpec {
    fn info(&self) -> &'static EnvInfo {
        &INFO
    }

    fn scenarios(&self) -> Vec<&'static str> {
        Scenario::builtin_names().collect()
    }

    fn default_scenario(&self) -> &'static str {
        "seed001"
    }

    fn make_builtin(&self, name: &'static str) -> Result<Box<dyn JsonEnv>, String> {
        // `Scenario::load` also opens folders: only a built-in name reaches it here (the
        // caller checked it against `scenarios`).
        json_env(Scenario::load(name).map_err(|e| e.to_string())?)
    }

    fn scenario_files(&self) -> Option<ScenarioFiles> {
        Some(ScenarioFiles {
            folders: true,
            suffix: "",
            layout: "NAME/",
            refusal: "not a harden scenario folder",
        })
    }

    fn load_scenario(&self, path: &Path, _shown: &str) -> Result<Loaded, String> {
        let s = Scenario::load(&path.display().to_string()).map_err(|e| e.to_string())?;
        let name = s.name.clone();
        Ok(Loaded::new(INFO.id, name, move || json_env(s.clone())))
    }

    fn numeric(&self, request: &NumericRequest) -> Result<Box<dyn NumericEnv>, String> {
        crate::numeric::make(INFO.id, request)
    }

    fn agents(&self) -> &'static [&'static str] {
        &crate::agents::NAMES
    }

    fn learners(&self) -> &'static [&'static str] {
        &ztgym_core::learn::Kind::NAMES
    }

    fn policy_env(&self) -> Option<&'static str> {
        Some(<crate::adapter::HardenAdapter as ztgym_core::learn::Adapter>::POLICY_ENV)
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

    #[cfg(feature = "schema")]
    fn schemas(&self) -> Result<ztgym_core::spec::Schemas, String> {
        Ok(ztgym_core::spec::schemas_of::<HardenEnv>())
    }
}
