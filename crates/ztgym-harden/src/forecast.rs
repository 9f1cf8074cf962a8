//! The twin's forecast of a change (seed 001's `simulateAction`): the risk after it, the
//! breakage risk and notes, and the critical flows it would break. Each action family's
//! effect on its resource lives with its use case (the crate's `effect` module).

use crate::compliance::{self, CONTROL_ACTIONS};
use crate::effect::{param, Effect, FLOW_BREAKAGE};
use crate::flow::{cidr_holds, Flow};
use crate::identity::{self, WILDCARD};
use crate::index::Index;
use crate::network;
use crate::pipeline::{self, PIPELINE_ACTIONS};
use crate::tenant::{self, TENANT_ACTIONS};
use crate::twin::{Kind, Saved, Total, Twin};
use crate::waf::{self, WAF_ACTIONS};
use crate::workload::{self, POD_ACTIONS};
use serde::Serialize;
use serde_json::{Map, Value};

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

impl Twin {
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
        let mut e = Effect::default();
        match id {
            "tighten_inbound_rule" | "apply_segmentation" | "quarantine_workload" => {
                network::effect(
                    slot.map(|i| &mut self.services[i]),
                    id,
                    name,
                    params,
                    &mut e,
                )
            }
            "remove_iam_permission" | "enforce_mfa" | "rotate_key" | "reduce_token_ttl" => {
                identity::effect(
                    slot.map(|i| &mut self.principals[i]),
                    id,
                    name,
                    params,
                    &mut e,
                )
            }
            id if POD_ACTIONS.contains(&id) => {
                workload::effect(slot.map(|i| &mut self.workloads[i]), id, name, &mut e)
            }
            id if WAF_ACTIONS.contains(&id) => {
                waf::effect(slot.map(|i| &mut self.waf[i]), id, name, &mut e)
            }
            id if PIPELINE_ACTIONS.contains(&id) => {
                pipeline::effect(slot.map(|i| &mut self.pipelines[i]), id, name, &mut e)
            }
            id if TENANT_ACTIONS.contains(&id) => {
                tenant::effect(slot.map(|i| &mut self.tenants[i]), id, name, &mut e)
            }
            id if CONTROL_ACTIONS.contains(&id) => {
                compliance::effect(slot.map(|i| &mut self.controls[i]), id, name, &mut e)
            }
            _ => {}
        }
        let Effect {
            mut breakage,
            mut notes,
            changes,
        } = e;
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

impl Flow {
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
