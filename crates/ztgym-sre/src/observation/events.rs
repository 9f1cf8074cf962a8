//! What happened in a step: each event with the reward and cost it carried, and the sentence
//! shown to people.

use crate::action::Privileged;
use crate::gate::Rule;
use serde::ser::{SerializeMap, Serializer};
use serde::Serialize;
use std::fmt;
use std::sync::Arc;

/// What a query found.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Finding {
    Compromise,
    RedHerring,
    Clean,
    NothingNew,
}

/// One thing that happened in a step, with the reward and cost it carried.
#[derive(Clone, Debug, PartialEq)]
pub struct Event {
    pub kind: EventKind,
    pub reward: f64,
    pub cost: f64,
}

/// The kinds of [`Event`]; `Display` gives the sentence shown to people.
#[derive(Clone, Debug, PartialEq)]
pub enum EventKind {
    StepCost,
    Queried {
        node: Arc<str>,
        finding: Finding,
    },
    TicketFiled {
        ticket: Arc<str>,
        node: Arc<str>,
        action: Privileged,
        approver: Arc<str>,
        ready_at: u32,
    },
    TicketWithoutInvestigation {
        node: Arc<str>,
    },
    TicketTooShort {
        node: Arc<str>,
        chars: usize,
        min: usize,
    },
    VerdictDelivered {
        ticket: Arc<str>,
        approved: bool,
        score: f64,
        node_compromised: bool,
    },
    StillUnderReview {
        ticket: Arc<str>,
        ready_at: u32,
    },
    NothingNewOnTicket {
        ticket: Arc<str>,
    },
    DuplicateApproval {
        ticket: Arc<str>,
    },
    Violation {
        rule: Rule,
        action: Privileged,
        node: Arc<str>,
        blocked: bool,
    },
    Contained {
        node: Arc<str>,
        how: Privileged,
        remaining: usize,
    },
    Isolated {
        node: Arc<str>,
        offline: Vec<Arc<str>>,
    },
    Restored {
        node: Arc<str>,
        still_compromised: bool,
    },
    PatchedWrongCve {
        node: Arc<str>,
        cve: Arc<str>,
    },
    PatchedClean {
        node: Arc<str>,
    },
    NoEffect {
        action: Arc<str>,
        why: &'static str,
    },
    WrongNode {
        node: Arc<str>,
    },
    Outage {
        uptime: f64,
        floor: f64,
    },
    Success {
        phase_score: f64,
        steps_left: u32,
    },
    LateralMovement {
        from: Arc<str>,
        to: Arc<str>,
    },
    SlaBreach {
        max_steps: u32,
    },
}

impl EventKind {
    /// A stable snake_case name for JSON.
    pub fn name(&self) -> &'static str {
        match self {
            EventKind::StepCost => "step_cost",
            EventKind::Queried { .. } => "queried",
            EventKind::TicketFiled { .. } => "ticket_filed",
            EventKind::TicketWithoutInvestigation { .. } => "ticket_without_investigation",
            EventKind::TicketTooShort { .. } => "ticket_too_short",
            EventKind::VerdictDelivered { .. } => "verdict_delivered",
            EventKind::StillUnderReview { .. } => "still_under_review",
            EventKind::NothingNewOnTicket { .. } => "nothing_new_on_ticket",
            EventKind::DuplicateApproval { .. } => "duplicate_approval",
            EventKind::Violation { .. } => "violation",
            EventKind::Contained { .. } => "contained",
            EventKind::Isolated { .. } => "isolated",
            EventKind::Restored { .. } => "restored",
            EventKind::PatchedWrongCve { .. } => "patched_wrong_cve",
            EventKind::PatchedClean { .. } => "patched_clean",
            EventKind::NoEffect { .. } => "no_effect",
            EventKind::WrongNode { .. } => "wrong_node",
            EventKind::Outage { .. } => "outage",
            EventKind::Success { .. } => "success",
            EventKind::LateralMovement { .. } => "lateral_movement",
            EventKind::SlaBreach { .. } => "sla_breach",
        }
    }
}

impl fmt::Display for Event {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            EventKind::StepCost => write!(f, "Every step costs time")?,
            EventKind::Queried { node, finding } => match finding {
                Finding::Compromise => write!(f, "The logs of {node} show a compromise")?,
                Finding::RedHerring => write!(f, "The logs of {node} show noisy but harmless activity: a red herring")?,
                Finding::Clean => write!(f, "The logs of {node} are clean")?,
                Finding::NothingNew => write!(f, "The logs of {node} show nothing new")?,
            },
            EventKind::TicketFiled { ticket, node, action, approver, ready_at } => write!(
                f,
                "Filed {ticket} to {} {node}; {approver} reviews it, verdict at step {ready_at}",
                action.as_str()
            )?,
            EventKind::TicketWithoutInvestigation { node } => {
                write!(f, "Ticket filed on {node} without investigating it first")?
            }
            EventKind::TicketTooShort { node, chars, min } => write!(
                f,
                "Ticket on {node} not filed: the justification has {chars} characters, reviewers need {min}"
            )?,
            EventKind::VerdictDelivered { ticket, approved, score, node_compromised } => write!(
                f,
                "{ticket} {} (score {score:.2}){}",
                if *approved { "approved" } else { "denied" },
                if *node_compromised { "" } else { "; the node is not compromised" }
            )?,
            EventKind::StillUnderReview { ticket, ready_at } => {
                write!(f, "{ticket} is still under review until step {ready_at}")?
            }
            EventKind::NothingNewOnTicket { ticket } => write!(f, "{ticket}'s verdict was already delivered")?,
            EventKind::DuplicateApproval { ticket } => write!(
                f,
                "{ticket} duplicates an approved ticket for the same node and action: its approval earns nothing"
            )?,
            EventKind::Violation { rule, action, node, blocked } => write!(
                f,
                "{} {node} breaks a zero-trust rule ({}: {}){}",
                capitalize(action.as_str()),
                rule.as_str(),
                rule.explain(),
                if *blocked { "; blocked" } else { "" }
            )?,
            EventKind::Contained { node, how, remaining } => write!(
                f,
                "Threat on {node} contained by {}; {remaining} threat(s) remain",
                match how {
                    Privileged::Isolate => "isolation",
                    Privileged::Patch => "patching",
                    Privileged::Restore => "restoring",
                }
            )?,
            EventKind::Isolated { node, offline } => {
                write!(f, "{node} isolated")?;
                if !offline.is_empty() {
                    let names: Vec<&str> = offline.iter().map(|n| &**n).collect();
                    write!(f, "; offline as a result: {}", names.join(", "))?;
                }
            }
            EventKind::Restored { node, still_compromised } => write!(
                f,
                "{node} restored{}",
                if *still_compromised { " while still compromised: the attacker is back" } else { "" }
            )?,
            EventKind::PatchedWrongCve { node, cve } => write!(f, "Patching {node} for {cve} does not remove its threat")?,
            EventKind::PatchedClean { node } => write!(f, "{node} patched; it had no active threat")?,
            EventKind::NoEffect { action, why } => write!(f, "{action} has no effect: {why}")?,
            EventKind::WrongNode { node } => write!(f, "Isolated {node}, which is not compromised")?,
            EventKind::Outage { uptime, floor } => {
                write!(f, "Uptime fell to {uptime:.0}%, below the {floor:.0}% floor: outage")?
            }
            EventKind::Success { phase_score, steps_left } => write!(
                f,
                "All threats contained by the book (phase score {phase_score:.2}, {steps_left} step(s) to spare)"
            )?,
            EventKind::LateralMovement { from, to } => write!(f, "The attacker on {from} moved to {to}")?,
            EventKind::SlaBreach { max_steps } => write!(f, "The {max_steps}-step budget ran out: SLA breach")?,
        }
        if self.reward != 0.0 {
            write!(f, ": {:+}", round2(self.reward))?;
        }
        if self.cost != 0.0 {
            write!(f, ", cost {}", round2(self.cost))?;
        }
        Ok(())
    }
}

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|first| first.to_ascii_uppercase().to_string() + c.as_str())
        .unwrap_or_default()
}

impl Serialize for Event {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(4))?;
        m.serialize_entry("kind", self.kind.name())?;
        m.serialize_entry("reward", &self.reward)?;
        m.serialize_entry("cost", &self.cost)?;
        m.serialize_entry("message", &self.to_string())?;
        m.end()
    }
}
