//! Setting up an episode: drawing threats and raising the opening alerts.

use super::*;

pub(super) const ROLES: [&str; 6] = [
    "svc-deploy",
    "app-runtime",
    "ci-runner",
    "db-admin",
    "backup-operator",
    "breakglass-admin",
];
pub(super) const PROCESSES: [&str; 7] = [
    "/bin/sh -c id",
    "curl -o /tmp/.cache/kworker",
    "nc -e /bin/sh",
    "python3 -c 'import pty'",
    "powershell -nop -enc",
    "certutil -urlcache -f",
    "xmrig --donate-level 1",
];

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
