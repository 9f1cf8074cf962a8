//! A hardening scenario: a folder holding `scenario.toml` (the twin, the starting telemetry,
//! the candidate actions' parameters, the drift, the environments' budgets) and the Rego policy
//! it names. The built-in ones are compiled in; others are read from a folder.

use crate::compliance::{Control, CONTROL_ACTIONS};
use crate::pipeline::{Pipeline, PIPELINE_ACTIONS};
use crate::tenant::{Tenant, TENANT_ACTIONS};
use crate::twin::{Flow, Hints, Principal, Service, Twin, Workload, POD_ACTIONS};
use crate::waf::{WafRule, WAF_ACTIONS};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use ztgym_rego::{Policy, RegoError};

/// The actions seed 001's hardener knows, in its order.
pub const ACTIONS: [&str; 7] = [
    "tighten_inbound_rule",
    "remove_iam_permission",
    "enforce_mfa",
    "rotate_key",
    "apply_segmentation",
    "reduce_token_ttl",
    "quarantine_workload",
];

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

/// The telemetry types a scenario's events may have: seed 001's and the use cases' (those
/// drift emits among them). The twin's features read `failed_auth`, `anomaly` and
/// `public_exposure`; the others are context the policy and the reader see.
pub const TELEMETRY_TYPES: [&str; 23] = [
    "failed_auth",
    "anomaly",
    "public_exposure",
    "broad_permission",
    "egress",
    "suspicious_geo",
    "privileged_pod",
    "privileged_pods",
    "host_network",
    "host_path_mounts",
    "missing_resource_limits",
    "attack_signatures",
    "bot_traffic",
    "secret_scan_hit",
    "unsigned_artifacts",
    "unpinned_dependencies",
    "cross_tenant_access",
    "shared_resource_hotspot",
    "unusual_inter_tenant_calls",
    "noncompliant_config",
    "encryption_at_rest",
    "missing_logging",
    "weak_tls",
];

/// A telemetry event (seed 001's `telemetry_events` row: source, type, payload).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Event {
    pub source: String,
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(default)]
    pub payload: Map<String, Value>,
}

/// How the world keeps creating work, per cycle.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Drift {
    /// Chance a service opens to 0.0.0.0/0 again.
    pub exposure: f64,
    /// Chance of an attack burst (failed authentications and an anomaly).
    pub attack: f64,
    /// Chance a principal gets `*:*` back.
    pub creep: f64,
    /// Chance a workload is redeployed privileged again (use case 2; drawn only when the
    /// twin has workloads).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub posture: f64,
    /// Chance attack signatures rise on a route (use case 4; drawn only when the twin has
    /// WAF rules).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub signatures: f64,
    /// Chance a secret scan finds a leaked build secret (use case 7; drawn only when the twin
    /// has pipelines).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub leak: f64,
    /// Chance of cross-tenant access attempts on a tenant (use case 9; drawn only when the
    /// twin has tenants).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub probe: f64,
    /// Chance a controlled resource drifts from its baseline (use case 6; drawn only when the
    /// twin has controls).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub config: f64,
}

fn is_zero(x: &f64) -> bool {
    *x == 0.0
}

/// One environment's rules: the breakage its twin tolerates.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Stage {
    /// A change passes the twin at breakage <= this (seed 001: 0.5).
    pub breakage_budget: f64,
}

/// The file's shape (checked field by field in `checks`).
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct File {
    pub(crate) name: String,
    pub(crate) description: String,
    pub(crate) policy: String,
    pub(crate) max_cycles: u32,
    pub(crate) target_risk: f64,
    /// Cycles of telemetry the features sum over.
    pub(crate) telemetry_window: u32,
    pub(crate) drift: Drift,
    pub(crate) environments: BTreeMap<String, Stage>,
    pub(crate) services: Vec<Service>,
    pub(crate) principals: Vec<Principal>,
    /// Workloads with pod security settings (use case 2).
    #[serde(default)]
    pub(crate) workloads: Vec<Workload>,
    /// WAF rules on routes (use case 4).
    #[serde(default)]
    pub(crate) waf: Vec<WafRule>,
    /// CI/CD pipelines (use case 7).
    #[serde(default)]
    pub(crate) pipelines: Vec<Pipeline>,
    /// Tenants (use case 9).
    #[serde(default)]
    pub(crate) tenants: Vec<Tenant>,
    /// Resources under compliance controls (use case 6).
    #[serde(default)]
    pub(crate) controls: Vec<Control>,
    pub(crate) telemetry: Vec<Event>,
    /// Each action's default parameters (seed 001's `chooseDefaultParams`).
    pub(crate) params: BTreeMap<String, Map<String, Value>>,
    /// The critical flows the twin checks changes against (seed 001 has none).
    #[serde(default)]
    pub(crate) flows: Vec<Flow>,
    /// Actions whose own breakage the scenario prices otherwise than seed 001.
    #[serde(default)]
    pub(crate) breakage: BTreeMap<String, f64>,
    /// A quarantined service adds nothing to the risk (seed 001: off).
    #[serde(default)]
    pub(crate) quarantine_cuts_risk: bool,
}

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
        let mut policy_file = None;
        let mut scenario = Scenario::parse(&shown, &text, |policy| {
            if policy.contains('/') || policy.contains('\\') || policy.starts_with('.') {
                return Err(ScenarioError::File(format!(
                    "{}: policy: {} must be a file name in the scenario's folder",
                    ztgym_core::text::shorten(&shown, 200),
                    ztgym_core::json::quote(policy)
                )));
            }
            policy_file = Some(dir.join(policy));
            read_bounded(&dir.join(policy))
        })?;
        scenario.sources = std::iter::once(file).chain(policy_file).collect();
        Ok(scenario)
    }

    /// Reads a scenario's text; `read_policy` gets the policy file's name.
    pub fn parse(
        shown: &str,
        text: &str,
        read_policy: impl FnOnce(&str) -> Result<String, ScenarioError>,
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
        let policy_text = read_policy(&f.policy)?;
        let policy = Policy::load(&f.policy, &policy_text).map_err(ScenarioError::Policy)?;
        let policy = Arc::new(policy);
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
