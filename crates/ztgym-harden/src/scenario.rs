//! A hardening scenario: a folder holding `scenario.toml` (the twin, the starting telemetry,
//! the candidate actions' parameters, the drift, the environments' budgets) and the Rego policy
//! it names. The built-in ones are compiled in; others are read from a folder.

use crate::compliance::CONTROL_ACTIONS;
use crate::pipeline::PIPELINE_ACTIONS;
use crate::tenant::TENANT_ACTIONS;
use crate::twin::{Flow, Hints, Twin, POD_ACTIONS};
use crate::waf::WAF_ACTIONS;
use serde_json::{Map, Value};
use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use ztgym_rego::{Policy, RegoError};

pub(crate) mod file;

pub(crate) use file::File;
pub use file::{Drift, Event, Stage, ACTIONS, TELEMETRY_TYPES};

/// The built-in scenarios: name, `scenario.toml`, policy text (each a folder under
/// `scenarios/`).
const BUILTIN: [(&str, &str, &str); 10] = [
    (
        "seed001",
        include_str!("../scenarios/seed001/scenario.toml"),
        include_str!("../scenarios/seed001/policy.rego"),
    ),
    (
        "uc01-network-exposure",
        include_str!("../scenarios/uc01-network-exposure/scenario.toml"),
        include_str!("../scenarios/uc01-network-exposure/policy.rego"),
    ),
    (
        "uc02-pod-security",
        include_str!("../scenarios/uc02-pod-security/scenario.toml"),
        include_str!("../scenarios/uc02-pod-security/policy.rego"),
    ),
    (
        "uc03-iam-least-privilege",
        include_str!("../scenarios/uc03-iam-least-privilege/scenario.toml"),
        include_str!("../scenarios/uc03-iam-least-privilege/policy.rego"),
    ),
    (
        "uc04-waf-tuning",
        include_str!("../scenarios/uc04-waf-tuning/scenario.toml"),
        include_str!("../scenarios/uc04-waf-tuning/policy.rego"),
    ),
    (
        "uc05-incident-response",
        include_str!("../scenarios/uc05-incident-response/scenario.toml"),
        include_str!("../scenarios/uc05-incident-response/policy.rego"),
    ),
    (
        "uc06-compliance",
        include_str!("../scenarios/uc06-compliance/scenario.toml"),
        include_str!("../scenarios/uc06-compliance/policy.rego"),
    ),
    (
        "uc07-supply-chain",
        include_str!("../scenarios/uc07-supply-chain/scenario.toml"),
        include_str!("../scenarios/uc07-supply-chain/policy.rego"),
    ),
    (
        "uc08-risk-budget",
        include_str!("../scenarios/uc08-risk-budget/scenario.toml"),
        include_str!("../scenarios/uc08-risk-budget/policy.rego"),
    ),
    (
        "uc09-tenant-isolation",
        include_str!("../scenarios/uc09-tenant-isolation/scenario.toml"),
        include_str!("../scenarios/uc09-tenant-isolation/policy.rego"),
    ),
];

/// A loaded scenario.
#[derive(Clone, Debug)]
pub struct Scenario {
    pub name: String,
    pub description: String,
    pub max_cycles: u32,
    pub target_risk: f64,
    pub telemetry_window: u32,
    pub drift: Drift,
    pub environments: BTreeMap<String, Stage>,
    pub twin: Twin,
    pub telemetry: Vec<Event>,
    pub params: BTreeMap<String, Map<String, Value>>,
    pub flows: Arc<[Flow]>,
    pub breakage: BTreeMap<String, f64>,
    pub policy: Arc<Policy>,
    /// The files it was read from: its `scenario.toml` and its policy (none for a built-in
    /// one). A command's outputs may replace none of them.
    pub sources: Vec<PathBuf>,
}

/// Why a scenario did not load.
#[derive(Clone, Debug)]
pub enum ScenarioError {
    /// The file: where, and what.
    File(String),
    /// The policy.
    Policy(RegoError),
}

impl fmt::Display for ScenarioError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ScenarioError::File(m) => f.write_str(m),
            ScenarioError::Policy(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for ScenarioError {}

impl Scenario {
    /// The built-in scenarios' names.
    pub fn builtin_names() -> impl Iterator<Item = &'static str> {
        BUILTIN.iter().map(|b| b.0)
    }

    /// The policy text a built-in scenario ships with.
    pub fn builtin_policy(name: &str) -> Option<&'static str> {
        BUILTIN.iter().find(|b| b.0 == name).map(|b| b.2)
    }

    /// A built-in scenario by name, or a scenario folder (or its `scenario.toml`) by path.
    pub fn load(name_or_path: &str) -> Result<Scenario, ScenarioError> {
        if let Some((name, toml, rego)) = BUILTIN.iter().find(|b| b.0 == name_or_path) {
            return Scenario::parse(&format!("{name}/scenario.toml"), toml, |_| {
                Ok(rego.to_string())
            });
        }
        let path = Path::new(name_or_path);
        let (dir, file) = if path.is_dir() {
            (path.to_path_buf(), path.join("scenario.toml"))
        } else if path.is_file() {
            (
                path.parent().unwrap_or(Path::new(".")).to_path_buf(),
                path.to_path_buf(),
            )
        } else {
            let known: Vec<&str> = Scenario::builtin_names().collect();
            return Err(ScenarioError::File(format!(
                "scenario: {} is neither a built-in scenario ({}) nor a folder",
                ztgym_core::json::quote(name_or_path),
                known.join(", ")
            )));
        };
        let shown = file.display().to_string();
        let text = read_bounded(&file)?;
        let mut policy_files = Vec::new();
        let mut scenario = Scenario::parse_with(&shown, &text, |policy| {
            if policy.contains('/') || policy.contains('\\') || policy.starts_with('.') {
                return Err(ScenarioError::File(format!(
                    "{}: policy: {} must be a file or folder name in the scenario's folder",
                    ztgym_core::text::shorten(&shown, 200),
                    ztgym_core::json::quote(policy)
                )));
            }
            let path = dir.join(policy);
            if path.is_dir() {
                // A bundle: its modules and data; the package defining `allow` decides.
                let policy = crate::gate::bundle_policy(&path, None).map_err(|e| {
                    ScenarioError::File(format!("{}: {e}", ztgym_core::text::shorten(&shown, 200)))
                })?;
                policy_files.extend(
                    policy
                        .bundle()
                        .into_iter()
                        .flat_map(|b| b.modules())
                        .map(|m| PathBuf::from(&m.name)),
                );
                return Ok(policy);
            }
            policy_files.push(path.clone());
            let text = read_bounded(&path)?;
            Policy::load(policy, &text).map_err(ScenarioError::Policy)
        })?;
        scenario.sources = std::iter::once(file).chain(policy_files).collect();
        Ok(scenario)
    }

    /// Reads a scenario's text; `read_policy` gets the policy file's name.
    pub fn parse(
        shown: &str,
        text: &str,
        read_policy: impl FnOnce(&str) -> Result<String, ScenarioError>,
    ) -> Result<Scenario, ScenarioError> {
        Scenario::parse_with(shown, text, |name| {
            let text = read_policy(name)?;
            Policy::load(name, &text).map_err(ScenarioError::Policy)
        })
    }

    /// Reads a scenario's text; `load_policy` gets the name its `policy` field gives (a file,
    /// or a bundle directory) and loads it.
    fn parse_with(
        shown: &str,
        text: &str,
        load_policy: impl FnOnce(&str) -> Result<Policy, ScenarioError>,
    ) -> Result<Scenario, ScenarioError> {
        // The file's name as given may hold anything: shown escaped.
        let shown = &ztgym_core::text::shorten(shown, 200);
        let f: File =
            toml::from_str(text).map_err(|e| ScenarioError::File(format!("{shown}: {e}")))?;
        let problems = crate::checks::check(&f).problems;
        if let Some(first) = problems.first() {
            let place = if first.path.is_empty() {
                String::new()
            } else {
                format!("{}: ", first.path)
            };
            let more = match problems.len() {
                1 => String::new(),
                n => format!(" (and {} more problems)", n - 1),
            };
            return Err(ScenarioError::File(format!(
                "{shown}: {place}{}{more}",
                first.message
            )));
        }
        let policy = Arc::new(load_policy(&f.policy)?);
        crate::gate::RegoGate::new(policy.clone()).map_err(ScenarioError::Policy)?;
        Ok(Scenario {
            name: f.name,
            description: f.description,
            max_cycles: f.max_cycles,
            target_risk: f.target_risk,
            telemetry_window: f.telemetry_window,
            drift: f.drift,
            environments: f.environments,
            twin: Twin {
                services: f.services,
                principals: f.principals,
                hints: Hints::default(),
                workloads: f.workloads,
                waf: f.waf,
                pipelines: f.pipelines,
                tenants: f.tenants,
                controls: f.controls,
                quarantine_cuts_risk: f.quarantine_cuts_risk,
            },
            telemetry: f.telemetry,
            params: f.params,
            flows: f.flows.into(),
            breakage: f.breakage,
            policy,
            sources: Vec::new(),
        })
    }

    /// The actions its candidates come from: seed 001's seven, then the pod security ones
    /// when the twin has workloads.
    pub fn actions(&self) -> Vec<&'static str> {
        let mut out = ACTIONS.to_vec();
        if !self.twin.workloads.is_empty() {
            out.extend(POD_ACTIONS);
        }
        if !self.twin.waf.is_empty() {
            out.extend(WAF_ACTIONS);
        }
        if !self.twin.pipelines.is_empty() {
            out.extend(PIPELINE_ACTIONS);
        }
        if !self.twin.tenants.is_empty() {
            out.extend(TENANT_ACTIONS);
        }
        if !self.twin.controls.is_empty() {
            out.extend(CONTROL_ACTIONS);
        }
        out
    }

    /// The same scenario judged by another policy.
    pub fn with_policy(&self, policy: Policy) -> Scenario {
        Scenario {
            policy: Arc::new(policy),
            ..self.clone()
        }
    }

    /// The breakage budget of an environment (sandbox, stage or prod).
    pub fn budget(&self, environment: &str) -> f64 {
        self.environments
            .get(environment)
            .map_or(0.5, |s| s.breakage_budget)
    }
}

/// A scenario folder's file, read the one way (`ztgym_core::fileio`: a size cap, regular files
/// only, UTF-8).
fn read_bounded(path: &Path) -> Result<String, ScenarioError> {
    use ztgym_core::fileio::{read_text, Kind};
    let kind = if path.extension().is_some_and(|e| e == "rego") {
        Kind::Rego
    } else {
        Kind::Scenario
    };
    read_text(path, kind).map_err(|e| ScenarioError::File(e.to_string()))
}
