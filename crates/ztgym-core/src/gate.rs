//! The zero-trust gate contract: may this proposed action run in this state?
//!
//! An environment asks its gate before every privileged action and charges a cost for each rule
//! broken. A decision lists every rule broken, each with its id and a reason, so a gate written
//! in Rust and one written as a policy (Rego) answer in the same shape and can be compared.

use serde::Serialize;
use std::borrow::Cow;

/// One rule a proposal breaks.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Broken {
    /// The rule's id, e.g. `no_approved_ticket`.
    pub id: Cow<'static, str>,
    /// Why the rule exists or why it fired, for people.
    pub reason: Cow<'static, str>,
}

/// A gate's answer: every rule broken, in checking order (empty = allowed).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Decision {
    pub broken: Vec<Broken>,
}

impl Decision {
    /// No rule is broken.
    pub fn allowed(&self) -> bool {
        self.broken.is_empty()
    }

    /// The ids of the rules broken, in order.
    pub fn ids(&self) -> impl Iterator<Item = &str> {
        self.broken.iter().map(|b| b.id.as_ref())
    }
}

/// Judges proposals of type `P`. Implementations must be deterministic (no clock, no
/// randomness, no network), so the same episode gives the same decisions everywhere.
pub trait Gate<P>: Send + Sync {
    /// The gate's name, shown beside its decisions.
    fn name(&self) -> &str;
    /// Every rule `proposal` breaks.
    fn check(&self, proposal: &P) -> Decision;
    /// Whether `proposal` breaks no rule: what an action mask asks every step, which a gate
    /// may answer without listing the rules.
    fn allows(&self, proposal: &P) -> bool {
        self.check(proposal).allowed()
    }
}
