//! The SRE gym's gate written in Rego: a policy whose `broken` lists the rules a proposal
//! breaks (`{"id", "reason"}`, in checking order), evaluated in the VM under the instruction
//! budget ([`ztgym_rego::gate`]). [`SRE_GATE`] is the shipped policy, which decides exactly as
//! the built-in gate.
//!
//! Every id `broken` answers must be one of the gym's rules: a gate naming another would allow
//! what it meant to deny (the gym counts only the rules it knows). The ids are checked at load
//! by evaluating the policy on every combination of a proposal's fields (the gym's own inputs:
//! ids are usually computed, as the shipped policy's are, so the literals in the text would not
//! tell), and again at every decision, where an unknown id denies.

use crate::action::Privileged;
use crate::gate::{Decision, Gate, Proposal, Rule};
use ztgym_rego::gate::{RegoRuleGate, Rules};
use ztgym_rego::{load_paths, LoadOptions, Policy, RegoError};

/// The SRE gym's rules in Rego, as shipped.
pub const SRE_GATE: &str = include_str!("../policies/sre_gate.rego");

/// An SRE gate on a Rego policy.
pub struct RegoSreGate(RegoRuleGate<Proposal>);

impl RegoSreGate {
    /// Compiles the policy's `broken` rule and checks its answer to every combination of a
    /// proposal's fields: a list of the gym's rules.
    pub fn new(policy: Policy) -> Result<RegoSreGate, RegoError> {
        RegoRuleGate::new(policy, rules(), probes()).map(RegoSreGate)
    }

    /// The shipped policy.
    pub fn shipped() -> RegoSreGate {
        RegoSreGate::new(Policy::load("sre_gate.rego", SRE_GATE).expect("the shipped policy loads"))
            .expect("the shipped policy compiles")
    }
}

/// The gym's rules; a policy that fails denies as a missing ticket would (fail closed).
fn rules() -> Rules {
    Rules {
        owner: "the SRE gym",
        ids: Rule::ALL.map(Rule::as_str).to_vec(),
        fail_closed: Rule::NoApprovedTicket.as_str(),
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

impl Gate<Proposal> for RegoSreGate {
    fn name(&self) -> &str {
        self.0.name()
    }

    /// The rules broken. A policy that fails (past the budget, a wrong shape) denies, as a
    /// missing ticket would: the gate fails closed.
    fn check(&self, proposal: &Proposal) -> Decision {
        self.0.check(proposal)
    }
}

/// The package whose `broken` rule judges proposals when the gate is a bundle.
pub const BUNDLE_PACKAGE: &str = "data.ztgym.sre";

/// Reads a Rego policy file (`--gate FILE.rego`), or a bundle directory (`--gate DIR`: its
/// modules and data, the rules in package `ztgym.sre`), into a gate judging the gym's rules;
/// its errors are escaped for the terminal (they may quote the files).
pub fn load(path: &str) -> Result<Box<dyn crate::gate::Gate<crate::gate::Proposal>>, String> {
    let escape = |e: String| ztgym_core::command::safe(&e).into_owned();
    if std::path::Path::new(path).is_dir() {
        let bundle = load_paths(&[path], LoadOptions::default()).map_err(|e| {
            e.to_string()
                .split('\n')
                .map(|line| escape(line.to_string()))
                .collect::<Vec<_>>()
                .join("\n")
        })?;
        if !bundle.modules().iter().any(|m| m.package == BUNDLE_PACKAGE) {
            return Err(escape(format!(
                "{path}: no module of package ztgym.sre (the gate's rules: its `broken` rule)"
            )));
        }
        let gate = RegoRuleGate::from_bundle(&bundle, BUNDLE_PACKAGE, rules(), probes())
            .map_err(|e| escape(e.to_string()))?;
        return Ok(Box::new(RegoSreGate(gate)));
    }
    let text = ztgym_core::command::read(path, ztgym_core::fileio::Kind::Rego)?;
    let policy = Policy::load(path, &text).map_err(|e| escape(e.to_string()))?;
    let gate = RegoSreGate::new(policy).map_err(|e| escape(e.to_string()))?;
    Ok(Box::new(gate))
}
