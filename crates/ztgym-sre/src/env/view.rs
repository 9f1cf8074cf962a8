//! What the agent sees: the observation, the action mask and the info.

use super::*;

impl Env {
    pub(super) fn observation(&self) -> Observation {
        Observation {
            scenario: self.fx.scenario_name.clone(),
            level: self.ep.level,
            step: self.ep.step,
            max_steps: self.ep.params.max_steps,
            uptime: self.ep.uptime,
            services: self.service_views(),
            alerts: self
                .ep
                .alerts
                .iter()
                .zip(&self.ep.alert_open)
                .filter(|(_, o)| **o)
                .map(|(a, _)| a.clone())
                .collect(),
            tickets: self
                .ep
                .tickets
                .iter()
                .map(|t| self.ticket_view(t))
                .collect(),
            logs: self.ep.logs.clone(),
        }
    }

    /// The services with the states an operator can know, which are not the twin's truth: a
    /// compromise shows only once the node's logs have shown it. Until then an attacked node,
    /// like a node under a red herring's noisy scan, only looks degraded; and a dependent looks
    /// degraded only behind a confirmed compromise. (Showing the truth would give away which
    /// alerts are real, the defect seed 003 has in its observation.)
    fn service_views(&self) -> Vec<ServiceView> {
        let mut seen = [ServiceState::Healthy; crate::scenario::MAX_SERVICES];
        let noisy = self
            .ep
            .herrings
            .iter()
            .fold(0u64, |mask, h| mask | 1 << h.node);
        // In dependency order, so a service's dependencies are settled before it: a bit per
        // service seen compromised.
        let mut confirmed = 0u64;
        for &i in &self.fx.scenario.topo_order {
            seen[i] = match self.ep.states[i] {
                ServiceState::Compromised if self.ep.evidence[i].shows_compromise() => {
                    confirmed |= 1 << i;
                    ServiceState::Compromised
                }
                ServiceState::Compromised => ServiceState::Degraded,
                ServiceState::Degraded | ServiceState::Healthy => {
                    let behind_confirmed = self.fx.upstream[i] & confirmed != 0;
                    if behind_confirmed || noisy >> i & 1 == 1 {
                        ServiceState::Degraded
                    } else {
                        ServiceState::Healthy
                    }
                }
                down => down,
            };
        }
        (self.fx.names.iter().zip(self.fx.scenario.services()))
            .zip(seen)
            .map(|((id, svc), state)| ServiceView {
                id: id.clone(),
                state,
                protected: svc.protected,
            })
            .collect()
    }

    pub(super) fn ticket_view(&self, t: &Ticket) -> TicketView {
        TicketView {
            id: t.id.clone(),
            node: self.fx.names[t.node].clone(),
            action: t.action,
            justification: t.justification.clone(),
            approver: self.fx.roles[t.approver].clone(),
            status: t.status(),
            filed_at: t.filed_at,
            ready_at: t.ready_at,
            score: t.delivered.then_some(t.verdict.score),
            reason: t.delivered.then(|| t.verdict.reason.clone()),
        }
    }

    /// The action mask for the current state.
    pub fn action_mask(&self) -> ActionMask {
        let all = if self.fx.names.len() == 64 {
            u64::MAX
        } else {
            (1u64 << self.fx.names.len()) - 1
        };
        let patch_cves = self.ep.seen_cves.clone();
        ActionMask {
            names: self.fx.names.clone(),
            query: all,
            file_ticket: all,
            isolate: all & !self.ep.isolated,
            restore: self.ep.isolated,
            patch: if patch_cves.is_empty() { 0 } else { all },
            check: self
                .ep
                .tickets
                .iter()
                .filter(|t| !t.delivered)
                .map(|t| t.id.clone())
                .collect(),
            patch_cves,
        }
    }

    pub(super) fn info(&self, events: Vec<Event>, cost_breakdown: CostBreakdown) -> Info {
        Info {
            action_mask: self.action_mask(),
            cost_breakdown,
            events,
            outcome: self.ep.outcome,
            episode_return: self.ep.episode_return,
            episode_cost: self.ep.episode_cost,
            threats_remaining: self
                .ep
                .threats
                .iter()
                .filter(|t| t.contained.is_none())
                .count(),
            steps_remaining: self.ep.params.max_steps.saturating_sub(self.ep.step),
        }
    }
}
