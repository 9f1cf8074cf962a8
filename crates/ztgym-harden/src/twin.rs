//! The digital twin: its resources (each kind in its use case's module), seed 001's risk
//! formula summed per resource, and what a forecast saves to put back. The forecast of a
//! change is in [`crate::forecast`].

use crate::compliance::Control;
use crate::pipeline::Pipeline;
use crate::tenant::Tenant;
use crate::waf::WafRule;
use serde::{Deserialize, Serialize};

// Each resource kind lives with its use case; named here too, where they were before.
pub use crate::effect::FLOW_BREAKAGE;
pub use crate::flow::{cidr_holds, parse_cidr, Flow};
pub use crate::forecast::Forecast;
pub use crate::identity::{Principal, WILDCARD};
pub use crate::network::{Service, ANYWHERE, INTERNAL};
pub use crate::workload::{Workload, POD_ACTIONS, WORKLOAD_NEEDS};

/// A kind of resource a change touches or a flow names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Service,
    Principal,
    Workload,
    Route,
    Pipeline,
    Tenant,
    Control,
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
    pub(crate) fn value(&self) -> f64 {
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
    pub(crate) fn swapped(&self, kind: Kind, i: usize, old: f64, new: f64) -> f64 {
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
    pub(crate) fn score(&self, resources: f64) -> f64 {
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
    pub(crate) fn term(&self, kind: Kind, i: usize) -> f64 {
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
    pub(crate) fn save(&self, kind: Kind, i: usize) -> Saved {
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
}

fn share(total: usize, hits: usize) -> f64 {
    if total == 0 {
        0.0
    } else {
        hits as f64 / total as f64 * 10.0
    }
}
