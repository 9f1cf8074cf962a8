//! The world moving on between the agent's actions: attackers spreading, routine noise, and
//! the service states and uptime that follow from the dependency graph.

use super::*;

/// Steps a routine alert stays open.
const NOISE_OPEN_STEPS: u32 = 3;

impl Env {
    pub(super) fn advance_attackers(&mut self, events: &mut Vec<Event>) {
        if self.params.spread_after > 0 {
            for i in 0..self.threats.len() {
                let t = &self.threats[i];
                if t.contained.is_some()
                    || t.spread
                    || self.step < t.since + self.params.spread_after
                    || self.states[t.node] != ServiceState::Compromised
                {
                    continue;
                }
                let from = t.node;
                self.threats[i].spread = true;
                let targets: Vec<usize> = self.scenario.upstream[from]
                    .iter()
                    .chain(&self.scenario.downstream[from])
                    .copied()
                    .filter(|&n| {
                        !self.scenario.services()[n].protected
                            && !self.states[n].is_down()
                            && !self
                                .threats
                                .iter()
                                .any(|t| t.node == n && t.contained != Some(Privileged::Patch))
                    })
                    .collect();
                if targets.is_empty() {
                    continue;
                }
                let to = *self.rng.pick(&targets);
                let mut threat = self.new_threat(to, self.threats[i].cve, Some(from));
                threat.c2 = self.threats[i].c2;
                let cve = self.cves[threat.cve].clone();
                threat.alert = self.raise(
                    to,
                    AlertKind::LateralMovement {
                        from: self.names[from].clone(),
                    },
                    Severity::Critical,
                    threat.attacker,
                    Some(cve),
                );
                self.threats.push(threat);
                events.push(Event {
                    kind: EventKind::LateralMovement {
                        from: self.names[from].clone(),
                        to: self.names[to].clone(),
                    },
                    reward: 0.0,
                    cost: 0.0,
                });
            }
        }
        if self.rng.chance(self.params.noise_per_step) {
            let node = self.rng.below(self.names.len());
            let kind = self
                .rng
                .pick(&[
                    AlertKind::ConfigReload,
                    AlertKind::CertificateRenewed,
                    AlertKind::BackupSlow,
                ])
                .clone();
            let severity = if self.rng.chance(0.5) {
                Severity::Info
            } else {
                Severity::Low
            };
            self.raise(node, kind, severity, Env::internal_ip(node), None);
        }
        for (a, open) in self.alerts.iter().zip(self.alert_open.iter_mut()) {
            if a.kind.is_noise() && self.step >= a.step + NOISE_OPEN_STEPS {
                *open = false;
            }
        }
    }

    pub(super) fn refresh_states(&mut self) {
        let s = &self.scenario;
        let compromised = self
            .threats
            .iter()
            .filter(|t| t.contained.is_none())
            .fold(0u64, |mask, t| mask | 1 << t.node);
        let mut down = 0.0;
        for &i in &s.topo_order {
            let up = &s.upstream[i];
            let state = if self.isolated >> i & 1 == 1 {
                ServiceState::Isolated
            } else if up.iter().any(|&u| self.states[u].is_down()) {
                ServiceState::Offline
            } else if compromised >> i & 1 == 1 {
                ServiceState::Compromised
            } else if up
                .iter()
                .any(|&u| self.states[u] == ServiceState::Compromised)
            {
                ServiceState::Degraded
            } else {
                ServiceState::Healthy
            };
            if state.is_down() {
                down += s.file.services[i].uptime_weight;
            }
            self.states[i] = state;
        }
        self.uptime = (100.0 - down).clamp(0.0, 100.0);
    }
}
