//! Telemetry: the features sensed from the window, and drift making the next cycle's events.

use super::HardenEnv;
use crate::scenario::Event;
use crate::twin::{ANYWHERE, WILDCARD};
use crate::types::Features;
use serde_json::{json, Map, Value};

impl HardenEnv {
    /// Seed 001's features from the telemetry of the window, and the twin's hints updated.
    pub(super) fn sense(&mut self) -> (Vec<Event>, Features) {
        let from = self
            .cycle
            .saturating_sub(self.scenario.telemetry_window.saturating_sub(1));
        let mut events = Vec::new();
        let (mut failed, mut anomaly, mut exposure) = (0.0, 0.0, 0.0);
        for (c, ev) in &self.telemetry {
            if *c < from {
                continue;
            }
            let p = &ev.payload;
            if ev.kind == "failed_auth" || p.get("count_5m").is_some_and(|v| !v.is_null()) {
                failed += p.get("count_5m").and_then(Value::as_f64).unwrap_or(1.0);
            }
            if ev.kind == "anomaly" || p.get("score").is_some_and(|v| !v.is_null()) {
                anomaly += p.get("score").and_then(Value::as_f64).unwrap_or(1.0);
            }
            if ev.kind == "public_exposure"
                || p.get("cidr").and_then(Value::as_str) == Some(ANYWHERE)
            {
                exposure += 1.0;
            }
            if *c == self.cycle {
                events.push(ev.clone());
            }
        }
        self.twin.hints.failed_auth_rate_5m = failed;
        self.twin.hints.anomaly_score = anomaly;
        let features = Features {
            failed_auth_rate_5m: failed,
            anomaly_score: anomaly,
            open_inbound_ports_count: exposure,
            privilege_entropy_score: self.twin.privilege_entropy(),
            public_exposure_score: self.twin.public_exposure(),
        };
        (events, features)
    }

    /// Drift: the world keeps creating work (new exposures, attacks, permissions creeping
    /// back), as telemetry of the next cycle.
    pub(super) fn drift(&mut self) -> Vec<Event> {
        let next = self.cycle + 1;
        let d = self.scenario.drift.clone();
        let mut events = Vec::new();
        if self.rng.chance(d.exposure) {
            let i = self.rng.below(self.twin.services.len());
            let s = &mut self.twin.services[i];
            if !s.cidrs.iter().any(|c| c == ANYWHERE) {
                s.cidrs.push(ANYWHERE.to_string());
            }
            let port = s.ports.first().copied().unwrap_or(443);
            events.push(Event {
                source: "net".into(),
                kind: "public_exposure".into(),
                payload: json_map(json!({"service": s.name, "cidr": ANYWHERE, "port": port})),
            });
        }
        if self.rng.chance(d.attack) {
            let count = 5 + self.rng.below(46) as u64;
            let score = (30 + self.rng.below(60)) as f64 / 100.0;
            let i = self.rng.below(self.twin.principals.len());
            let who = self.twin.principals[i].name.clone();
            events.push(Event {
                source: "auth".into(),
                kind: "failed_auth".into(),
                payload: json_map(json!({"count_5m": count, "principal": who})),
            });
            events.push(Event {
                source: "sec".into(),
                kind: "anomaly".into(),
                payload: json_map(json!({"score": score, "reason": "spike in unusual geo logins"})),
            });
        }
        if self.rng.chance(d.creep) {
            let i = self.rng.below(self.twin.principals.len());
            let p = &mut self.twin.principals[i];
            if !p.permissions.iter().any(|x| x == WILDCARD) {
                p.permissions.push(WILDCARD.to_string());
            }
            events.push(Event {
                source: "iam".into(),
                kind: "broad_permission".into(),
                payload: json_map(json!({"principal": p.name, "permission": WILDCARD})),
            });
        }
        // Use case 2: a workload redeployed from an old manifest (drawn only when the twin
        // has workloads, so the other scenarios' streams are untouched).
        if !self.twin.workloads.is_empty() && self.rng.chance(d.posture) {
            let i = self.rng.below(self.twin.workloads.len());
            let w = &mut self.twin.workloads[i];
            w.privileged = true;
            events.push(Event {
                source: "k8s".into(),
                kind: "privileged_pod".into(),
                payload: json_map(json!({"workload": w.name, "namespace": w.namespace})),
            });
        }
        // Use case 4: attack signatures rise on a route (drawn only when the twin has WAF
        // rules).
        if !self.twin.waf.is_empty() && self.rng.chance(d.signatures) {
            let i = self.rng.below(self.twin.waf.len());
            let rise = (2 + self.rng.below(5)) as f64;
            let r = &mut self.twin.waf[i];
            r.attack = (r.attack + rise).min(10.0);
            events.push(Event {
                source: "waf".into(),
                kind: "attack_signatures".into(),
                payload: json_map(json!({"route": r.route, "attack": r.attack})),
            });
        }
        // Use case 7: a secret scan finds a leaked build secret (drawn only when the twin has
        // pipelines).
        if !self.twin.pipelines.is_empty() && self.rng.chance(d.leak) {
            let i = self.rng.below(self.twin.pipelines.len());
            let p = &mut self.twin.pipelines[i];
            p.secrets_age_days = 365;
            events.push(Event {
                source: "ci".into(),
                kind: "secret_scan_hit".into(),
                payload: json_map(json!({"pipeline": p.name})),
            });
        }
        // Use case 9: cross-tenant access attempts on a tenant (drawn only when the twin has
        // tenants).
        if !self.twin.tenants.is_empty() && self.rng.chance(d.probe) {
            let i = self.rng.below(self.twin.tenants.len());
            let count = (2 + self.rng.below(7)) as f64;
            let t = &mut self.twin.tenants[i];
            t.cross_tenant_attempts = (t.cross_tenant_attempts + count).min(10.0);
            events.push(Event {
                source: "platform".into(),
                kind: "cross_tenant_access".into(),
                payload: json_map(json!({"tenant": t.name, "attempts": count})),
            });
        }
        // Use case 6: a controlled resource drifts from its baseline (drawn only when the twin
        // has controls).
        if !self.twin.controls.is_empty() && self.rng.chance(d.config) {
            let i = self.rng.below(self.twin.controls.len());
            let c = &mut self.twin.controls[i];
            c.baseline = false;
            c.logging = false;
            events.push(Event {
                source: "config".into(),
                kind: "noncompliant_config".into(),
                payload: json_map(json!({"resource": c.name, "logging": false})),
            });
        }
        self.telemetry
            .extend(events.iter().map(|e| (next, e.clone())));
        let keep_from = next.saturating_sub(self.scenario.telemetry_window);
        self.telemetry.retain(|(c, _)| *c >= keep_from);
        events
    }
}

fn json_map(v: Value) -> Map<String, Value> {
    match v {
        Value::Object(m) => m,
        _ => Map::new(),
    }
}
