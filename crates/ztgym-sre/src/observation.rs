//! What the agent sees after each step, and the `info` beside it, with their JSON forms.

use crate::action::Privileged;
use crate::curriculum::Level;
use crate::gate::Rule;
use crate::judge::Reason;
use crate::siem::{Alert, LogLine};
use serde::Serialize;
use std::fmt::Write as _;
use std::sync::Arc;

mod events;
mod mask;

pub use events::{Event, EventKind, Finding};
pub use mask::ActionMask;

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
