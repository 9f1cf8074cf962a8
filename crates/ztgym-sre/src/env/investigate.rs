//! `query_siem_logs`: the log lines a node shows, and the evidence they give the agent.

use super::*;

const PROBES: [&str; 4] = [
    "/search?q=<script>alert(document.domain)</script>",
    "/login?user=admin'--",
    "/static/../../etc/passwd",
    "/wp-login.php",
];
const ROUTINE_PATHS: [&str; 4] = [
    "/healthz",
    "/api/v1/orders",
    "/static/app.js",
    "/api/v1/session",
];
const STALE_USERS: [&str; 3] = ["svc-backup", "reporting-bot", "jenkins"];

impl Env {
    pub(super) fn query(&mut self, node: usize, events: &mut Vec<Event>) {
        let scenario = self.fx.scenario.clone();
        let rules = scenario.rules();
        let shown_before = self.ep.evidence[node].shows_compromise();
        let now = EPOCH + u64::from(self.ep.step) * STEP_SECONDS;
        let host = self.fx.names[node].clone();
        let mut lines: Vec<LogEvent> = vec![
            LogEvent::HttpRequest {
                src: self.external_ip(),
                path: ROUTINE_PATHS[self.ep.rng.below(ROUTINE_PATHS.len())],
                status: 200,
            },
            LogEvent::HealthCheck {
                latency_ms: 3 + self.ep.rng.below(40) as u32,
            },
        ];
        let ev = &mut self.ep.evidence[node];
        ev.queried = true;
        for t in self
            .ep
            .threats
            .iter()
            .filter(|t| t.node == node && t.contained != Some(Privileged::Patch))
        {
            let cve = &self.fx.cves[t.cve];
            match t.from {
                Some(from) => lines.push(LogEvent::LateralLogin {
                    from: self.fx.names[from].clone(),
                    src: t.attacker,
                    role: t.role,
                }),
                None => {
                    lines.push(LogEvent::ExploitAttempt {
                        src: t.attacker,
                        cve: cve.clone(),
                        indicator: t.indicator,
                    });
                    ev.add_cve(&self.fx.cve_ids[t.cve]);
                    if let Some(ind) = cve.indicators.get(t.indicator) {
                        ev.add_term(ind);
                    }
                }
            }
            lines.push(LogEvent::ProcessSpawn {
                role: t.role,
                process: t.process,
            });
            lines.push(LogEvent::OutboundTransfer {
                dst: t.c2,
                bytes: 1_048_576 + (t.c2.0 & 0xffff) * 512,
            });
            ev.add_ip(t.attacker);
            ev.add_ip(t.c2);
            ev.add_term(t.role);
            ev.add_term(t.process);
        }
        let mut herring_first = false;
        for h in self.ep.herrings.iter_mut().filter(|h| h.node == node) {
            herring_first |= !h.queried;
            h.queried = true;
            lines.push(match (h.decoy, &h.kind) {
                (Some(cve), _) => LogEvent::BlockedExploit {
                    src: h.src,
                    cve: self.fx.cves[cve].clone(),
                    indicator: 0,
                },
                (None, AlertKind::ScannerSweep) => LogEvent::PortSweep { src: h.src },
                (None, AlertKind::FailedLoginBurst) => LogEvent::FailedLogins {
                    src: h.src,
                    user: STALE_USERS[h.src.0 as usize % 3],
                },
                (None, _) => LogEvent::BlockedRequest {
                    src: h.src,
                    path: PROBES[h.src.0 as usize % PROBES.len()],
                },
            });
        }
        self.ep.rng.shuffle(&mut lines);
        let count = lines.len() as u64;
        let lines: Arc<[LogLine]> = lines
            .into_iter()
            .enumerate()
            .map(|(k, event)| LogLine {
                timestamp: now - (count - k as u64) * 7,
                host: host.clone(),
                event,
            })
            .collect();
        self.ep.logs = Some(LogQuery {
            node: host.clone(),
            lines,
        });

        let shows_now = self.ep.evidence[node].shows_compromise();
        let (finding, reward) = if shows_now && !shown_before {
            (Finding::Compromise, rules.query_compromised)
        } else if herring_first {
            (Finding::RedHerring, rules.query_red_herring)
        } else if shows_now {
            (Finding::NothingNew, rules.query_clean)
        } else {
            (Finding::Clean, rules.query_clean)
        };
        events.push(Event {
            kind: EventKind::Queried {
                node: host,
                finding,
            },
            reward,
            cost: 0.0,
        });
    }
}
