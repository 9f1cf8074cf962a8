//! Built-in agents: `random` (uniform over well-formed actions) and `sop` (a scripted,
//! compliant operator). Both see only what any agent sees: the observation and the info.

use crate::action::{Action, Privileged};
use crate::casefile::Casefile;
use crate::env::Env;
use crate::observation::{Info, Observation, TicketStatus};
use crate::rng::Rng;
use crate::scenario::Scenario;

/// Something that picks actions (the core's contract; an SRE gym agent is an `Agent<Env>`).
pub use ztgym_core::Agent;

/// The built-in agents' names.
pub const AGENTS: [&str; 2] = ["random", "sop"];

/// A built-in agent by name.
pub fn builtin_agent(name: &str, scenario: &Scenario) -> Result<Box<dyn Agent<Env>>, String> {
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

impl Agent<Env> for RandomAgent {
    fn name(&self) -> &str {
        "random"
    }

    fn reset(&mut self, seed: u64) {
        // Its own stream, so the agent's draws never shift the environment's.
        self.rng = Rng::new(seed ^ 0x5EED_A6E7_0000_0001);
    }

    fn act(&mut self, _observation: &Observation, info: &Info) -> Action {
        // The same draw as picking from `actions(VAGUE)`, without building the whole list.
        let mask = &info.action_mask;
        mask.nth(self.rng.below(mask.count()), VAGUE)
    }
}

/// A scripted operator who follows the book: investigate what alerts, file a ticket citing
/// the evidence, the blast radius and a rollback plan, wait for approval, then contain:
/// isolate when uptime allows, patch in place when it does not. It keeps a [`Casefile`] of
/// what the logs showed, the same one the learned agents use.
pub struct SopAgent {
    scenario: Scenario,
    casefile: Casefile,
}

impl SopAgent {
    pub fn new(scenario: &Scenario) -> Self {
        SopAgent {
            scenario: scenario.clone(),
            casefile: Casefile::new(scenario),
        }
    }

    /// Containment that keeps uptime above the floor: isolate if it can, else patch (a
    /// lateral attacker holds stolen credentials, so only isolation removes it).
    fn plan(&self, obs: &Observation, i: usize) -> Privileged {
        let notes = self.casefile.notes(i);
        if notes.lateral
            || notes.cves.is_empty()
            || Casefile::isolation_keeps_uptime(&self.scenario, obs, i)
        {
            Privileged::Isolate
        } else {
            Privileged::Patch
        }
    }
}

impl Agent<Env> for SopAgent {
    fn name(&self) -> &str {
        "sop"
    }

    fn reset(&mut self, _seed: u64) {
        self.casefile.clear();
    }

    fn act(&mut self, obs: &Observation, _info: &Info) -> Action {
        self.casefile.observe(obs);
        let index = |node: &str| obs.services.iter().position(|s| &*s.id == node);
        let uncontained = |node: &str| index(node).is_some_and(|i| Casefile::uncontained(obs, i));

        // 1. Carry out what is approved.
        for t in obs
            .tickets
            .iter()
            .filter(|t| t.status == TicketStatus::Approved)
        {
            if uncontained(&t.node) {
                let node = String::from(&*t.node);
                return match t.action {
                    Privileged::Isolate => Action::IsolateNode { node },
                    Privileged::Restore => Action::RestoreNode { node },
                    Privileged::Patch => {
                        let cve = index(&node)
                            .and_then(|i| self.casefile.notes(i).first_cve())
                            .unwrap_or_default()
                            .to_string();
                        Action::PatchNode { node, cve }
                    }
                };
            }
        }
        // 2. Collect verdicts that are ready.
        if let Some(t) = obs
            .tickets
            .iter()
            .find(|t| t.status == TicketStatus::Pending && obs.step + 1 >= t.ready_at)
        {
            return Action::CheckApproval {
                ticket: String::from(&*t.id),
            };
        }
        // 3. File a ticket for each confirmed compromise that has no live ticket.
        for (i, service) in obs.services.iter().enumerate() {
            let live = || {
                obs.tickets.iter().any(|t| {
                    t.node == service.id
                        && matches!(t.status, TicketStatus::Pending | TicketStatus::Approved)
                })
            };
            if self.casefile.notes(i).confirmed() && Casefile::uncontained(obs, i) && !live() {
                let action = self.plan(obs, i);
                return Action::FileTicket {
                    node: String::from(&*service.id),
                    action,
                    justification: self.casefile.justification(&self.scenario, obs, i, action),
                };
            }
        }
        // 4. Investigate the most severe alerting node not read since its last alert.
        match self.casefile.next_suspect(obs) {
            Some(i) => Action::QuerySiemLogs {
                node: String::from(&*obs.services[i].id),
            },
            None => Action::Wait,
        }
    }
}
