//! `file_ticket` and `check_approval`: change tickets and their review.

use super::*;

impl Env {
    pub(super) fn file_ticket(
        &mut self,
        node: usize,
        action: Privileged,
        justification: &str,
        events: &mut Vec<Event>,
    ) {
        let rules = self.fx.scenario.rules();
        let name = self.fx.names[node].clone();
        let trimmed = trim(justification);
        // A char is at most four bytes (one in ASCII): a text of four times the minimum in
        // bytes, or of the minimum in ASCII, is long enough without counting its chars.
        let min = rules.min_justification_chars;
        let chars = || match trimmed.is_ascii() {
            true => trimmed.len(),
            false => trimmed.chars().count(),
        };
        if trimmed.len() < min.saturating_mul(4) && chars() < min {
            let chars = chars();
            events.push(Event {
                kind: EventKind::TicketTooShort {
                    node: name,
                    chars,
                    min: rules.min_justification_chars,
                },
                reward: rules.ticket_too_short,
                cost: 0.0,
            });
            return;
        }
        if !self.ep.evidence[node].queried {
            events.push(Event {
                kind: EventKind::TicketWithoutInvestigation { node: name.clone() },
                reward: rules.ticket_without_investigation,
                cost: 0.0,
            });
        }
        let approver = self.ep.rng.below(rules.approvers.len());
        let role = &rules.approvers[approver];
        let mut node_alerts = std::mem::take(&mut self.scratch.node_alerts);
        node_alerts.clear();
        node_alerts.extend(
            self.ep
                .alerts
                .iter()
                .filter(|a| a.host == name)
                .map(|a| a.id),
        );
        let verdict = self.fx.judge.review(&ReviewRequest {
            node: &name,
            action,
            justification,
            evidence: &self.ep.evidence[node],
            node_alerts: &node_alerts,
            blast_radius: &self.fx.radius[node],
            role: &role.role,
            bar: role.bar,
        });
        self.scratch.node_alerts = node_alerts;
        let k = self.ep.tickets.len();
        let id = match self.fx.ticket_ids.get(k) {
            Some(id) => id.clone(),
            None => Arc::from(ticket_id(k + 1)),
        };
        // Saturating: review_steps is bounded by the rules check, but a step count never wraps.
        let ready_at = self.ep.step.saturating_add(role.review_steps);
        events.push(Event {
            kind: EventKind::TicketFiled {
                ticket: id.clone(),
                node: name,
                action,
                approver: self.fx.roles[approver].clone(),
                ready_at,
            },
            reward: 0.0,
            cost: 0.0,
        });
        self.ep.tickets.push(Ticket {
            id,
            node,
            action,
            justification: Arc::from(justification),
            approver,
            filed_at: self.ep.step,
            ready_at,
            verdict,
            delivered: false,
            used: false,
            investigated_first: self.ep.evidence[node].queried,
        });
    }

    pub(super) fn check_approval(&mut self, t: usize, events: &mut Vec<Event>) {
        let rules = self.fx.scenario.rules();
        let node_compromised = self.ep.threats.iter().any(|th| {
            th.node == self.ep.tickets[t].node && th.contained != Some(Privileged::Patch)
        });
        // An approval while another approved, unused ticket covers the same node and action
        // adds no permission, so it earns nothing (else filing again and again pays).
        let (node, action) = (self.ep.tickets[t].node, self.ep.tickets[t].action);
        let covered = self.ep.tickets.iter().enumerate().any(|(k, o)| {
            k != t
                && o.node == node
                && o.action == action
                && o.delivered
                && o.verdict.approved
                && !o.used
        });
        let ticket = &mut self.ep.tickets[t];
        let (kind, reward) = if ticket.delivered {
            (
                EventKind::NothingNewOnTicket {
                    ticket: ticket.id.clone(),
                },
                rules.check_approval_nothing,
            )
        } else if self.ep.step < ticket.ready_at {
            (
                EventKind::StillUnderReview {
                    ticket: ticket.id.clone(),
                    ready_at: ticket.ready_at,
                },
                rules.check_approval_nothing,
            )
        } else {
            ticket.delivered = true;
            let v = &ticket.verdict;
            let verdict_reward = match (node_compromised, v.approved) {
                (false, _) => rules.ticket_clean_node,
                (true, true) if covered => {
                    events.push(Event {
                        kind: EventKind::DuplicateApproval {
                            ticket: ticket.id.clone(),
                        },
                        reward: rules.check_approval_nothing - rules.check_approval_delivered,
                        cost: 0.0,
                    });
                    0.0
                }
                (true, true) => rules.ticket_approved_scale * v.score,
                (true, false) => rules.ticket_denied_base + rules.ticket_denied_scale * v.score,
            };
            (
                EventKind::VerdictDelivered {
                    ticket: ticket.id.clone(),
                    approved: v.approved,
                    score: v.score,
                    node_compromised,
                },
                rules.check_approval_delivered + verdict_reward,
            )
        };
        events.push(Event {
            kind,
            reward,
            cost: 0.0,
        });
    }
}
