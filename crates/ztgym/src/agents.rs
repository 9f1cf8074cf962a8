//! Built-in agents: `random` (uniform over well-formed actions) and `sop` (a scripted,
//! compliant operator). Both see only what any agent sees: the observation and the info.

use crate::action::{Action, Privileged};
use crate::observation::{Info, Observation, ServiceState, TicketStatus};
use crate::rng::Rng;
use crate::scenario::Scenario;
use crate::siem::{LogEvent, Severity};
use std::collections::BTreeMap;
use std::fmt::Write as _;

/// Something that picks actions.
pub trait Agent {
    /// The agent's name, as on the command line.
    fn name(&self) -> &str;
    /// Called at the start of each episode with the episode's seed.
    fn reset(&mut self, seed: u64);
    /// The next action.
    fn act(&mut self, observation: &Observation, info: &Info) -> Action;
}

/// The built-in agents' names.
pub const AGENTS: [&str; 2] = ["random", "sop"];

/// A built-in agent by name.
pub fn builtin_agent(name: &str, scenario: &Scenario) -> Result<Box<dyn Agent>, String> {
    match name {
        "random" => Ok(Box::new(RandomAgent::new())),
        "sop" => Ok(Box::new(SopAgent::new(scenario))),
        other => Err(format!(
            "agent: unknown agent {other:?} (known: {})",
            AGENTS.join(", ")
        )),
    }
}

/// Uniform over the well-formed actions of the mask; files tickets with a vague justification.
pub struct RandomAgent {
    rng: Rng,
}

impl RandomAgent {
    pub fn new() -> Self {
        RandomAgent { rng: Rng::new(0) }
    }
}

impl Default for RandomAgent {
    fn default() -> Self {
        Self::new()
    }
}

/// What the random agent writes in tickets: long enough to be read, no evidence.
const VAGUE: &str = "Suspicious activity observed on this node; requesting the change.";

impl Agent for RandomAgent {
    fn name(&self) -> &str {
        "random"
    }

    fn reset(&mut self, seed: u64) {
        // Its own stream, so the agent's draws never shift the environment's.
        self.rng = Rng::new(seed ^ 0x5EED_A6E7_0000_0001);
    }

    fn act(&mut self, _observation: &Observation, info: &Info) -> Action {
        let actions = info.action_mask.actions(VAGUE);
        actions[self.rng.below(actions.len())].clone()
    }
}

/// What the SOP agent knows about a node from the logs it read.
#[derive(Clone, Debug, Default)]
struct Finding {
    cves: Vec<String>,
    indicators: Vec<String>,
    /// Reached by lateral movement: only isolation removes it.
    lateral: bool,
    /// Alert count on the node when its logs were last read.
    alerts_seen: usize,
}

/// A scripted operator who follows the book: investigate what alerts, file a ticket citing
/// the evidence, the blast radius and a rollback plan, wait for approval, then contain:
/// isolate when uptime allows, patch in place when it does not.
pub struct SopAgent {
    scenario: Scenario,
    findings: BTreeMap<String, Finding>,
}

impl SopAgent {
    pub fn new(scenario: &Scenario) -> Self {
        SopAgent {
            scenario: scenario.clone(),
            findings: BTreeMap::new(),
        }
    }

    fn learn_from_logs(&mut self, obs: &Observation) {
        let Some(q) = &obs.logs else { return };
        let alerts = obs.alerts.iter().filter(|a| a.host == q.node).count();
        let f = self.findings.entry(q.node.to_string()).or_default();
        f.alerts_seen = alerts;
        for line in q.lines.iter() {
            let mut add = |s: String| {
                if !f.indicators.contains(&s) {
                    f.indicators.push(s);
                }
            };
            match &line.event {
                LogEvent::ExploitAttempt { src, cve, .. } => {
                    if !f.cves.contains(&cve.id) {
                        f.cves.push(cve.id.clone());
                    }
                    add(src.to_string());
                }
                LogEvent::LateralLogin { src, role, .. } => {
                    f.lateral = true;
                    add(src.to_string());
                    add(role.to_string());
                }
                LogEvent::ProcessSpawn { role, process } => {
                    add(role.to_string());
                    add(process.to_string());
                }
                LogEvent::OutboundTransfer { dst, .. } => add(dst.to_string()),
                _ => {}
            }
        }
    }

    /// Containment that keeps uptime above the floor: isolate if it can, else patch.
    fn plan(&self, obs: &Observation, node: &str, f: &Finding) -> Privileged {
        let rules = self.scenario.rules();
        let Some(i) = self.scenario.index_of(node) else {
            return Privileged::Isolate;
        };
        if f.lateral || f.cves.is_empty() {
            return Privileged::Isolate;
        }
        let mut lost = 0.0;
        for j in std::iter::once(i).chain(self.scenario.blast_radius(i)) {
            if !obs.services[j].state.is_down() {
                lost += self.scenario.services()[j].uptime_weight;
            }
        }
        let isolated = obs
            .services
            .iter()
            .filter(|s| s.state == ServiceState::Isolated)
            .count();
        if obs.uptime - lost >= rules.min_uptime && isolated < rules.max_concurrent_isolations {
            Privileged::Isolate
        } else {
            Privileged::Patch
        }
    }

    fn justification(
        &self,
        obs: &Observation,
        node: &str,
        action: Privileged,
        f: &Finding,
    ) -> String {
        let mut s = format!("Request to {} {node}. ", action.as_str());
        let alerts: Vec<String> = obs
            .alerts
            .iter()
            .filter(|a| &*a.host == node)
            .map(|a| a.label())
            .collect();
        if !alerts.is_empty() {
            let _ = write!(s, "Alerts {} fired on {node}. ", alerts.join(", "));
        }
        if !f.cves.is_empty() {
            let _ = write!(
                s,
                "Its SIEM logs show exploitation of {}. ",
                f.cves.join(", ")
            );
        }
        if f.lateral {
            s.push_str("Its logs show a lateral login from a compromised neighbour. ");
        }
        let _ = write!(
            s,
            "Indicators seen in its logs: {}. ",
            f.indicators.join("; ")
        );
        let radius: Vec<String> = self
            .scenario
            .index_of(node)
            .map(|i| {
                self.scenario
                    .blast_radius(i)
                    .into_iter()
                    .map(|j| self.scenario.names[j].to_string())
                    .collect()
            })
            .unwrap_or_default();
        match (action, radius.is_empty()) {
            (Privileged::Isolate, false) => {
                let _ = write!(
                    s,
                    "Blast radius: {} will go offline while {node} is isolated. ",
                    radius.join(", ")
                );
            }
            (Privileged::Isolate, true) => s.push_str("Blast radius: no dependents go offline. "),
            _ => s.push_str("Blast radius: patched in place, no downtime for dependents. "),
        }
        s.push_str(
            "Rollback plan: restore_node once patched, or revert the change from the runbook.",
        );
        s
    }
}

impl Agent for SopAgent {
    fn name(&self) -> &str {
        "sop"
    }

    fn reset(&mut self, _seed: u64) {
        self.findings.clear();
    }

    fn act(&mut self, obs: &Observation, _info: &Info) -> Action {
        self.learn_from_logs(obs);
        let next_step = obs.step + 1;
        let compromised = |node: &str| {
            obs.services
                .iter()
                .any(|s| &*s.id == node && s.state != ServiceState::Isolated)
                && obs
                    .alerts
                    .iter()
                    .any(|a| &*a.host == node && a.kind.is_threat())
        };

        // 1. Carry out what is approved.
        for t in obs
            .tickets
            .iter()
            .filter(|t| t.status == TicketStatus::Approved)
        {
            if compromised(&t.node) {
                let node = t.node.to_string();
                return match t.action {
                    Privileged::Isolate => Action::IsolateNode { node },
                    Privileged::Restore => Action::RestoreNode { node },
                    Privileged::Patch => {
                        let cve = self
                            .findings
                            .get(&node)
                            .and_then(|f| f.cves.first().cloned())
                            .unwrap_or_default();
                        Action::PatchNode { node, cve }
                    }
                };
            }
        }
        // 2. Collect verdicts that are ready.
        if let Some(t) = obs
            .tickets
            .iter()
            .find(|t| t.status == TicketStatus::Pending && next_step >= t.ready_at)
        {
            return Action::CheckApproval {
                ticket: t.id.to_string(),
            };
        }
        // 3. File a ticket for each confirmed compromise that has no live ticket.
        for (node, f) in &self.findings {
            let confirmed = !f.cves.is_empty() || f.lateral;
            let live = obs.tickets.iter().any(|t| {
                *t.node == **node
                    && matches!(t.status, TicketStatus::Pending | TicketStatus::Approved)
            });
            if confirmed && compromised(node) && !live {
                let action = self.plan(obs, node, f);
                return Action::FileTicket {
                    node: node.clone(),
                    action,
                    justification: self.justification(obs, node, action, f),
                };
            }
        }
        // 4. Investigate alerting nodes not read since their last alert, most severe first.
        let mut suspects: Vec<(Severity, u32, &str)> = obs
            .alerts
            .iter()
            .filter(|a| a.severity >= Severity::Medium)
            .map(|a| (a.severity, a.id, &*a.host))
            .collect();
        suspects.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        for (_, _, node) in suspects {
            let alerts_now = obs.alerts.iter().filter(|a| &*a.host == node).count();
            let read = self
                .findings
                .get(node)
                .is_some_and(|f| f.alerts_seen >= alerts_now);
            if !read {
                return Action::QuerySiemLogs {
                    node: node.to_string(),
                };
            }
        }
        Action::Wait
    }
}
