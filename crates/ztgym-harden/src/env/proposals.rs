//! The candidate proposals: every action on every resource that still needs it.

use super::HardenEnv;
use crate::twin::{ANYWHERE, WILDCARD};
use crate::types::Action;

impl HardenEnv {
    /// The candidate proposals now: for each of the seven actions, one per resource that
    /// still needs it (a service open to 0.0.0.0/0 to tighten, an unsegmented one, a
    /// principal holding `*:*`, without MFA, with a long-lived token), in the twin's order;
    /// an action with no such resource is proposed once with the scenario's default
    /// parameters (seed 001's `chooseDefaultParams`, which always aimed at checkout-api and
    /// app-role). A service's `tighten_to` range replaces the default `new_cidr`.
    pub fn proposals(&self) -> Vec<Action> {
        let tw = &self.twin;
        let mut out = Vec::new();
        for id in self.scenario.actions() {
            let defaults = self.scenario.params.get(id).cloned().unwrap_or_default();
            let services: Vec<&crate::twin::Service> = match id {
                "tighten_inbound_rule" => tw
                    .services
                    .iter()
                    .filter(|s| s.cidrs.iter().any(|c| c == ANYWHERE))
                    .collect(),
                "apply_segmentation" => tw.services.iter().filter(|s| !s.segmented).collect(),
                _ => Vec::new(),
            };
            let principals: Vec<&crate::twin::Principal> = match id {
                "remove_iam_permission" => tw
                    .principals
                    .iter()
                    .filter(|p| p.permissions.iter().any(|x| x == WILDCARD))
                    .collect(),
                "enforce_mfa" => tw.principals.iter().filter(|p| !p.mfa).collect(),
                "reduce_token_ttl" => tw.principals.iter().filter(|p| p.ttl_mins > 60).collect(),
                _ => Vec::new(),
            };
            let before = out.len();
            for w in tw.workloads.iter().filter(|w| w.needs_action(id)) {
                let mut params = defaults.clone();
                params.insert("workload".into(), w.name.clone().into());
                params.insert("namespace".into(), w.namespace.clone().into());
                out.push(Action {
                    id: id.to_string(),
                    params,
                    accepted: None,
                });
            }
            for c in tw.controls.iter().filter(|c| c.needs_action(id)) {
                let mut params = defaults.clone();
                params.insert("resource".into(), c.name.clone().into());
                out.push(Action {
                    id: id.to_string(),
                    params,
                    accepted: None,
                });
            }
            for t in tw.tenants.iter().filter(|t| t.needs_action(id)) {
                let mut params = defaults.clone();
                params.insert("tenant".into(), t.name.clone().into());
                out.push(Action {
                    id: id.to_string(),
                    params,
                    accepted: None,
                });
            }
            for p in tw.pipelines.iter().filter(|p| p.needs_action(id)) {
                let mut params = defaults.clone();
                params.insert("pipeline".into(), p.name.clone().into());
                out.push(Action {
                    id: id.to_string(),
                    params,
                    accepted: None,
                });
            }
            for r in tw.waf.iter().filter(|r| r.needs_action(id)) {
                let mut params = defaults.clone();
                params.insert("route".into(), r.route.clone().into());
                params.insert("service".into(), r.service.clone().into());
                params.insert("tier".into(), r.tier.clone().into());
                if id == "raise_waf_strictness" {
                    params.insert("to_strictness".into(), (r.strictness + 1).into());
                }
                out.push(Action {
                    id: id.to_string(),
                    params,
                    accepted: None,
                });
            }
            for s in services {
                let mut params = defaults.clone();
                params.insert("service".into(), s.name.clone().into());
                if let (Some(to), true) = (&s.tighten_to, id == "tighten_inbound_rule") {
                    params.insert("new_cidr".into(), to.clone().into());
                }
                out.push(Action {
                    id: id.to_string(),
                    params,
                    accepted: None,
                });
            }
            for p in principals {
                let mut params = defaults.clone();
                params.insert("principal".into(), p.name.clone().into());
                out.push(Action {
                    id: id.to_string(),
                    params,
                    accepted: None,
                });
            }
            if out.len() == before {
                out.push(Action {
                    id: id.to_string(),
                    params: defaults,
                    accepted: None,
                });
            }
        }
        out
    }
}
