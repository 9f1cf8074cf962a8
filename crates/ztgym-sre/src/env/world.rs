//! The world moving on between the agent's actions: attackers spreading, routine noise, and
//! the service states and uptime that follow from the dependency graph.

use super::*;

/// Steps a routine alert stays open.
const NOISE_OPEN_STEPS: u32 = 3;

impl Env {
    /// Moves the attackers and raises routine noise. Returns whether an attacker spread (the
    /// states must then be refreshed).
    pub(super) fn advance_attackers(&mut self, events: &mut Vec<Event>) -> bool {
        let mut spread = false;
        if self.ep.params.spread_after > 0 {
            for i in 0..self.ep.threats.len() {
                let t = &self.ep.threats[i];
                if t.contained.is_some()
                    || t.spread
                    || self.ep.step < t.since.saturating_add(self.ep.params.spread_after)
                    || self.ep.states[t.node] != ServiceState::Compromised
                {
                    continue;
                }
                let from = t.node;
                self.ep.threats[i].spread = true;
                let targets: Vec<usize> = self.fx.scenario.upstream[from]
                    .iter()
                    .chain(&self.fx.scenario.downstream[from])
                    .copied()
                    .filter(|&n| {
                        !self.fx.scenario.services()[n].protected
                            && !self.ep.states[n].is_down()
                            && !self
                                .ep
                                .threats
                                .iter()
                                .any(|t| t.node == n && t.contained != Some(Privileged::Patch))
                    })
                    .collect();
                if targets.is_empty() {
                    continue;
                }
                let to = *self.ep.rng.pick(&targets);
                let mut threat = self.new_threat(to, self.ep.threats[i].cve, Some(from));
                threat.c2 = self.ep.threats[i].c2;
                let cve = self.fx.cves[threat.cve].clone();
                threat.alert = self.raise(
                    to,
                    AlertKind::LateralMovement {
                        from: self.fx.names[from].clone(),
                    },
                    Severity::Critical,
                    threat.attacker,
                    Some(cve),
                );
                self.ep.threats.push(threat);
                spread = true;
                events.push(Event {
                    kind: EventKind::LateralMovement {
                        from: self.fx.names[from].clone(),
                        to: self.fx.names[to].clone(),
                    },
                    reward: 0.0,
                    cost: 0.0,
                });
            }
        }
        if self.ep.rng.chance(self.ep.params.noise_per_step) {
            let node = self.ep.rng.below(self.fx.names.len());
            let kind = self
                .ep
                .rng
                .pick(&[
                    AlertKind::ConfigReload,
                    AlertKind::CertificateRenewed,
                    AlertKind::BackupSlow,
                ])
                .clone();
            let severity = if self.ep.rng.chance(0.5) {
                Severity::Info
            } else {
                Severity::Low
            };
            self.raise(node, kind, severity, Env::internal_ip(node), None);
        }
        for (a, open) in self.ep.alerts.iter().zip(self.ep.alert_open.iter_mut()) {
            if a.kind.is_noise() && self.ep.step >= a.step + NOISE_OPEN_STEPS {
                *open = false;
            }
        }
        spread
    }

    pub(super) fn refresh_states(&mut self) {
        let s = &self.fx.scenario;
        let compromised = self
            .ep
            .threats
            .iter()
            .filter(|t| t.contained.is_none())
            .fold(0u64, |mask, t| mask | 1 << t.node);
        // Services in dependency order, each after what it depends on: a bit per service
        // found down, and one per service found compromised.
        let (mut down_bits, mut compromised_bits) = (0u64, 0u64);
        let mut down = 0.0;
        for &i in &s.topo_order {
            let up = self.fx.upstream[i];
            let state = if self.ep.isolated >> i & 1 == 1 {
                ServiceState::Isolated
            } else if up & down_bits != 0 {
                ServiceState::Offline
            } else if compromised >> i & 1 == 1 {
                compromised_bits |= 1 << i;
                ServiceState::Compromised
            } else if up & compromised_bits != 0 {
                ServiceState::Degraded
            } else {
                ServiceState::Healthy
            };
            if state.is_down() {
                down_bits |= 1 << i;
                down += s.file.services[i].uptime_weight;
            }
            self.ep.states[i] = state;
        }
        self.ep.uptime = (100.0 - down).clamp(0.0, 100.0);
    }
}
