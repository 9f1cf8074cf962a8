//! A hardening scenario: a folder holding `scenario.toml` (the twin, the starting telemetry,
//! the candidate actions' parameters, the drift, the environments' budgets) and the Rego policy
//! it names. The built-in ones are compiled in; others are read from a folder.

use crate::compliance::{Control, CONTROL_ACTIONS};
use crate::pipeline::{Pipeline, PIPELINE_ACTIONS};
use crate::rego::{Policy, RegoError};
use crate::tenant::{Tenant, TENANT_ACTIONS};
use crate::twin::{Flow, Hints, Principal, Service, Twin, Workload, POD_ACTIONS};
use crate::waf::{WafRule, MAX_STRICTNESS, WAF_ACTIONS};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::collections::BTreeMap;
use std::fmt;
use std::path::Path;
use std::sync::Arc;

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

/// The file's shape.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    name: String,
    description: String,
    policy: String,
    max_cycles: u32,
    target_risk: f64,
    /// Cycles of telemetry the features sum over.
    telemetry_window: u32,
    drift: Drift,
    environments: BTreeMap<String, Stage>,
    services: Vec<Service>,
    principals: Vec<Principal>,
    /// Workloads with pod security settings (use case 2).
    #[serde(default)]
    workloads: Vec<Workload>,
    /// WAF rules on routes (use case 4).
    #[serde(default)]
    waf: Vec<WafRule>,
    /// CI/CD pipelines (use case 7).
    #[serde(default)]
    pipelines: Vec<Pipeline>,
    /// Tenants (use case 9).
    #[serde(default)]
    tenants: Vec<Tenant>,
    /// Resources under compliance controls (use case 6).
    #[serde(default)]
    controls: Vec<Control>,
    telemetry: Vec<Event>,
    /// Each action's default parameters (seed 001's `chooseDefaultParams`).
    params: BTreeMap<String, Map<String, Value>>,
    /// The critical flows the twin checks changes against (seed 001 has none).
    #[serde(default)]
    flows: Vec<Flow>,
    /// Actions whose own breakage the scenario prices otherwise than seed 001.
    #[serde(default)]
    breakage: BTreeMap<String, f64>,
    /// A quarantined service adds nothing to the risk (seed 001: off).
    #[serde(default)]
    quarantine_cuts_risk: bool,
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
                "scenario: {name_or_path:?} is neither a built-in scenario ({}) nor a folder",
                known.join(", ")
            )));
        };
        let shown = file.display().to_string();
        let text = read_bounded(&file)?;
        Scenario::parse(&shown, &text, |policy| {
            if policy.contains('/') || policy.contains('\\') || policy.starts_with('.') {
                return Err(ScenarioError::File(format!(
                    "{shown}: policy: {policy:?} must be a file name in the scenario's folder"
                )));
            }
            read_bounded(&dir.join(policy))
        })
    }

    /// Reads a scenario's text; `read_policy` gets the policy file's name.
    pub fn parse(
        shown: &str,
        text: &str,
        read_policy: impl FnOnce(&str) -> Result<String, ScenarioError>,
    ) -> Result<Scenario, ScenarioError> {
        let f: File =
            toml::from_str(text).map_err(|e| ScenarioError::File(format!("{shown}: {e}")))?;
        let bad = |what: String| Err(ScenarioError::File(format!("{shown}: {what}")));
        if f.max_cycles == 0 || f.max_cycles > 100_000 {
            return bad(format!("max_cycles: {} is not in 1..=100000", f.max_cycles));
        }
        for (k, p) in [
            ("exposure", f.drift.exposure),
            ("attack", f.drift.attack),
            ("creep", f.drift.creep),
            ("posture", f.drift.posture),
            ("signatures", f.drift.signatures),
            ("leak", f.drift.leak),
            ("probe", f.drift.probe),
            ("config", f.drift.config),
        ] {
            if !(0.0..=1.0).contains(&p) {
                return bad(format!("drift.{k}: {p} is not a probability"));
            }
        }
        if f.telemetry_window == 0 {
            return bad("telemetry_window: must be at least 1".into());
        }
        for env in ["sandbox", "stage", "prod"] {
            match f.environments.get(env) {
                None => return bad(format!("environments.{env}: missing")),
                Some(s) if !(0.0..=1.0).contains(&s.breakage_budget) => {
                    return bad(format!(
                        "environments.{env}.breakage_budget: {} is not in 0..=1",
                        s.breakage_budget
                    ))
                }
                Some(_) => {}
            }
        }
        if f.services.is_empty() || f.principals.is_empty() {
            return bad("the twin needs at least one service and one principal".into());
        }
        for (a, b) in &f.breakage {
            if !ACTIONS.contains(&a.as_str()) || !(0.0..=1.0).contains(b) {
                return bad(format!(
                    "breakage.{a}: must be one of the actions, priced in 0..=1"
                ));
            }
        }
        if !f.workloads.is_empty() && !f.waf.is_empty() {
            return bad("a twin has workloads or WAF rules, not both".into());
        }
        let others = usize::from(!f.workloads.is_empty()) + usize::from(!f.waf.is_empty());
        let others = others + usize::from(!f.pipelines.is_empty());
        if !f.controls.is_empty() && others + usize::from(!f.tenants.is_empty()) > 0 {
            return bad(
                "a twin has controls, tenants, pipelines, workloads or WAF rules, one kind only"
                    .into(),
            );
        }
        if !f.tenants.is_empty() && others > 0 {
            return bad(
                "a twin has tenants, pipelines, workloads or WAF rules, one kind only".into(),
            );
        }
        if !f.pipelines.is_empty() && others > 1 {
            return bad("a twin has pipelines, workloads or WAF rules, one kind only".into());
        }
        let known = |a: &str| {
            ACTIONS.contains(&a)
                || (!f.workloads.is_empty() && POD_ACTIONS.contains(&a))
                || (!f.waf.is_empty() && WAF_ACTIONS.contains(&a))
                || (!f.pipelines.is_empty() && PIPELINE_ACTIONS.contains(&a))
                || (!f.tenants.is_empty() && TENANT_ACTIONS.contains(&a))
                || (!f.controls.is_empty() && CONTROL_ACTIONS.contains(&a))
        };
        if let Some(a) = f.params.keys().find(|a| !known(a)) {
            return bad(format!(
                "params.{a}: not one of the actions ({}{})",
                ACTIONS.join(", "),
                if !f.workloads.is_empty() {
                    format!(", {}", POD_ACTIONS.join(", "))
                } else if !f.waf.is_empty() {
                    format!(", {}", WAF_ACTIONS.join(", "))
                } else if !f.pipelines.is_empty() {
                    format!(", {}", PIPELINE_ACTIONS.join(", "))
                } else if !f.tenants.is_empty() {
                    format!(", {}", TENANT_ACTIONS.join(", "))
                } else if !f.controls.is_empty() {
                    format!(", {}", CONTROL_ACTIONS.join(", "))
                } else {
                    String::new()
                }
            ));
        }
        for (i, w) in f.workloads.iter().enumerate() {
            if w.name.is_empty() || f.workloads[..i].iter().any(|o| o.name == w.name) {
                return bad(format!(
                    "workloads[{i}].name: {:?} is empty or named twice",
                    w.name
                ));
            }
        }
        for (i, r) in f.waf.iter().enumerate() {
            if r.route.is_empty() || f.waf[..i].iter().any(|o| o.route == r.route) {
                return bad(format!(
                    "waf[{i}].route: {:?} is empty or named twice",
                    r.route
                ));
            }
            if r.strictness > MAX_STRICTNESS || !(0.0..=10.0).contains(&r.attack) {
                return bad(format!(
                    "waf[{i}]: strictness {} must be at most {MAX_STRICTNESS}, attack {} in 0..=10",
                    r.strictness, r.attack
                ));
            }
        }
        for (i, p) in f.pipelines.iter().enumerate() {
            if p.name.is_empty() || f.pipelines[..i].iter().any(|o| o.name == p.name) {
                return bad(format!(
                    "pipelines[{i}].name: {:?} is empty or named twice",
                    p.name
                ));
            }
        }
        for (i, t) in f.tenants.iter().enumerate() {
            if t.name.is_empty() || f.tenants[..i].iter().any(|o| o.name == t.name) {
                return bad(format!(
                    "tenants[{i}].name: {:?} is empty or named twice",
                    t.name
                ));
            }
            if !t.cross_tenant_attempts.is_finite() || t.cross_tenant_attempts < 0.0 {
                return bad(format!(
                    "tenants[{i}].cross_tenant_attempts: {} is not a count",
                    t.cross_tenant_attempts
                ));
            }
        }
        for (i, c) in f.controls.iter().enumerate() {
            if c.name.is_empty() || f.controls[..i].iter().any(|o| o.name == c.name) {
                return bad(format!(
                    "controls[{i}].name: {:?} is empty or named twice",
                    c.name
                ));
            }
            if c.tls_min > 3 {
                return bad(format!(
                    "controls[{i}].tls_min: 1.{} is not a TLS version",
                    c.tls_min
                ));
            }
        }
        for fl in &f.flows {
            if let Some(c) = fl.control.as_deref() {
                if !f.controls.iter().any(|o| o.name == c) {
                    return bad(format!(
                        "flows {:?}: no controlled resource named {c:?}",
                        fl.name
                    ));
                }
            }
            if let Some(t) = fl.tenant.as_deref() {
                if !f.tenants.iter().any(|o| o.name == t) {
                    return bad(format!("flows {:?}: no tenant named {t:?}", fl.name));
                }
            }
            if let Some(p) = fl.pipeline.as_deref() {
                if !f.pipelines.iter().any(|o| o.name == p) {
                    return bad(format!("flows {:?}: no pipeline named {p:?}", fl.name));
                }
            }
            if let Some(r) = fl.route.as_deref() {
                if !f.waf.iter().any(|o| o.route == r) {
                    return bad(format!("flows {:?}: no WAF rule on route {r:?}", fl.name));
                }
            }
            if let Some(w) = fl.workload.as_deref() {
                if !f.workloads.iter().any(|o| o.name == w) {
                    return bad(format!("flows {:?}: no workload named {w:?}", fl.name));
                }
            }
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
