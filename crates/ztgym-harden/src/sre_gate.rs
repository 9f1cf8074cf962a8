//! The SRE gym's gate written in Rego: a policy whose `broken` lists the rules a proposal
//! breaks (`{"id", "reason"}`, in checking order), evaluated in the VM under the instruction
//! budget. [`SRE_GATE`] is the shipped policy, which decides exactly as the built-in gate.

use crate::rego::{to_json, Policy, Query, RegoError};
use std::borrow::Cow;
use std::sync::{Arc, Mutex};
use ztgym_sre::gate::{Broken, Decision, Gate, Proposal, Rule};

/// The SRE gym's rules in Rego, as shipped.
pub const SRE_GATE: &str = include_str!("../policies/sre_gate.rego");

/// An SRE gate on a Rego policy.
pub struct RegoSreGate {
    name: String,
    query: Mutex<Query>,
}

impl RegoSreGate {
    /// Compiles the policy's `broken` rule and checks it answers a sample proposal.
    pub fn new(policy: Policy) -> Result<RegoSreGate, RegoError> {
        let policy = Arc::new(policy);
        let mut query = policy.compile(&format!("{}.broken", policy.package()))?;
        let probe = serde_json::json!({
            "action": "isolate", "node": "probe", "protected": false, "approved_ticket": true,
            "isolated_count": 0, "max_concurrent_isolations": 2, "investigated": true,
        });
        let v = query.eval(regorus::Value::from(probe))?;
        parse(&v).map_err(|m| RegoError {
            kind: crate::rego::ErrorKind::Eval,
            file: policy.name().to_string(),
            line: None,
            column: None,
            message: m,
        })?;
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

/// `broken` as the rules broken; an answer of another shape is an error.
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
