//! The privileged actions (isolate, patch, restore) behind the zero-trust gate, and what
//! containment earns.

use super::*;

impl Env {
    pub(super) fn privileged(
        &mut self,
        action: Privileged,
        node: usize,
        cve: Option<&str>,
        events: &mut Vec<Event>,
        costs: &mut CostBreakdown,
    ) {
        let scenario = self.fx.scenario.clone();
        let rules = scenario.rules();
        let name = self.fx.names[node].clone();
        let isolated = self.ep.isolated >> node & 1 == 1;
        let pointless = match action {
            Privileged::Isolate if isolated => Some("the node is already isolated"),
            Privileged::Restore if !isolated => Some("the node is not isolated"),
            _ => None,
        };
        if let Some(why) = pointless {
            events.push(Event {
                kind: EventKind::NoEffect {
                    action: Arc::from(format!("{} {name}", action.as_str())),
                    why,
                },
                reward: rules.no_effect,
                cost: 0.0,
            });
            return;
        }

        let ticket = self.ep.tickets.iter().position(|t| {
            t.node == node && t.action == action && t.delivered && t.verdict.approved && !t.used
        });
        let proposal = Proposal {
            action,
            node: name.clone(),
            protected: self.fx.scenario.services()[node].protected,
            approved_ticket: ticket.is_some(),
            isolated_count: self.ep.isolated.count_ones() as usize,
            max_concurrent_isolations: rules.max_concurrent_isolations,
            investigated: self.ep.evidence[node].queried,
        };
        let broken = Rule::of(&self.fx.gate.check(&proposal));
        if let Some(&first) = broken.first() {
            for (k, &rule) in broken.iter().enumerate() {
                let (penalty, cost) = match rule {
                    Rule::NoApprovedTicket => (rules.no_ticket, rules.cost_no_ticket),
                    Rule::ProtectedNode => (rules.protected_node, rules.cost_protected_node),
                    Rule::ConcurrentIsolations => (
                        rules.concurrent_isolations,
                        rules.cost_concurrent_isolations,
                    ),
                    Rule::NotInvestigated => (rules.not_investigated, rules.cost_not_investigated),
                };
                costs.add(rule, cost);
                // Like seed 000, the first broken rule sets the penalty; every broken rule costs.
                events.push(Event {
                    kind: EventKind::Violation {
                        rule,
                        action,
                        node: name.clone(),
                        blocked: true,
                    },
                    reward: if k == 0 { penalty } else { 0.0 },
                    cost,
                });
            }
            if first == Rule::NoApprovedTicket {
                self.ep.outcome = Some(Outcome::Violation);
            }
            return;
        }
        if let Some(t) = ticket {
            self.ep.tickets[t].used = true;
        }

        match action {
            Privileged::Isolate => {
                let down = |states: &[ServiceState]| {
                    (states.iter().enumerate())
                        .filter(|(_, s)| s.is_down())
                        .fold(0u64, |mask, (i, _)| mask | 1 << i)
                };
                let before = down(&self.ep.states);
                self.ep.isolated |= 1 << node;
                self.refresh_states();
                let newly = down(&self.ep.states) & !before & !(1 << node);
                let offline: Vec<Arc<str>> = (0..self.fx.names.len())
                    .filter(|&i| newly >> i & 1 == 1)
                    .map(|i| self.fx.names[i].clone())
                    .collect();
                events.push(Event {
                    kind: EventKind::Isolated {
                        node: name.clone(),
                        offline,
                    },
                    reward: 0.0,
                    cost: 0.0,
                });
                let mut contained = false;
                for t in self
                    .ep
                    .threats
                    .iter_mut()
                    .filter(|t| t.node == node && t.contained.is_none())
                {
                    t.contained = Some(Privileged::Isolate);
                    self.ep.alert_open[t.alert] = false;
                    contained = true;
                }
                if contained {
                    self.after_containment(node, Privileged::Isolate, events);
                } else {
                    events.push(Event {
                        kind: EventKind::WrongNode { node: name },
                        reward: rules.wrong_node,
                        cost: 0.0,
                    });
                    self.ep.outcome = Some(Outcome::WrongNode);
                }
            }
            Privileged::Patch => {
                let cve = cve.unwrap_or_default();
                let mut was_active = false;
                let mut fixed = false;
                for t in self.ep.threats.iter_mut().filter(|t| {
                    t.node == node && t.from.is_none() && t.contained != Some(Privileged::Patch)
                }) {
                    if self.fx.cve_ids[t.cve].eq_ignore_ascii_case(cve) {
                        was_active |= t.contained.is_none();
                        t.contained = Some(Privileged::Patch);
                        self.ep.alert_open[t.alert] = false;
                        fixed = true;
                    }
                }
                let has_threat = self
                    .ep
                    .threats
                    .iter()
                    .any(|t| t.node == node && t.contained != Some(Privileged::Patch));
                if was_active {
                    self.refresh_states();
                    self.after_containment(node, Privileged::Patch, events);
                } else if fixed {
                    events.push(Event {
                        kind: EventKind::PatchedClean { node: name },
                        reward: 0.0,
                        cost: 0.0,
                    });
                } else if has_threat {
                    events.push(Event {
                        kind: EventKind::PatchedWrongCve {
                            node: name,
                            cve: Arc::from(cve),
                        },
                        reward: rules.patch_wrong_cve,
                        cost: 0.0,
                    });
                } else {
                    events.push(Event {
                        kind: EventKind::PatchedClean { node: name },
                        reward: rules.no_effect,
                        cost: 0.0,
                    });
                }
            }
            Privileged::Restore => {
                self.ep.isolated &= !(1 << node);
                let mut back = false;
                for t in self
                    .ep
                    .threats
                    .iter_mut()
                    .filter(|t| t.node == node && t.contained == Some(Privileged::Isolate))
                {
                    t.contained = None;
                    t.since = self.ep.step;
                    t.spread = false;
                    self.ep.alert_open[t.alert] = true;
                    back = true;
                }
                events.push(Event {
                    kind: EventKind::Restored {
                        node: name,
                        still_compromised: back,
                    },
                    reward: if back {
                        rules.restore_compromised
                    } else {
                        rules.restore_clean
                    },
                    cost: 0.0,
                });
            }
        }
    }

    /// Seed 000's isolation results: outage below the uptime floor, success on the last
    /// threat, a partial reward otherwise.
    pub(super) fn after_containment(
        &mut self,
        node: usize,
        how: Privileged,
        events: &mut Vec<Event>,
    ) {
        let scenario = self.fx.scenario.clone();
        let rules = scenario.rules();
        self.refresh_states();
        let remaining = self
            .ep
            .threats
            .iter()
            .filter(|t| t.contained.is_none())
            .count();
        events.push(Event {
            kind: EventKind::Contained {
                node: self.fx.names[node].clone(),
                how,
                remaining,
            },
            reward: if remaining > 0 && self.ep.uptime >= rules.min_uptime {
                rules.contain_partial
            } else {
                0.0
            },
            cost: 0.0,
        });
        if self.ep.uptime < rules.min_uptime {
            events.push(Event {
                kind: EventKind::Outage {
                    uptime: self.ep.uptime,
                    floor: rules.min_uptime,
                },
                reward: rules.outage,
                cost: 0.0,
            });
            self.ep.outcome = Some(Outcome::Outage);
        } else if remaining == 0 {
            let phase = self.phase_score(events);
            let steps_left = self.ep.params.max_steps.saturating_sub(self.ep.step);
            events.push(Event {
                kind: EventKind::Success {
                    phase_score: phase,
                    steps_left,
                },
                reward: rules.success_base
                    + rules.success_phase_scale * phase
                    + rules.success_time_bonus * steps_left as f64,
                cost: 0.0,
            });
            self.ep.outcome = Some(Outcome::Success);
        }
    }

    /// How by-the-book the episode was, in [0, 1] (seed 000 asks an LLM for this): the share of
    /// threats investigated before their ticket, the share contained under a ticket approved on
    /// the first try, and whether the episode kept a zero cost, averaged.
    pub(super) fn phase_score(&self, events: &[Event]) -> f64 {
        let nodes = || self.ep.threats.iter().map(|t| t.node);
        let n = self.ep.threats.len().max(1) as f64;
        let first_ticket = |node: usize| self.ep.tickets.iter().find(|t| t.node == node);
        let investigated_first = nodes()
            .filter(|&node| first_ticket(node).is_some_and(|t| t.investigated_first))
            .count() as f64;
        let first_try = nodes()
            .filter(|&node| first_ticket(node).is_some_and(|t| t.verdict.approved))
            .count() as f64;
        let step_cost: f64 = events.iter().map(|e| e.cost).sum();
        let clean = if self.ep.episode_cost + step_cost == 0.0 {
            1.0
        } else {
            0.0
        };
        (investigated_first / n + first_try / n + clean) / 3.0
    }
}
