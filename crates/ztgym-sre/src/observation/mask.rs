//! The action mask: which actions are well-formed now, and its JSON form.

use crate::action::{Action, Privileged};
use serde::ser::{SerializeMap, SerializeSeq, Serializer};
use serde::Serialize;
use std::sync::Arc;

/// Which actions are well-formed now: they name existing things and would change something.
/// Rule-breaking actions stay in the mask: the constraint is for the agent to learn.
#[derive(Clone, Debug, PartialEq)]
pub struct ActionMask {
    pub(crate) names: Arc<[Arc<str>]>,
    /// Bit i: service i may be queried / ticketed / isolated / restored / patched.
    pub query: u64,
    pub file_ticket: u64,
    pub isolate: u64,
    pub restore: u64,
    pub patch: u64,
    /// Tickets whose verdict has not been delivered.
    pub check: Vec<Arc<str>>,
    /// CVE ids seen in logs so far, the candidates for `patch_node`.
    pub patch_cves: Vec<Arc<str>>,
}

impl ActionMask {
    fn nodes(&self, bits: u64) -> impl Iterator<Item = &Arc<str>> {
        self.names
            .iter()
            .enumerate()
            .filter(move |(i, _)| bits >> i & 1 == 1)
            .map(|(_, n)| n)
    }

    /// Whether an action is well-formed under this mask.
    pub fn allows(&self, action: &Action) -> bool {
        let bit = |bits: u64, node: &str| {
            self.names
                .iter()
                .position(|n| &**n == node)
                .is_some_and(|i| bits >> i & 1 == 1)
        };
        match action {
            Action::QuerySiemLogs { node } => bit(self.query, node),
            Action::FileTicket { node, .. } => bit(self.file_ticket, node),
            Action::CheckApproval { ticket } => self.check.iter().any(|t| **t == **ticket),
            Action::IsolateNode { node } => bit(self.isolate, node),
            Action::RestoreNode { node } => bit(self.restore, node),
            Action::PatchNode { node, .. } => bit(self.patch, node),
            Action::Wait => true,
        }
    }

    /// The bits of `bits` that name a service.
    fn known(&self, bits: u64) -> u64 {
        match self.names.len() {
            64.. => bits,
            n => bits & ((1 << n) - 1),
        }
    }

    /// The name of the `k`-th service whose bit is set.
    fn nth_node(&self, bits: u64, k: usize) -> Option<String> {
        let mut bits = self.known(bits);
        for _ in 0..k {
            bits &= bits.wrapping_sub(1);
        }
        (bits != 0).then(|| String::from(&*self.names[bits.trailing_zeros() as usize]))
    }

    /// How many actions [`ActionMask::actions`] lists.
    pub fn count(&self) -> usize {
        let n = |bits: u64| self.known(bits).count_ones() as usize;
        n(self.query)
            + n(self.file_ticket) * Privileged::ALL.len()
            + self.check.len()
            + n(self.isolate)
            + n(self.restore)
            + n(self.patch) * self.patch_cves.len()
            + 1
    }

    /// The `k`-th action of [`ActionMask::actions`] (`Wait` past the end), built alone.
    pub fn nth(&self, k: usize, justification: &str) -> Action {
        let mut k = k;
        let node = |bits: u64, k: usize| self.nth_node(bits, k);
        let n = |bits: u64| self.known(bits).count_ones() as usize;
        // Each block: how many actions it holds, and how to build its i-th.
        let query = n(self.query);
        if k < query {
            return Action::QuerySiemLogs {
                node: node(self.query, k).unwrap_or_default(),
            };
        }
        k -= query;
        let tickets = n(self.file_ticket) * Privileged::ALL.len();
        if k < tickets {
            let per = Privileged::ALL.len();
            return Action::FileTicket {
                node: node(self.file_ticket, k / per).unwrap_or_default(),
                action: Privileged::ALL[k % per],
                justification: justification.into(),
            };
        }
        k -= tickets;
        if k < self.check.len() {
            return Action::CheckApproval {
                ticket: String::from(&*self.check[k]),
            };
        }
        k -= self.check.len();
        let isolate = n(self.isolate);
        if k < isolate {
            return Action::IsolateNode {
                node: node(self.isolate, k).unwrap_or_default(),
            };
        }
        k -= isolate;
        let restore = n(self.restore);
        if k < restore {
            return Action::RestoreNode {
                node: node(self.restore, k).unwrap_or_default(),
            };
        }
        k -= restore;
        let per = self.patch_cves.len();
        if k < n(self.patch) * per {
            return Action::PatchNode {
                node: node(self.patch, k / per).unwrap_or_default(),
                cve: String::from(&*self.patch_cves[k % per]),
            };
        }
        Action::Wait
    }

    /// Every well-formed action, with `justification` used for tickets (one per privileged
    /// action and node) and each seen CVE for patches.
    pub fn actions(&self, justification: &str) -> Vec<Action> {
        let mut out = Vec::new();
        for n in self.nodes(self.query) {
            out.push(Action::QuerySiemLogs {
                node: String::from(&**n),
            });
        }
        for n in self.nodes(self.file_ticket) {
            for action in Privileged::ALL {
                out.push(Action::FileTicket {
                    node: String::from(&**n),
                    action,
                    justification: justification.into(),
                });
            }
        }
        for t in &self.check {
            out.push(Action::CheckApproval {
                ticket: String::from(&**t),
            });
        }
        for n in self.nodes(self.isolate) {
            out.push(Action::IsolateNode {
                node: String::from(&**n),
            });
        }
        for n in self.nodes(self.restore) {
            out.push(Action::RestoreNode {
                node: String::from(&**n),
            });
        }
        for n in self.nodes(self.patch) {
            for cve in &self.patch_cves {
                out.push(Action::PatchNode {
                    node: String::from(&**n),
                    cve: String::from(&**cve),
                });
            }
        }
        out.push(Action::Wait);
        out
    }
}

struct Names<'a>(Vec<&'a Arc<str>>);

impl Serialize for Names<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(Some(self.0.len()))?;
        for n in &self.0 {
            seq.serialize_element(&***n)?;
        }
        seq.end()
    }
}

impl Serialize for ActionMask {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(8))?;
        m.serialize_entry("query_siem_logs", &Names(self.nodes(self.query).collect()))?;
        m.serialize_entry(
            "file_ticket",
            &Names(self.nodes(self.file_ticket).collect()),
        )?;
        m.serialize_entry("check_approval", &self.check)?;
        m.serialize_entry("isolate_node", &Names(self.nodes(self.isolate).collect()))?;
        m.serialize_entry("restore_node", &Names(self.nodes(self.restore).collect()))?;
        m.serialize_entry("patch_node", &Names(self.nodes(self.patch).collect()))?;
        m.serialize_entry("patch_cves", &self.patch_cves)?;
        m.serialize_entry("wait", &true)?;
        m.end()
    }
}
