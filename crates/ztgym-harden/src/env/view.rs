//! What the agent sees: each candidate judged and forecast (with a rollback hint when only
//! recommending), and the info beside it.

use super::{HardenEnv, DECISIONS_KEPT};
use crate::gate::GateDecision;
use crate::index::Index;
use crate::twin::Twin;
use crate::types::{Action, Candidate, Cycle, Info, Observation};
use serde_json::Value;

impl HardenEnv {
    pub(super) fn observe(&mut self) -> Observation {
        let (_, features) = self.sense();
        let risk = self.twin.risk();
        let budget = self.budget();
        let proposals = self.proposals();
        self.decisions_kept = DECISIONS_KEPT.max(2 * proposals.len());
        let decisions: Vec<GateDecision> = proposals.iter().map(|a| self.decide(a, risk)).collect();
        // Each candidate is forecast on one copy of the twin, changed and put back in turn.
        let total = self.twin.total();
        let mut scratch = self.twin.clone();
        let mut candidates: Vec<Candidate> = proposals
            .into_iter()
            .zip(decisions)
            .map(|(action, d)| {
                let (forecast, saved) = scratch.apply(
                    &self.index,
                    &total,
                    &action.id,
                    &action.params,
                    budget,
                    &self.scenario.flows,
                    self.scenario.breakage.get(&action.id).copied(),
                );
                scratch.restore(saved);
                let rollback = self
                    .recommend_only
                    .then(|| rollback_hint(&self.twin, &self.index, &action));
                Candidate {
                    action,
                    allowed: d.allowed,
                    reasons: d.reasons,
                    forecast,
                    rollback,
                }
            })
            .collect();
        if self.recommend_only {
            // Ranked: what may run first, then the largest risk cut, the least breakage.
            candidates.sort_by(|a, b| {
                let key = |c: &Candidate| {
                    (
                        !(c.allowed && c.forecast.pass),
                        c.forecast.risk_delta,
                        c.forecast.breakage_risk,
                    )
                };
                key(a)
                    .partial_cmp(&key(b))
                    .unwrap_or(std::cmp::Ordering::Equal)
            });
        }
        Observation {
            cycle: self.cycle,
            environment: self.environment,
            features,
            risk_score: risk,
            candidates,
        }
    }

    pub(super) fn info(&self, o: &Observation, cycle: Option<Box<Cycle>>) -> Info {
        let mut action_mask: Vec<String> = Vec::new();
        for c in o.candidates.iter().filter(|c| c.allowed && c.forecast.pass) {
            if !action_mask.contains(&c.action.id) {
                action_mask.push(c.action.id.clone());
            }
        }
        Info {
            cycle,
            action_mask,
            totals: self.totals,
        }
    }
}

/// How to undo a change on `twin` (for a person reviewing a recommendation).
fn rollback_hint(twin: &Twin, at: &Index, action: &Action) -> String {
    let p = |k: &str| action.params.get(k).and_then(Value::as_str).unwrap_or("");
    match action.id.as_str() {
        "tighten_inbound_rule" => match at.service(twin, p("service")) {
            Some(s) => format!("restore {} allowedCidrs to {}", s.name, s.cidrs.join(", ")),
            None => "nothing to undo (unknown service)".into(),
        },
        "apply_segmentation" => format!("remove the segmentation policy of {}", p("service")),
        "remove_iam_permission" => {
            format!("grant {} back to {}", p("permission"), p("principal"))
        }
        "enforce_mfa" => format!("disable the MFA requirement of {}", p("principal")),
        "reduce_token_ttl" => match at.principal(twin, p("principal")) {
            Some(pr) => format!("set the token TTL of {} back to {}m", pr.name, pr.ttl_mins),
            None => "nothing to undo (unknown principal)".into(),
        },
        "rotate_key" => "re-issue the previous key from the vault (kept 24 h)".into(),
        "quarantine_workload" => format!("release {} from quarantine", p("service")),
        "apply_pod_security" | "drop_capabilities" | "enforce_resource_limits" => {
            match at.workload(twin, p("workload")) {
                Some(w) => format!(
                    "re-apply {}'s previous manifest (privileged={}, hostNetwork={}, hostPath={}, capabilities=[{}], limits={})",
                    w.name,
                    w.privileged,
                    w.host_network,
                    w.host_path,
                    w.capabilities.join(", "),
                    w.limits
                ),
                None => "nothing to undo (unknown workload)".into(),
            }
        }
        "sign_artifacts" | "pin_dependencies" | "restrict_runner" | "rotate_build_secrets" => {
            match at.pipeline(twin, p("pipeline")) {
                Some(pl) => format!(
                    "revert {}'s pipeline definition (signed {}, pinned {}, privileged runner {}; rotated secrets cannot be un-rotated)",
                    pl.name, pl.signed, pl.pinned, pl.privileged_runner
                ),
                None => "nothing to undo (unknown pipeline)".into(),
            }
        }
        "enforce_encryption" | "enforce_tls" | "enable_logging" | "apply_config_baseline" => {
            match at.control(twin, p("resource")) {
                Some(c) => format!(
                    "restore {}'s configuration (TLS 1.{} minimum, logging {}, baseline {}; data encrypted at rest stays encrypted)",
                    c.name, c.tls_min, c.logging, c.baseline
                ),
                None => "nothing to undo (unknown resource)".into(),
            }
        }
        "isolate_tenant_network" | "scope_tenant_identity" | "dedicate_shared_resources" => {
            match at.tenant(twin, p("tenant")) {
                Some(t) => format!(
                    "restore {}'s boundaries (network isolated {}, identity scoped {}, shared [{}])",
                    t.name,
                    t.network_isolated,
                    t.identity_scoped,
                    t.shared.join(", ")
                ),
                None => "nothing to undo (unknown tenant)".into(),
            }
        }
        "raise_waf_strictness" | "add_rate_limit" | "block_attack_pattern" => {
            match at.waf_rule(twin, p("route")) {
                Some(r) => format!(
                    "restore the WAF rule of {} (strictness {}, rate limit {}, pattern blocked {})",
                    r.route, r.strictness, r.rate_limited, r.pattern_blocked
                ),
                None => "nothing to undo (unknown route)".into(),
            }
        }
        _ => "nothing to undo".into(),
    }
}
