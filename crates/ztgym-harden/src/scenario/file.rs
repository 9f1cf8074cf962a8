//! The shape of `scenario.toml` (read with serde, checked field by field in `checks`) and the
//! names it may use: the actions and the telemetry types.

use crate::compliance::Control;
use crate::pipeline::Pipeline;
use crate::tenant::Tenant;
use crate::twin::{Flow, Principal, Service, Workload};
use crate::waf::WafRule;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::collections::BTreeMap;

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
