//! The digital twin: services and principals, seed 001's risk formula, and its forecast of a
//! change (the risk after it, the breakage risk and notes).

use crate::compliance::{Control, CONTROL_ACTIONS};
use crate::index::{Index, Kind};
use crate::pipeline::{Pipeline, PIPELINE_ACTIONS};
use crate::tenant::{Tenant, TENANT_ACTIONS};
use crate::waf::{WafRule, WAF_ACTIONS};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// The address range open to everyone.
pub const ANYWHERE: &str = "0.0.0.0/0";
/// The internal range seed 001 tightens to (no breakage).
pub const INTERNAL: &str = "10.0.0.0/8";
/// The permission that grants everything.
pub const WILDCARD: &str = "*:*";

/// A service: its open ports, who may reach it, whether it is segmented.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Service {
    pub name: String,
    pub ports: Vec<u16>,
    pub cidrs: Vec<String>,
    pub segmented: bool,
    /// Quarantined: cut off (the seed's quarantine, simulated).
    #[serde(default)]
    pub quarantined: bool,
    /// The range tightening should leave open (an approved admin or partner range), instead
    /// of the action's default `new_cidr`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tighten_to: Option<String>,
}

/// A principal: its permissions, MFA and token lifetime.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Principal {
    pub name: String,
    pub permissions: Vec<String>,
    pub mfa: bool,
    pub ttl_mins: u32,
}

/// A workload (use case 2): a Kubernetes deployment's pod security settings, and what it
/// cannot start without.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Workload {
    pub name: String,
    pub namespace: String,
    /// Runs privileged containers.
    pub privileged: bool,
    /// Shares the node's network namespace.
    pub host_network: bool,
    /// Mounts a path of the node.
    pub host_path: bool,
    /// Capabilities added beyond the runtime's defaults (NET_ADMIN, SYS_ADMIN ...).
    pub capabilities: Vec<String>,
    /// CPU and memory limits set.
    pub limits: bool,
    /// What the workload cannot start without: `privileged`, `host_network`, `host_path`, a
    /// capability's name, or `unlimited` (it is evicted or fails to schedule under the
    /// baseline limits).
    #[serde(default)]
    pub needs: Vec<String>,
    /// Ready pods (the twin's `pods_ready`); a workload whose needs a change removes is not.
    #[serde(default = "works")]
    pub ready: bool,
}

/// Serde's default for the resources' "it works" flags (`ready`, `compatible`, ...): a
/// resource works until a change breaks it.
pub(crate) fn works() -> bool {
    true
}

/// The settings a workload may need (its `needs`; a capability it holds may be needed too).
pub const WORKLOAD_NEEDS: [&str; 4] = ["privileged", "host_network", "host_path", "unlimited"];

/// The pod security actions (use case 2), each on one workload.
pub const POD_ACTIONS: [&str; 3] = [
    "apply_pod_security",
    "drop_capabilities",
    "enforce_resource_limits",
];

impl Workload {
    /// Use case 2's posture terms: +10 privileged, +5 host network, +5 host path, +3 per
    /// added capability, +3 without limits.
    pub fn risk(&self) -> f64 {
        let flag = |b: bool, w: f64| if b { w } else { 0.0 };
        flag(self.privileged, 10.0)
            + flag(self.host_network, 5.0)
            + flag(self.host_path, 5.0)
            + 3.0 * self.capabilities.len() as f64
            + flag(!self.limits, 3.0)
    }

    /// Whether the pod security actions `id` still change something on it.
    pub fn needs_action(&self, id: &str) -> bool {
        match id {
            "apply_pod_security" => self.privileged || self.host_network || self.host_path,
            "drop_capabilities" => !self.capabilities.is_empty(),
            "enforce_resource_limits" => !self.limits,
            _ => false,
        }
    }

    /// Whether it still starts with its settings.
    fn starts(&self) -> bool {
        self.needs.iter().all(|n| match n.as_str() {
            "privileged" => self.privileged,
            "host_network" => self.host_network,
            "host_path" => self.host_path,
            "unlimited" => !self.limits,
            cap => self.capabilities.iter().any(|c| c == cap),
        })
    }
}

/// The telemetry the twin's risk reads (seed 001's `telemetryHints`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Hints {
    pub failed_auth_rate_5m: f64,
    pub anomaly_score: f64,
}

/// The twin's resources.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Twin {
    pub services: Vec<Service>,
    pub principals: Vec<Principal>,
    pub hints: Hints,
    /// Workloads with pod security settings (use case 2; none in the other scenarios).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub workloads: Vec<Workload>,
    /// WAF rules on routes (use case 4; none in the other scenarios).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub waf: Vec<WafRule>,
    /// CI/CD pipelines (use case 7; none in the other scenarios).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub pipelines: Vec<Pipeline>,
    /// Tenants of a multi-tenant platform (use case 9; none in the other scenarios).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tenants: Vec<Tenant>,
    /// Resources under compliance controls (use case 6; none in the other scenarios).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub controls: Vec<Control>,
    /// A quarantined service adds nothing to the risk (it is cut off). Seed 001's formula
    /// ignores quarantine; a scenario turns this on.
    #[serde(default)]
    pub quarantine_cuts_risk: bool,
}

/// What the twin predicts of a change (seed 001's `predicted_impact`, plus `pass`).
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Forecast {
    pub before_risk: f64,
    pub after_risk: f64,
    pub risk_delta: f64,
    pub breakage_risk: f64,
    pub notes: Vec<String>,
    /// Breakage within the environment's budget (seed 001: `breakage_risk <= 0.5`).
    pub pass: bool,
    /// What the change sets, path by path (seed 001's `applied_changes`).
    pub applied_changes: Map<String, Value>,
    /// The scenario's critical flows the change would break.
    pub broken_flows: Vec<String>,
}

/// The resources' risk terms summed as seed 001's formula adds them, in a form a forecast can
/// update for the one resource a change touches. The groups of whole-number terms (services,
/// principals and workloads; pipelines; tenants; controls) are summed in fixed point (units of
/// 2^-64): exact, so a term is taken out and put back in O(1) with the very result of adding
/// them all again. The WAF rules' terms are fractions (thirds), summed in their order as the
/// formula does: a forecast touching rule i starts from the sum of the rules before it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Total {
    /// Services, principals and workloads; pipelines; tenants; controls.
    fixed: [i128; 4],
    /// Each WAF rule's term, and the sums of the first k terms (`waf_sums[0]` is an empty
    /// sum, `waf_sums[n]` all of them).
    waf_terms: Vec<f64>,
    waf_sums: Vec<f64>,
}

/// 2^64: one in [`Total`]'s fixed-point units.
const UNIT: f64 = 18_446_744_073_709_551_616.0;

impl Total {
    /// The fixed-point group of resource kind `kind` (none for WAF rules).
    fn group(kind: Kind) -> Option<usize> {
        match kind {
            Kind::Service | Kind::Principal | Kind::Workload => Some(0),
            Kind::Pipeline => Some(1),
            Kind::Tenant => Some(2),
            Kind::Control => Some(3),
            Kind::Route => None,
        }
    }

    fn add(&mut self, group: usize, x: f64) {
        self.fixed[group] = self.fixed[group].saturating_add((x * UNIT) as i128);
    }

    /// The sum, added group by group in the formula's order.
    fn value(&self) -> f64 {
        Total::combine(
            &self.fixed,
            self.waf_sums.last().copied().unwrap_or_default(),
        )
    }

    fn combine(fixed: &[i128; 4], waf: f64) -> f64 {
        let group = |g: usize| fixed[g] as f64 / UNIT;
        let mut score = group(0);
        score += waf;
        score += group(1);
        score += group(2);
        score += group(3);
        score
    }

    /// The sum with the term of resource `i` of `kind` replaced: `old` by `new`.
    fn swapped(&self, kind: Kind, i: usize, old: f64, new: f64) -> f64 {
        match Total::group(kind) {
            Some(g) => {
                let mut fixed = self.fixed;
                fixed[g] = fixed[g]
                    .saturating_sub((old * UNIT) as i128)
                    .saturating_add((new * UNIT) as i128);
                Total::combine(&fixed, self.waf_sums.last().copied().unwrap_or_default())
            }
            None => {
                let mut waf = self.waf_sums[i] + new;
                for t in &self.waf_terms[i + 1..] {
                    waf += t;
                }
                Total::combine(&self.fixed, waf)
            }
        }
    }
}

/// A resource as it was before a forecast changed it in place, by position.
#[derive(Clone, Debug)]
pub(crate) enum Saved {
    Service(usize, Service),
    Principal(usize, Principal),
    Workload(usize, Workload),
    Waf(usize, WafRule),
    Pipeline(usize, Pipeline),
    Tenant(usize, Tenant),
    Control(usize, Control),
}

/// Breakage added for each critical flow a change would break (over any budget but sandbox's).
pub const FLOW_BREAKAGE: f64 = 0.4;

fn param<'a>(params: &'a Map<String, Value>, key: &str, default: &'a str) -> &'a str {
    params.get(key).and_then(Value::as_str).unwrap_or(default)
}

impl Twin {
    pub fn service(&self, name: &str) -> Option<&Service> {
        self.services.iter().find(|s| s.name == name)
    }

    pub fn principal(&self, name: &str) -> Option<&Principal> {
        self.principals.iter().find(|p| p.name == name)
    }

    pub fn workload(&self, name: &str) -> Option<&Workload> {
        self.workloads.iter().find(|w| w.name == name)
    }

    pub fn waf_rule(&self, route: &str) -> Option<&WafRule> {
        self.waf.iter().find(|r| r.route == route)
    }

    pub fn pipeline(&self, name: &str) -> Option<&Pipeline> {
        self.pipelines.iter().find(|p| p.name == name)
    }

    pub fn tenant(&self, name: &str) -> Option<&Tenant> {
        self.tenants.iter().find(|t| t.name == name)
    }

    pub fn control(&self, name: &str) -> Option<&Control> {
        self.controls.iter().find(|c| c.name == name)
    }

    /// Seed 001's risk score: per service +20 if open to 0.0.0.0/0, +2 per port, +5 if
    /// unsegmented; per principal +25 for `*:*`, +10 without MFA, +5 if the token lives over
    /// 60 minutes; plus min(20, failed auth x 10) and min(20, anomaly x 10); clamped to 0..100.
    pub fn risk(&self) -> f64 {
        self.raw_risk().clamp(0.0, 100.0)
    }

    /// The score before clamping (the seed's starting twin with its sample telemetry is over
    /// 100: the seed's risk saturates).
    pub fn raw_risk(&self) -> f64 {
        self.score(self.total().value())
    }

    /// The score from the resources' total and the telemetry hints (added last, in this
    /// order, as seed 001's formula does).
    fn score(&self, resources: f64) -> f64 {
        let mut score = resources;
        score += (self.hints.failed_auth_rate_5m * 10.0).min(20.0);
        score += (self.hints.anomaly_score * 10.0).min(20.0);
        score
    }

    /// Every resource's risk term, summed.
    pub fn total(&self) -> Total {
        let waf_terms: Vec<f64> = self.waf.iter().map(WafRule::risk).collect();
        // The empty sum as `Iterator::sum` starts it, then each rule's term in order.
        let mut waf_sums = vec![std::iter::empty::<f64>().sum::<f64>()];
        for t in &waf_terms {
            waf_sums.push(waf_sums[waf_sums.len() - 1] + t);
        }
        let mut total = Total {
            fixed: [0; 4],
            waf_terms,
            waf_sums,
        };
        let kinds = [
            (Kind::Service, self.services.len()),
            (Kind::Principal, self.principals.len()),
            (Kind::Workload, self.workloads.len()),
            (Kind::Pipeline, self.pipelines.len()),
            (Kind::Tenant, self.tenants.len()),
            (Kind::Control, self.controls.len()),
        ];
        for (kind, n) in kinds {
            if let Some(g) = Total::group(kind) {
                (0..n).for_each(|i| total.add(g, self.term(kind, i)));
            }
        }
        total
    }

    /// The risk term of resource `i` of `kind`.
    fn term(&self, kind: Kind, i: usize) -> f64 {
        let flag = |b: bool, w: f64| if b { w } else { 0.0 };
        match kind {
            Kind::Service => {
                let s = &self.services[i];
                if self.quarantine_cuts_risk && s.quarantined {
                    return 0.0;
                }
                flag(s.cidrs.iter().any(|c| c == ANYWHERE), 20.0)
                    + 2.0 * s.ports.len() as f64
                    + flag(!s.segmented, 5.0)
            }
            Kind::Principal => {
                let p = &self.principals[i];
                flag(p.permissions.iter().any(|x| x == WILDCARD), 25.0)
                    + flag(!p.mfa, 10.0)
                    + flag(p.ttl_mins > 60, 5.0)
            }
            Kind::Workload => self.workloads[i].risk(),
            Kind::Route => self.waf[i].risk(),
            Kind::Pipeline => self.pipelines[i].risk(),
            Kind::Tenant => self.tenants[i].risk(),
            Kind::Control => self.controls[i].risk(),
        }
    }

    /// A copy of resource `i` of `kind`, to put back with [`Twin::restore`].
    fn save(&self, kind: Kind, i: usize) -> Saved {
        match kind {
            Kind::Service => Saved::Service(i, self.services[i].clone()),
            Kind::Principal => Saved::Principal(i, self.principals[i].clone()),
            Kind::Workload => Saved::Workload(i, self.workloads[i].clone()),
            Kind::Route => Saved::Waf(i, self.waf[i].clone()),
            Kind::Pipeline => Saved::Pipeline(i, self.pipelines[i].clone()),
            Kind::Tenant => Saved::Tenant(i, self.tenants[i].clone()),
            Kind::Control => Saved::Control(i, self.controls[i].clone()),
        }
    }

    /// Puts back what a forecast changed in place.
    pub(crate) fn restore(&mut self, saved: Option<Saved>) {
        match saved {
            None => {}
            Some(Saved::Service(i, x)) => self.services[i] = x,
            Some(Saved::Principal(i, x)) => self.principals[i] = x,
            Some(Saved::Workload(i, x)) => self.workloads[i] = x,
            Some(Saved::Waf(i, x)) => self.waf[i] = x,
            Some(Saved::Pipeline(i, x)) => self.pipelines[i] = x,
            Some(Saved::Tenant(i, x)) => self.tenants[i] = x,
            Some(Saved::Control(i, x)) => self.controls[i] = x,
        }
    }

    /// Share of principals holding `*:*`, x 10 (seed 001's privilege entropy).
    pub fn privilege_entropy(&self) -> f64 {
        share(
            self.principals.len(),
            self.principals
                .iter()
                .filter(|p| p.permissions.iter().any(|x| x == WILDCARD))
                .count(),
        )
    }

    /// Share of services open to 0.0.0.0/0, x 10 (seed 001's public exposure).
    pub fn public_exposure(&self) -> f64 {
        share(
            self.services.len(),
            self.services
                .iter()
                .filter(|s| s.cidrs.iter().any(|c| c == ANYWHERE))
                .count(),
        )
    }

    /// Forecasts action `id` with `params` (seed 001's `simulateAction`) and returns the twin
    /// as it would be after it. `budget` is the breakage the environment tolerates; `flows`
    /// the critical flows checked; `base_breakage` replaces the seed's own breakage of the
    /// action when a scenario sets one.
    pub fn simulate(
        &self,
        id: &str,
        params: &Map<String, Value>,
        budget: f64,
        flows: &[Flow],
        base_breakage: Option<f64>,
    ) -> (Forecast, Twin) {
        let mut next = self.clone();
        let at = Index::new(self, flows);
        let (forecast, _) =
            next.apply(&at, &self.total(), id, params, budget, flows, base_breakage);
        (forecast, next)
    }

    /// [`Twin::simulate`] in place: applies the change to `self` (whose layout `at` indexes and
    /// whose resources sum to `total`) and returns the forecast and the resource it replaced
    /// ([`Twin::restore`] undoes the change). Only the touched resource's term and the flows
    /// naming it are looked at again, so a forecast costs the same on any size of twin.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn apply(
        &mut self,
        at: &Index,
        total: &Total,
        id: &str,
        params: &Map<String, Value>,
        budget: f64,
        flows: &[Flow],
        base_breakage: Option<f64>,
    ) -> (Forecast, Option<Saved>) {
        let before = self.score(total.value()).clamp(0.0, 100.0);
        // The resource the action touches, by the parameter naming it.
        let (kind, key, default) = match id {
            "tighten_inbound_rule" | "apply_segmentation" | "quarantine_workload" => {
                (Kind::Service, "service", "checkout-api")
            }
            "remove_iam_permission" | "enforce_mfa" | "reduce_token_ttl" => {
                (Kind::Principal, "principal", "app-role")
            }
            id if POD_ACTIONS.contains(&id) => (Kind::Workload, "workload", ""),
            id if WAF_ACTIONS.contains(&id) => (Kind::Route, "route", ""),
            id if PIPELINE_ACTIONS.contains(&id) => (Kind::Pipeline, "pipeline", ""),
            id if TENANT_ACTIONS.contains(&id) => (Kind::Tenant, "tenant", ""),
            id if CONTROL_ACTIONS.contains(&id) => (Kind::Control, "resource", ""),
            _ => (Kind::Service, "", ""),
        };
        let name = param(params, key, default);
        let slot = if key.is_empty() {
            None
        } else {
            at.position(kind, name)
        };
        // The only flows the change can break name what it touches: whether each works now.
        let watched: Vec<(usize, bool)> = match slot {
            None => Vec::new(),
            Some(_) => at
                .flows_on(kind, name)
                .iter()
                .map(|&f| (f, flows[f].holds(self, at)))
                .collect(),
        };
        let saved = slot.map(|i| self.save(kind, i));
        let old_term = slot.map_or(0.0, |i| self.term(kind, i));
        let mut breakage: f64 = 0.0;
        let mut notes = Vec::new();
        let mut changes = Map::new();
        match id {
            "tighten_inbound_rule" => {
                let service = name;
                let cidr = param(params, "new_cidr", INTERNAL);
                match slot.map(|i| &mut self.services[i]) {
                    None => {
                        breakage = 0.3;
                        notes.push(format!("unknown service {service}"));
                    }
                    Some(s) => {
                        s.cidrs = vec![cidr.to_string()];
                        changes.insert(
                            format!("services.{service}.allowedCidrs"),
                            Value::from(vec![cidr]),
                        );
                        if cidr != INTERNAL {
                            breakage += 0.2;
                        }
                        notes.push(format!("set {service} allowedCidrs={cidr}"));
                    }
                }
            }
            "apply_segmentation" => {
                let service = name;
                if let Some(s) = slot.map(|i| &mut self.services[i]) {
                    s.segmented = true;
                    changes.insert(format!("services.{service}.segmented"), true.into());
                    notes.push(format!("segmented {service}"));
                }
            }
            "remove_iam_permission" => {
                let principal = name;
                let perm = param(params, "permission", WILDCARD);
                match slot.map(|i| &mut self.principals[i]) {
                    None => {
                        breakage += 0.2;
                        notes.push(format!("unknown principal {principal}"));
                    }
                    Some(p) => {
                        p.permissions.retain(|x| x != perm);
                        changes.insert(
                            format!("iam.principals.{principal}.permissions_removed"),
                            perm.into(),
                        );
                        breakage += if perm == WILDCARD { 0.15 } else { 0.05 };
                        notes.push(format!("removed {perm} from {principal}"));
                    }
                }
            }
            "enforce_mfa" => {
                let principal = name;
                if let Some(p) = slot.map(|i| &mut self.principals[i]) {
                    p.mfa = true;
                    changes.insert(format!("iam.principals.{principal}.mfa"), true.into());
                    breakage += 0.05;
                    notes.push(format!("enabled MFA for {principal}"));
                }
            }
            "rotate_key" => {
                changes.insert("iam.key_rotation".into(), "simulated".into());
                breakage += 0.1;
                notes.push("rotated key (simulated)".into());
            }
            "reduce_token_ttl" => {
                let principal = name;
                let ttl = params
                    .get("new_ttl_mins")
                    .and_then(Value::as_u64)
                    .map_or(30, |t| t.min(u64::from(u32::MAX)) as u32);
                if let Some(p) = slot.map(|i| &mut self.principals[i]) {
                    p.ttl_mins = ttl;
                    changes.insert(
                        format!("iam.principals.{principal}.tokenTtlMins"),
                        ttl.into(),
                    );
                    breakage += 0.05;
                    notes.push(format!("set token TTL for {principal} to {ttl}m"));
                }
            }
            "quarantine_workload" => {
                let service = name;
                if let Some(s) = slot.map(|i| &mut self.services[i]) {
                    s.quarantined = true;
                }
                changes.insert(format!("services.{service}.quarantined"), true.into());
                breakage += 0.6;
                notes.push("quarantined workload (simulated)".into());
            }
            id if POD_ACTIONS.contains(&id) => {
                match slot.map(|i| &mut self.workloads[i]) {
                    None => {
                        breakage += 0.2;
                        notes.push(format!("unknown workload {name}"));
                    }
                    Some(w) => {
                        pod_change(w, id, &mut changes, &mut notes);
                        // A rollout restarts the pods: a little breakage even when it starts.
                        breakage += 0.05;
                        w.ready = w.starts();
                        if !w.ready {
                            breakage += FLOW_BREAKAGE;
                            notes.push(format!(
                                "{name} would fail to start (needs {})",
                                w.needs.join(", ")
                            ));
                        }
                    }
                }
            }
            id if WAF_ACTIONS.contains(&id) => {
                let route = name;
                match slot.map(|i| &mut self.waf[i]) {
                    None => {
                        breakage += 0.2;
                        notes.push(format!("unknown route {route}"));
                    }
                    Some(r) => {
                        // The rule reloads: a little breakage even when the replay passes.
                        breakage += 0.05;
                        if let Some(budget) = r.apply(id, &mut changes, &mut notes) {
                            breakage += FLOW_BREAKAGE;
                            notes.push(budget);
                        }
                    }
                }
            }
            id if PIPELINE_ACTIONS.contains(&id) => {
                match slot.map(|i| &mut self.pipelines[i]) {
                    None => {
                        breakage += 0.2;
                        notes.push(format!("unknown pipeline {name}"));
                    }
                    Some(p) => {
                        // The pipeline's next run is a change too.
                        breakage += 0.05;
                        if let Some(why) = p.apply(id, &mut changes, &mut notes) {
                            breakage += FLOW_BREAKAGE;
                            notes.push(why);
                        }
                    }
                }
            }
            id if TENANT_ACTIONS.contains(&id) => {
                match slot.map(|i| &mut self.tenants[i]) {
                    None => {
                        breakage += 0.2;
                        notes.push(format!("unknown tenant {name}"));
                    }
                    Some(t) => {
                        // A boundary change is rolled out tenant-wide.
                        breakage += 0.05;
                        if let Some(why) = t.apply(id, &mut changes, &mut notes) {
                            breakage += FLOW_BREAKAGE;
                            notes.push(why);
                        }
                    }
                }
            }
            id if CONTROL_ACTIONS.contains(&id) => {
                match slot.map(|i| &mut self.controls[i]) {
                    None => {
                        breakage += 0.2;
                        notes.push(format!("unknown resource {name}"));
                    }
                    Some(c) => {
                        // A configuration change restarts the resource.
                        breakage += 0.05;
                        if let Some(why) = c.apply(id, &mut changes, &mut notes) {
                            breakage += FLOW_BREAKAGE;
                            notes.push(why);
                        }
                    }
                }
            }
            _ => {}
        }
        // A scenario may price an action's own breakage otherwise (a containment with a
        // rehearsed rollback, say); the checks below still add theirs.
        if let Some(b) = base_breakage {
            breakage = b;
        }
        let resources_after = match slot {
            Some(i) => total.swapped(kind, i, old_term, self.term(kind, i)),
            None => total.value(),
        };
        let after = self.score(resources_after).clamp(0.0, 100.0);
        if id == "tighten_inbound_rule" && self.hints.failed_auth_rate_5m > 2.0 {
            breakage += 0.1;
        }
        // The twin's dependency check: each critical flow the change would break.
        let broken: Vec<&Flow> = watched
            .iter()
            .filter(|&&(f, held)| held && !flows[f].holds(self, at))
            .map(|&(f, _)| &flows[f])
            .collect();
        for f in &broken {
            breakage += FLOW_BREAKAGE;
            notes.push(format!("would break critical flow {}", f.name));
        }
        // Sums of tenths and hundredths: rounded so 0.1 + 0.2 reads 0.3 in every report.
        let breakage = ((breakage.clamp(0.0, 1.0)) * 1e9).round() / 1e9;
        let forecast = Forecast {
            before_risk: before,
            after_risk: after,
            risk_delta: after - before,
            breakage_risk: breakage,
            notes,
            pass: breakage <= budget,
            applied_changes: changes,
            broken_flows: broken.iter().map(|f| f.name.clone()).collect(),
        };
        (forecast, saved)
    }
}

/// Applies pod security action `id` to `w`, recording what it sets.
fn pod_change(
    w: &mut Workload,
    id: &str,
    changes: &mut Map<String, Value>,
    notes: &mut Vec<String>,
) {
    let name = w.name.clone();
    match id {
        "apply_pod_security" => {
            w.privileged = false;
            w.host_network = false;
            w.host_path = false;
            changes.insert(format!("workloads.{name}.podSecurity"), "restricted".into());
            notes.push(format!(
                "applied the restricted pod security profile to {name}"
            ));
        }
        "drop_capabilities" => {
            let dropped = std::mem::take(&mut w.capabilities);
            changes.insert(
                format!("workloads.{name}.capabilities_dropped"),
                Value::from(dropped.clone()),
            );
            notes.push(format!("dropped {} from {name}", dropped.join(", ")));
        }
        _ => {
            w.limits = true;
            changes.insert(format!("workloads.{name}.limits"), true.into());
            notes.push(format!("enforced resource limits on {name}"));
        }
    }
}

fn share(total: usize, hits: usize) -> f64 {
    if total == 0 {
        0.0
    } else {
        hits as f64 / total as f64 * 10.0
    }
}

/// A critical flow the twin checks a change against: a service reachable from an address,
/// a principal holding a permission, or both.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Flow {
    pub name: String,
    /// The service the flow calls (it must exist and not be quarantined).
    #[serde(default)]
    pub service: Option<String>,
    /// The address (or range) the calls come from: one of the service's CIDRs must hold it.
    #[serde(default)]
    pub from: Option<String>,
    /// The principal the flow runs as ...
    #[serde(default)]
    pub principal: Option<String>,
    /// ... and the permission it needs (`*:*` grants it too).
    #[serde(default)]
    pub permission: Option<String>,
    /// A workload whose pods must be ready (use case 2).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub workload: Option<String>,
    /// A route whose WAF rule must stay within its SLOs (use case 4).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub route: Option<String>,
    /// A pipeline whose build must succeed (use case 7).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pipeline: Option<String>,
    /// A tenant whose workflows must keep working (use case 9).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tenant: Option<String>,
    /// A controlled resource whose clients must keep working (use case 6).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub control: Option<String>,
}

/// An IPv4 range as (network, prefix length); an address is a /32.
pub fn parse_cidr(text: &str) -> Option<(u32, u32)> {
    let (addr, len) = match text.split_once('/') {
        Some((a, l)) => (a, l.parse().ok()?),
        None => (text, 32),
    };
    if len > 32 {
        return None;
    }
    let mut ip = 0u32;
    let mut parts = 0;
    for p in addr.split('.') {
        ip = ip
            .checked_mul(256)?
            .checked_add(p.parse::<u8>().ok()?.into())?;
        parts += 1;
    }
    (parts == 4).then_some((ip, len))
}

/// Whether range `outer` holds all of `inner`.
pub fn cidr_holds(outer: &str, inner: &str) -> bool {
    match (parse_cidr(outer), parse_cidr(inner)) {
        (Some((o, ol)), Some((i, il))) => {
            let mask = if ol == 0 { 0 } else { u32::MAX << (32 - ol) };
            ol <= il && (o & mask) == (i & mask)
        }
        _ => false,
    }
}

impl Flow {
    /// The resources the flow names, each with its kind.
    pub fn targets(&self) -> impl Iterator<Item = (Kind, &str)> {
        [
            (Kind::Service, &self.service),
            (Kind::Principal, &self.principal),
            (Kind::Workload, &self.workload),
            (Kind::Route, &self.route),
            (Kind::Pipeline, &self.pipeline),
            (Kind::Tenant, &self.tenant),
            (Kind::Control, &self.control),
        ]
        .into_iter()
        .filter_map(|(kind, name)| name.as_deref().map(|n| (kind, n)))
    }

    /// Whether the flow works on `twin` (whose layout `at` indexes).
    pub fn holds(&self, twin: &Twin, at: &Index) -> bool {
        let service_ok = match &self.service {
            None => true,
            Some(name) => at.service(twin, name).is_some_and(|s| {
                !s.quarantined
                    && self
                        .from
                        .as_deref()
                        .is_none_or(|from| s.cidrs.iter().any(|c| cidr_holds(c, from)))
            }),
        };
        let principal_ok = match (&self.principal, &self.permission) {
            (Some(name), Some(perm)) => at
                .principal(twin, name)
                .is_some_and(|p| p.permissions.iter().any(|x| x == perm || x == WILDCARD)),
            _ => true,
        };
        let workload_ok = self
            .workload
            .as_deref()
            .is_none_or(|name| at.workload(twin, name).is_some_and(|w| w.ready));
        let route_ok = self
            .route
            .as_deref()
            .is_none_or(|route| at.waf_rule(twin, route).is_some_and(|r| r.serving));
        let pipeline_ok = self
            .pipeline
            .as_deref()
            .is_none_or(|name| at.pipeline(twin, name).is_some_and(|p| p.builds));
        let tenant_ok = self
            .tenant
            .as_deref()
            .is_none_or(|name| at.tenant(twin, name).is_some_and(|t| t.working));
        let control_ok = self
            .control
            .as_deref()
            .is_none_or(|name| at.control(twin, name).is_some_and(|c| c.compatible));
        service_ok
            && principal_ok
            && workload_ok
            && route_ok
            && pipeline_ok
            && tenant_ok
            && control_ok
    }
}
