//! One step: the action checked and handed to its tool, the clock, the episode's end.

use super::*;

impl Env {
    /// Advances one step.
    pub fn step(&mut self, action: &Action) -> Result<Step, StepError> {
        if !self.ep.started {
            return Err(StepError::NotReset);
        }
        if let Some(outcome) = self.ep.outcome {
            return Err(StepError::EpisodeOver { outcome });
        }
        let node = match action.node() {
            Some(name) => Some(self.node_index(action.tool(), name)?),
            None => None,
        };
        let ticket = match action {
            Action::CheckApproval { ticket } => Some(self.ticket_index(ticket)?),
            Action::PatchNode { cve, .. } if trim(cve).is_empty() => {
                return Err(StepError::EmptyField {
                    tool: "patch_node",
                    field: "cve",
                })
            }
            _ => None,
        };

        self.ep.step += 1;
        self.ep.logs = None;
        // Most steps have at most four events: one allocation.
        let mut events = Vec::with_capacity(4);
        events.push(Event {
            kind: EventKind::StepCost,
            reward: self.fx.scenario.rules().step_cost,
            cost: 0.0,
        });
        let mut costs = CostBreakdown::default();
        match (action, node, ticket) {
            (Action::QuerySiemLogs { .. }, Some(n), _) => self.query(n, &mut events),
            (
                Action::FileTicket {
                    action: what,
                    justification,
                    ..
                },
                Some(n),
                _,
            ) => self.file_ticket(n, *what, justification, &mut events),
            (Action::CheckApproval { .. }, _, Some(t)) => self.check_approval(t, &mut events),
            (Action::IsolateNode { .. }, Some(n), _) => {
                self.privileged(Privileged::Isolate, n, None, &mut events, &mut costs)
            }
            (Action::RestoreNode { .. }, Some(n), _) => {
                self.privileged(Privileged::Restore, n, None, &mut events, &mut costs)
            }
            (Action::PatchNode { cve, .. }, Some(n), _) => self.privileged(
                Privileged::Patch,
                n,
                Some(trim(cve)),
                &mut events,
                &mut costs,
            ),
            _ => {}
        }
        // Only the privileged actions change what the states follow from (isolations and
        // threats); the states are a function of those alone.
        if action.privileged().is_some() {
            self.refresh_states();
        }
        if self.ep.outcome.is_none() {
            if self.advance_attackers(&mut events) {
                self.refresh_states();
            }
            if self.ep.step >= self.ep.params.max_steps {
                events.push(Event {
                    kind: EventKind::SlaBreach {
                        max_steps: self.ep.params.max_steps,
                    },
                    reward: self.fx.scenario.rules().sla_breach,
                    cost: 0.0,
                });
                self.ep.outcome = Some(Outcome::Truncated);
            }
        }

        let reward: f64 = events.iter().map(|e| e.reward).sum();
        let cost = costs.total();
        self.ep.episode_return += reward;
        self.ep.episode_cost += cost;
        if let (Some(outcome), true) = (self.ep.outcome, self.ep.options.curriculum) {
            if let Some(first) = self.ep.threats.first() {
                let class = self.fx.cves[first.cve].class;
                self.curriculum
                    .record(class, outcome == Outcome::Success, self.ep.step);
            }
        }
        Ok(Step {
            observation: self.observation(),
            reward,
            cost,
            terminated: matches!(self.ep.outcome, Some(o) if o != Outcome::Truncated),
            truncated: self.ep.outcome == Some(Outcome::Truncated),
            info: self.info(events, costs),
        })
    }

    fn node_index(&self, tool: &'static str, name: &str) -> Result<usize, StepError> {
        if trim(name).is_empty() {
            return Err(StepError::EmptyField {
                tool,
                field: "node",
            });
        }
        self.fx
            .scenario
            .index_of(name)
            .ok_or_else(|| StepError::UnknownNode {
                tool,
                node: name.to_string(),
                known: self.fx.names.iter().map(|n| n.to_string()).collect(),
            })
    }

    fn ticket_index(&self, id: &str) -> Result<usize, StepError> {
        let trimmed = trim(id);
        if trimmed.is_empty() {
            return Err(StepError::EmptyField {
                tool: "check_approval",
                field: "ticket",
            });
        }
        self.ep
            .tickets
            .iter()
            .position(|t| t.id.eq_ignore_ascii_case(trimmed))
            .ok_or_else(|| StepError::UnknownTicket {
                ticket: id.to_string(),
                known: self.ep.tickets.iter().map(|t| t.id.to_string()).collect(),
            })
    }
}
