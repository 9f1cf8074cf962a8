//! Setting up an episode: drawing threats and raising the opening alerts.

use super::*;

impl Env {
    pub(super) fn draw_threat_target(&mut self) -> Option<(usize, usize)> {
        let taken = self
            .ep
            .threats
            .iter()
            .fold(0u64, |mask, t| mask | 1 << t.node);
        fn free(pairs: &[(usize, usize)], taken: u64) -> impl Iterator<Item = &(usize, usize)> {
            pairs.iter().filter(move |(n, _)| taken >> n & 1 == 0)
        }
        let learner = if self.ep.options.curriculum {
            self.curriculum.class_weights()
        } else {
            [1.0; 5]
        };
        let mut weights = [0.0; 5];
        for class in ThreatClass::ALL {
            let i = class.index();
            if free(&self.fx.pairs[i], taken).next().is_some() {
                weights[i] = learner[i] * self.fx.scenario.class_weight(class);
            }
        }
        if weights.iter().all(|w| *w <= 0.0) {
            return None;
        }
        let class = self.ep.rng.weighted(&weights);
        let count = free(&self.fx.pairs[class], taken).count();
        let k = self.ep.rng.below(count);
        free(&self.fx.pairs[class], taken).nth(k).copied()
    }

    pub(super) fn external_ip(&mut self) -> Ip {
        external_ip(&mut self.ep.rng)
    }

    pub(super) fn internal_ip(node: usize) -> Ip {
        Ip::new(10, 0, 1, 10 + node as u8)
    }

    pub(super) fn new_threat(&mut self, node: usize, cve: usize, from: Option<usize>) -> Threat {
        let attacker = match from {
            Some(f) => Env::internal_ip(f),
            None => self.external_ip(),
        };
        Threat {
            node,
            cve,
            from,
            attacker,
            c2: Ip::new(192, 0, 2, 2 + self.ep.rng.below(252) as u8),
            role: self.ep.rng.below(ROLES.len()),
            process: self.ep.rng.below(PROCESSES.len()),
            indicator: self.ep.rng.below(self.fx.cves[cve].indicators.len().max(1)),
            since: self.ep.step,
            spread: false,
            contained: None,
            alert: usize::MAX,
        }
    }

    pub(super) fn raise(
        &mut self,
        node: usize,
        kind: AlertKind,
        severity: Severity,
        src: Ip,
        cve: Option<Arc<Cve>>,
    ) -> usize {
        let id = self.ep.alerts.len();
        let jitter = self.ep.rng.below(STEP_SECONDS as usize) as u64;
        self.ep.alerts.push(Alert {
            id: id as u32 + 1,
            step: self.ep.step,
            timestamp: EPOCH + u64::from(self.ep.step) * STEP_SECONDS + jitter,
            severity,
            host: self.fx.names[node].clone(),
            source_ip: src,
            kind,
            cve,
        });
        self.ep.alert_open.push(true);
        id
    }
}

/// An attacker's address: documentation ranges (RFC 5737), realistic, never anyone's real one.
pub(super) fn external_ip(rng: &mut Rng) -> Ip {
    let net = *rng.pick(&[[203u8, 0, 113], [198, 51, 100]]);
    Ip::new(net[0], net[1], net[2], 2 + rng.below(252) as u8)
}

impl Env {
    /// Starts an episode. The same seed and options give the same episode.
    pub fn reset(&mut self, seed: u64, options: ResetOptions) -> (Observation, Info) {
        let level = if options.curriculum {
            self.curriculum.level()
        } else {
            options
                .level
                .unwrap_or(self.fx.scenario.file.scenario.default_level)
        };
        let spare = self.ep.spare();
        self.ep = Episode::new(seed, options, level, self.fx.names.len(), spare);

        // Threats first, then red herrings on other nodes; their alerts are shuffled so the
        // feed's order does not give the answer away.
        let mut pending = std::mem::take(&mut self.scratch.pending);
        for _ in 0..self.ep.params.threats {
            if let Some((node, cve)) = self.draw_threat_target() {
                let t = self.new_threat(node, cve, None);
                pending.push(OpeningAlert {
                    node,
                    kind: AlertKind::Exploit,
                    severity: Severity::Critical,
                    src: t.attacker,
                    threat: Some(self.ep.threats.len()),
                    decoy: None,
                });
                self.ep.threats.push(t);
            }
        }
        let n = self.fx.names.len();
        for _ in 0..self.ep.params.red_herrings {
            // The nodes with no threat and no red herring yet: pick one of them, in order.
            let taken = self.ep.threats.iter().fold(0u64, |m, t| m | 1 << t.node)
                | self.ep.herrings.iter().fold(0u64, |m, h| m | 1 << h.node);
            let free = |k: usize| (0..n).filter(|&i| taken >> i & 1 == 0).nth(k);
            let count = (0..n).filter(|&i| taken >> i & 1 == 0).count();
            if count == 0 {
                break;
            }
            let node = free(self.ep.rng.below(count)).unwrap_or_default();
            // At the loud levels a red herring is a blocked exploit attempt whose alert reads
            // exactly like a real one: only the node's logs tell them apart.
            let (kind, severity, decoy) = if self.ep.params.loud_red_herrings {
                (
                    AlertKind::Exploit,
                    Severity::Critical,
                    Some(self.ep.rng.below(self.fx.cves.len())),
                )
            } else {
                let kind = self
                    .ep
                    .rng
                    .pick(&[
                        AlertKind::ScannerSweep,
                        AlertKind::FailedLoginBurst,
                        AlertKind::BlockedProbe,
                    ])
                    .clone();
                (kind, Severity::Medium, None)
            };
            let src = match kind {
                AlertKind::ScannerSweep | AlertKind::FailedLoginBurst => {
                    Ip::new(10, 0, 9, 10 + self.ep.rng.below(200) as u8)
                }
                _ => self.external_ip(),
            };
            pending.push(OpeningAlert {
                node,
                kind: kind.clone(),
                severity,
                src,
                threat: None,
                decoy,
            });
            self.ep.herrings.push(RedHerring {
                node,
                kind,
                src,
                decoy,
                queried: false,
            });
        }
        self.ep.rng.shuffle(&mut pending);
        for OpeningAlert {
            node,
            kind,
            severity,
            src,
            threat,
            decoy,
        } in pending.drain(..)
        {
            let cve = threat
                .map(|t| self.ep.threats[t].cve)
                .or(decoy)
                .map(|c| self.fx.cves[c].clone());
            let id = self.raise(node, kind, severity, src, cve);
            if let Some(t) = threat {
                self.ep.threats[t].alert = id;
            }
        }
        self.scratch.pending = pending;
        self.refresh_states();
        (
            self.observation(),
            self.info(Vec::new(), CostBreakdown::default()),
        )
    }
}
