//! What the agent sees after each step, and the `info` beside it, with their JSON forms.

use crate::action::{Action, Privileged};
use crate::curriculum::Level;
use crate::gate::Rule;
use crate::judge::Reason;
use crate::siem::{Alert, LogLine};
use serde::ser::{SerializeMap, SerializeSeq, Serializer};
use serde::Serialize;
use std::fmt::{self, Write as _};
use std::sync::Arc;

/// A service's condition.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum ServiceState {
    Healthy,
    /// Depends on a compromised service.
    Degraded,
    /// An attacker is active on it.
    Compromised,
    /// Cut off the network by the operator.
    Isolated,
    /// Down because something it depends on is isolated or offline.
    Offline,
}

impl ServiceState {
    pub fn as_str(self) -> &'static str {
        match self {
            ServiceState::Healthy => "healthy",
            ServiceState::Degraded => "degraded",
            ServiceState::Compromised => "compromised",
            ServiceState::Isolated => "isolated",
            ServiceState::Offline => "offline",
        }
    }

    /// Whether the service counts as down for uptime.
    pub fn is_down(self) -> bool {
        matches!(self, ServiceState::Isolated | ServiceState::Offline)
    }
}

/// One service as the agent sees it.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ServiceView {
    pub id: Arc<str>,
    pub state: ServiceState,
    pub protected: bool,
}

/// A ticket's status.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum TicketStatus {
    /// Under review, or reviewed but not yet checked.
    Pending,
    Approved,
    Denied,
    /// Approved and spent on its action.
    Used,
}

/// One ticket as the agent sees it: the verdict shows only once `check_approval` delivered it.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct TicketView {
    pub id: Arc<str>,
    pub node: Arc<str>,
    pub action: Privileged,
    pub justification: Arc<str>,
    pub approver: Arc<str>,
    pub status: TicketStatus,
    pub filed_at: u32,
    /// The first step at which `check_approval` can deliver the verdict.
    pub ready_at: u32,
    pub score: Option<f64>,
    pub reason: Option<Reason>,
}

/// The logs a `query_siem_logs` returned.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct LogQuery {
    pub node: Arc<str>,
    pub lines: Arc<[LogLine]>,
}

/// The observation.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Observation {
    pub scenario: Arc<str>,
    pub level: Level,
    pub step: u32,
    pub max_steps: u32,
    /// Percent of service capacity up.
    pub uptime: f64,
    pub services: Vec<ServiceView>,
    /// Alerts still open: real threats until contained, red herrings, recent noise.
    pub alerts: Vec<Alert>,
    pub tickets: Vec<TicketView>,
    /// The logs returned by this step's query, if it was one.
    pub logs: Option<LogQuery>,
}

impl Observation {
    /// The observation as a plain-text prompt for a language-model agent.
    pub fn to_prompt(&self) -> String {
        let mut s = String::new();
        let _ = writeln!(
            s,
            "Scenario {} ({}), step {}/{}, uptime {:.0}%.",
            self.scenario,
            self.level.as_str(),
            self.step,
            self.max_steps,
            self.uptime
        );
        s.push_str("Services:\n");
        for v in &self.services {
            let _ = writeln!(
                s,
                "- {}: {}{}",
                v.id,
                v.state.as_str(),
                if v.protected { " (protected)" } else { "" }
            );
        }
        s.push_str("Open alerts:\n");
        if self.alerts.is_empty() {
            s.push_str("- none\n");
        }
        for a in &self.alerts {
            let _ = writeln!(
                s,
                "- {} [{}] {}: {}",
                a.label(),
                a.severity.as_str(),
                a.host,
                a.message()
            );
        }
        s.push_str("Tickets:\n");
        if self.tickets.is_empty() {
            s.push_str("- none\n");
        }
        for t in &self.tickets {
            let _ = write!(
                s,
                "- {} {} {} by {}: {}",
                t.id,
                t.action.as_str(),
                t.node,
                t.approver,
                serde_json::to_string(&t.status)
                    .unwrap_or_default()
                    .trim_matches('"')
            );
            match &t.reason {
                Some(r) => {
                    let _ = writeln!(s, " ({r})");
                }
                None => {
                    let _ = writeln!(s, " (verdict ready at step {})", t.ready_at);
                }
            }
        }
        if let Some(q) = &self.logs {
            let _ = writeln!(s, "Logs of {}:", q.node);
            for line in q.lines.iter() {
                let _ = writeln!(s, "  {line}");
            }
        }
        s.push_str(
            "Tools: query_siem_logs(node), file_ticket(node, action, justification), check_approval(ticket), \
             isolate_node(node), restore_node(node), patch_node(node, cve), wait.\n",
        );
        s
    }
}

/// How an episode ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// Every threat contained with uptime at or above the floor.
    Success,
    /// A privileged action without an approved ticket.
    Violation,
    /// Containment left uptime below the floor.
    Outage,
    /// A healthy node was isolated.
    WrongNode,
    /// The step budget ran out.
    Truncated,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Success => "success",
            Outcome::Violation => "violation",
            Outcome::Outage => "outage",
            Outcome::WrongNode => "wrong_node",
            Outcome::Truncated => "truncated",
        }
    }
}

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

/// The cost of a step, per zero-trust rule.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct CostBreakdown {
    pub no_approved_ticket: f64,
    pub protected_node: f64,
    pub concurrent_isolations: f64,
    pub not_investigated: f64,
}

impl CostBreakdown {
    pub fn total(&self) -> f64 {
        self.no_approved_ticket
            + self.protected_node
            + self.concurrent_isolations
            + self.not_investigated
    }

    pub(crate) fn add(&mut self, rule: Rule, cost: f64) {
        match rule {
            Rule::NoApprovedTicket => self.no_approved_ticket += cost,
            Rule::ProtectedNode => self.protected_node += cost,
            Rule::ConcurrentIsolations => self.concurrent_isolations += cost,
            Rule::NotInvestigated => self.not_investigated += cost,
        }
    }
}

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

/// The `info` returned beside each observation.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Info {
    pub action_mask: ActionMask,
    /// This step's cost, per rule.
    pub cost_breakdown: CostBreakdown,
    /// What happened and why, with each part of the reward.
    pub events: Vec<Event>,
    /// Set on the step that ends the episode.
    pub outcome: Option<Outcome>,
    pub episode_return: f64,
    pub episode_cost: f64,
    pub threats_remaining: usize,
    pub steps_remaining: u32,
}

/// The result of one step (the core's, with this gym's observation and info).
pub type Step = ztgym_core::Step<Observation, Info>;
