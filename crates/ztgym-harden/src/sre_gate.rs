//! The SRE gym's gate written in Rego: a policy whose `broken` lists the rules a proposal
//! breaks (`{"id", "reason"}`, in checking order), evaluated in the VM under the instruction
//! budget. [`SRE_GATE`] is the shipped policy, which decides exactly as the built-in gate.
//!
//! Every id `broken` answers must be one of the gym's rules: a gate naming another would allow
//! what it meant to deny (the gym counts only the rules it knows). The ids are checked at load
//! by evaluating the policy on every combination of a proposal's fields (the gym's own inputs:
//! ids are usually computed, as the shipped policy's are, so the literals in the text would not
//! tell), and again at every decision, where an unknown id denies.

use crate::rego::{to_json, Policy, Query, RegoError};
use std::borrow::Cow;
use std::sync::{Arc, Mutex};
use ztgym_sre::action::Privileged;
use ztgym_sre::gate::{Broken, Decision, Gate, Proposal, Rule};

/// The SRE gym's rules in Rego, as shipped.
pub const SRE_GATE: &str = include_str!("../policies/sre_gate.rego");

/// An SRE gate on a Rego policy.
pub struct RegoSreGate {
    name: String,
    query: Mutex<Query>,
}

impl RegoSreGate {
    /// Compiles the policy's `broken` rule and checks its answer to every combination of a
    /// proposal's fields: a list of the gym's rules.
    pub fn new(policy: Policy) -> Result<RegoSreGate, RegoError> {
        let policy = Arc::new(policy);
        let mut query = policy.compile(&format!("{}.broken", policy.package()))?;
        for probe in probes() {
            let input = serde_json::to_value(&probe).unwrap_or_default();
            let v = query.eval(regorus::Value::from(input.clone()))?;
            parse(&v).map_err(|m| RegoError {
                kind: crate::rego::ErrorKind::Eval,
                file: policy.name().to_string(),
                line: None,
                column: None,
                message: format!("{m} (on the proposal {input})"),
            })?;
        }
        Ok(RegoSreGate {
            name: format!("rego:{}", policy.name()),
            query: Mutex::new(query),
        })
    }

    /// The shipped policy.
    pub fn shipped() -> RegoSreGate {
        RegoSreGate::new(Policy::load("sre_gate.rego", SRE_GATE).expect("the shipped policy loads"))
            .expect("the shipped policy compiles")
    }
}

/// Every combination of a proposal's fields: each action, protected or not, with a ticket or
/// not, investigated or not, below, at and above the isolation limit.
fn probes() -> Vec<Proposal> {
    let mut all = Vec::new();
    for action in Privileged::ALL {
        for bits in 0..8u8 {
            for isolated in 0..4 {
                all.push(Proposal {
                    action,
                    node: "probe".into(),
                    protected: bits & 1 != 0,
                    approved_ticket: bits & 2 != 0,
                    isolated_count: isolated,
                    max_concurrent_isolations: 2,
                    investigated: bits & 4 != 0,
                });
            }
        }
    }
    all
}

/// `broken` as the rules broken; an answer of another shape, or naming a rule the gym does not
/// know, is an error.
fn parse(v: &regorus::Value) -> Result<Vec<Broken>, String> {
    let json = to_json(v);
    let items = json.as_array().ok_or_else(|| {
        format!("`broken` must be an array of {{\"id\", \"reason\"}}, not {json}")
    })?;
    items
        .iter()
        .map(|b| {
            let id = b.get("id").and_then(|x| x.as_str());
            let reason = b.get("reason").and_then(|x| x.as_str());
            match (id, reason) {
                (Some(id), Some(_)) if Rule::parse(id).is_none() => Err(format!(
                    "`broken` names the rule {:?}, which the SRE gym does not know (its rules: {})",
                    ztgym_core::text::shorten(id, 80),
                    Rule::ALL.map(|r| r.as_str()).join(", ")
                )),
                (Some(id), Some(reason)) => Ok(Broken {
                    id: Cow::Owned(id.to_string()),
                    reason: Cow::Owned(reason.to_string()),
                }),
                _ => Err(format!(
                    "`broken` items must be {{\"id\", \"reason\"}}, not {b}"
                )),
            }
        })
        .collect()
}

impl Gate<Proposal> for RegoSreGate {
    fn name(&self) -> &str {
        &self.name
    }

    /// The rules broken. A policy that fails (past the budget, a wrong shape) denies, as a
    /// missing ticket would: the gate fails closed.
    fn check(&self, proposal: &Proposal) -> Decision {
        let input = serde_json::to_value(proposal).unwrap_or_default();
        let answer = match self.query.lock() {
            Ok(mut q) => q
                .eval(regorus::Value::from(input))
                .map_err(|e| e.to_string()),
            Err(_) => Err("the gate's evaluator was poisoned".to_string()),
        };
        match answer.and_then(|v| parse(&v)) {
            Ok(broken) => Decision { broken },
            Err(message) => Decision {
                broken: vec![Broken {
                    id: Cow::Borrowed(Rule::NoApprovedTicket.as_str()),
                    reason: Cow::Owned(format!("policy error (denied): {message}")),
                }],
            },
        }
    }
}
