//! The gate's input for a proposal and its answer, kept by input.

use super::HardenEnv;
use crate::gate::GateDecision;
use crate::types::Action;
use serde_json::{json, Value};

impl HardenEnv {
    /// Seed 001's gate input for a proposal in the current state.
    pub fn gate_input(&self, action: &Action, risk_score: f64) -> Value {
        let text = |k: &str| {
            action
                .params
                .get(k)
                .cloned()
                .unwrap_or_else(|| Value::from("n/a"))
        };
        json!({
            "action": {"id": action.id, "params": action.params},
            "context": {
                "environment": self.environment.as_str(),
                "actor": {"type": "system", "name": "autonomous-hardener"},
                "resource": {"service": text("service"), "principal": text("principal")},
                "state": {"risk_score": risk_score},
            }
        })
    }

    /// The gate's decision on a proposal now (a policy error denies, with the error).
    ///
    /// A policy's answer depends on its input alone (no clock, randomness or network), so
    /// answers are kept by input and a proposal met again is not evaluated again.
    pub fn judge(&mut self, action: &Action, risk_score: f64) -> (Value, GateDecision) {
        let decision = self.decide(action, risk_score);
        (self.gate_input(action, risk_score), decision)
    }

    /// [`HardenEnv::judge`]'s decision alone.
    pub fn decide(&mut self, action: &Action, risk_score: f64) -> GateDecision {
        let mut key = String::with_capacity(96);
        key.push_str(&action.id);
        key.push('\u{0}');
        key.push_str(&serde_json::to_string(&action.params).unwrap_or_default());
        key.push('\u{0}');
        key.push_str(self.environment.as_str());
        key.push_str(&risk_score.to_bits().to_string());
        if let Some(d) = self.decisions.get(&key) {
            return d.clone();
        }
        let input = self.gate_input(action, risk_score);
        let decision = self
            .gate
            .decide(ztgym_rego::to_rego(&input))
            .unwrap_or_else(|e| GateDecision::failed(&e));
        if self.decisions.len() >= self.decisions_kept {
            self.decisions.clear();
        }
        self.decisions.insert(key, decision.clone());
        decision
    }
}
