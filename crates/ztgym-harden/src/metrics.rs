//! Seed 001's evaluation (gate pass rate, mean and p95 breakage risk, reward trend, action
//! distribution) over played cycles, and each cycle as the seed's six audit tables.

use crate::env::Cycle;
use serde::Serialize;
use serde_json::{json, Value};
use std::collections::BTreeMap;

/// Seed 001's metrics over a run's cycles.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Evaluation {
    pub cycles: u64,
    /// Share of cycles whose proposal passed both gates (policy and twin): the seed's
    /// `simulations.pass_fail`.
    pub gate_pass_rate: f64,
    /// Share of proposals the policy allowed.
    pub policy_allow_rate: f64,
    pub mean_breakage_risk: f64,
    pub p95_breakage_risk: f64,
    /// Breakage that happened (the cost) per cycle.
    pub breakage_per_cycle: f64,
    pub mean_reward: f64,
    /// Mean reward of each tenth of the run, in order (the seed's reward trend).
    pub reward_trend: Vec<f64>,
    /// Proposals per action id.
    pub action_distribution: BTreeMap<String, u64>,
}

/// Accumulates cycles.
#[derive(Clone, Debug, Default)]
pub struct Collector {
    breakage: Vec<f64>,
    rewards: Vec<f64>,
    passed: u64,
    allowed: u64,
    cost: f64,
    actions: BTreeMap<String, u64>,
}

impl Collector {
    pub fn add(&mut self, c: &Cycle, cost: f64) {
        self.breakage.push(c.simulation.breakage_risk);
        self.rewards.push(c.reward.reward);
        self.passed += u64::from(c.decision.allowed && c.simulation.pass);
        self.allowed += u64::from(c.decision.allowed);
        self.cost += cost;
        *self.actions.entry(c.proposal.id.clone()).or_default() += 1;
    }

    pub fn finish(&self) -> Evaluation {
        let n = self.rewards.len();
        let nf = n.max(1) as f64;
        let mut sorted = self.breakage.clone();
        sorted.sort_by(f64::total_cmp);
        // The continuous percentile (PostgreSQL's percentile_cont), as the seed's SQL.
        let p95 = if sorted.is_empty() {
            0.0
        } else {
            let pos = 0.95 * (sorted.len() - 1) as f64;
            let (lo, hi) = (pos.floor() as usize, pos.ceil() as usize);
            sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo as f64)
        };
        let tenth = n.div_ceil(10).max(1);
        let q = |x: f64| (x * 1e9).round() / 1e9;
        Evaluation {
            cycles: n as u64,
            gate_pass_rate: q(self.passed as f64 / nf),
            policy_allow_rate: q(self.allowed as f64 / nf),
            mean_breakage_risk: q(self.breakage.iter().sum::<f64>() / nf),
            p95_breakage_risk: q(p95),
            breakage_per_cycle: q(self.cost / nf),
            mean_reward: q(self.rewards.iter().sum::<f64>() / nf),
            reward_trend: self
                .rewards
                .chunks(tenth)
                .map(|c| q(c.iter().sum::<f64>() / c.len() as f64))
                .collect(),
            action_distribution: self.actions.clone(),
        }
    }
}

/// One cycle as the seed's six tables' rows, one JSON object a line (`table` names the
/// table; `decision_id` ties them as the seed's foreign keys do).
pub fn audit_records(decision_id: u64, c: &Cycle) -> Vec<Value> {
    let mut rows: Vec<Value> = c
        .telemetry
        .iter()
        .map(|e| {
            json!({"table": "telemetry_events", "cycle": c.cycle, "source": e.source,
                   "type": e.kind, "payload": e.payload})
        })
        .collect();
    rows.push(
        json!({"table": "system_state", "id": decision_id, "cycle": c.cycle,
        "features": c.features, "risk_score": c.risk_score}),
    );
    rows.push(
        json!({"table": "decisions", "id": decision_id, "state_id": decision_id,
        "action_id": c.proposal.id, "action_params": c.proposal.params,
        "environment": c.environment, "policy": c.decision}),
    );
    rows.push(json!({"table": "simulations", "decision_id": decision_id,
        "pass_fail": c.decision.allowed && c.simulation.pass,
        "predicted_impact": {"before_risk": c.simulation.before_risk,
            "after_risk": c.simulation.after_risk, "risk_delta": c.simulation.risk_delta,
            "breakage_risk": c.simulation.breakage_risk, "notes": c.simulation.notes},
        "reason": c.decision.reason}));
    rows.push(json!({"table": "executions", "decision_id": decision_id,
        "status": c.execution.status, "applied_changes": c.execution.applied_changes,
        "breakage": c.execution.breakage}));
    rows.push(json!({"table": "rewards", "decision_id": decision_id,
        "reward_value": c.reward.reward, "reward_breakdown": {
            "risk_reduction": c.reward.risk_reduction, "breakageRisk": c.reward.breakage_risk,
            "policy_penalty": c.reward.policy_penalty, "exec_penalty": c.reward.exec_penalty}}));
    rows
}
