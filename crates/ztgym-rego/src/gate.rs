//! A Rego policy as a gate over the core's [`Gate`] contract: its `broken` rule lists the rules
//! a proposal breaks (`{"id", "reason"}`, in checking order), evaluated in the VM under the
//! instruction budget on the proposal serialized to JSON.
//!
//! Every id `broken` answers must be one of the environment's rules: a gate naming another
//! would allow what it meant to deny (the environment counts only the rules it knows). The ids
//! are checked at load by evaluating the policy on probes (the environment's own inputs: ids
//! are usually computed, so the literals in the text would not tell), and again at every
//! decision, where an unknown id denies.

use crate::{to_json, Bundle, ErrorKind, Policy, Query, RegoError};
use serde::Serialize;
use std::borrow::Cow;
use std::marker::PhantomData;
use std::sync::{Arc, Mutex};
use ztgym_core::gate::{Broken, Decision, Gate};

/// The rules a gate may name.
#[derive(Clone, Debug)]
pub struct Rules {
    /// Whose rules they are, in messages (e.g. "the SRE gym").
    pub owner: &'static str,
    /// Every rule id, in checking order.
    pub ids: Vec<&'static str>,
    /// The rule a failing policy (past the budget, a wrong shape) is reported as breaking.
    pub fail_closed: &'static str,
}

/// A gate on a Rego policy's `broken` rule, for proposals of type `P`.
pub struct RegoRuleGate<P> {
    name: String,
    query: Mutex<Query>,
    rules: Rules,
    proposal: PhantomData<fn(&P)>,
}

impl<P: Serialize> RegoRuleGate<P> {
    /// Compiles the policy's `broken` rule and checks its answer to every probe: a list of
    /// `rules`.
    pub fn new(
        policy: Policy,
        rules: Rules,
        probes: impl IntoIterator<Item = P>,
    ) -> Result<RegoRuleGate<P>, RegoError> {
        let policy = Arc::new(policy);
        let query = policy.compile(&format!("{}.broken", policy.package()))?;
        RegoRuleGate::from_query(policy.name(), query, rules, probes)
    }

    /// As [`RegoRuleGate::new`], on a bundle: `package`'s `broken` rule (`data.gate`), with
    /// every module and the data document behind it.
    pub fn from_bundle(
        bundle: &Bundle,
        package: &str,
        rules: Rules,
        probes: impl IntoIterator<Item = P>,
    ) -> Result<RegoRuleGate<P>, RegoError> {
        let query = bundle.compile(&format!("{package}.broken"))?;
        let name = bundle
            .modules()
            .iter()
            .find(|m| m.package == package)
            .map_or(package, |m| m.name.as_str());
        RegoRuleGate::from_query(name, query, rules, probes)
    }

    /// The gate on a compiled `broken` rule, its answer to every probe checked.
    fn from_query(
        name: &str,
        mut query: Query,
        rules: Rules,
        probes: impl IntoIterator<Item = P>,
    ) -> Result<RegoRuleGate<P>, RegoError> {
        for probe in probes {
            let input = serde_json::to_value(&probe).unwrap_or_default();
            let v = query.eval(regorus::Value::from(input.clone()))?;
            parse(&v, &rules).map_err(|m| RegoError {
                kind: ErrorKind::Eval,
                file: name.to_string(),
                line: None,
                column: None,
                message: format!("{m} (on the proposal {input})"),
            })?;
        }
        Ok(RegoRuleGate {
            name: format!("rego:{name}"),
            query: Mutex::new(query),
            rules,
            proposal: PhantomData,
        })
    }
}

/// `broken` as the rules broken; an answer of another shape, or naming a rule not in `rules`,
/// is an error.
fn parse(v: &regorus::Value, rules: &Rules) -> Result<Vec<Broken>, String> {
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
                (Some(id), Some(_)) if !rules.ids.contains(&id) => Err(format!(
                    "`broken` names the rule {:?}, which {} does not know (its rules: {})",
                    ztgym_core::text::shorten(id, 80),
                    rules.owner,
                    rules.ids.join(", ")
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

impl<P: Serialize> Gate<P> for RegoRuleGate<P> {
    fn name(&self) -> &str {
        &self.name
    }

    /// The rules broken. A policy that fails (past the budget, a wrong shape) denies with the
    /// fail-closed rule: the gate fails closed.
    fn check(&self, proposal: &P) -> Decision {
        let input = serde_json::to_value(proposal).unwrap_or_default();
        let answer = match self.query.lock() {
            Ok(mut q) => q
                .eval(regorus::Value::from(input))
                .map_err(|e| e.to_string()),
            Err(_) => Err("the gate's evaluator was poisoned".to_string()),
        };
        match answer.and_then(|v| parse(&v, &self.rules)) {
            Ok(broken) => Decision { broken },
            Err(message) => Decision {
                broken: vec![Broken {
                    id: Cow::Borrowed(self.rules.fail_closed),
                    reason: Cow::Owned(format!("policy error (denied): {message}")),
                }],
            },
        }
    }
}
