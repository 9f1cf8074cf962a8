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
        // The fixed part, the episode and the scratch area, borrowed apart.
        let Env {
            fx, ep, scratch, ..
        } = self;
        let rules = fx.scenario.rules();
        let shown_before = ep.evidence[node].shows_compromise();
        let cves_before = ep.evidence[node].cves.len();
        let now = EPOCH + u64::from(ep.step) * STEP_SECONDS;
        let host = fx.names[node].clone();
        let lines = &mut scratch.lines;
        lines.clear();
        let src = super::setup::external_ip(&mut ep.rng);
        lines.push(LogEvent::HttpRequest {
            src,
            path: ROUTINE_PATHS[ep.rng.below(ROUTINE_PATHS.len())],
            status: 200,
        });
        lines.push(LogEvent::HealthCheck {
            latency_ms: 3 + ep.rng.below(40) as u32,
        });
        let ev = &mut ep.evidence[node];
        ev.queried = true;
        for t in ep
            .threats
            .iter()
            .filter(|t| t.node == node && t.contained != Some(Privileged::Patch))
        {
            let cve = &fx.cves[t.cve];
            let (role, process) = (super::ROLES[t.role], super::PROCESSES[t.process]);
            match t.from {
                Some(from) => lines.push(LogEvent::LateralLogin {
                    from: fx.names[from].clone(),
                    src: t.attacker,
                    role,
                }),
                None => {
                    lines.push(LogEvent::ExploitAttempt {
                        src: t.attacker,
                        cve: cve.clone(),
                        indicator: t.indicator,
                    });
                    ev.add_cve(&fx.cve_ids[t.cve]);
                    if let Some(ind) = fx.payload_terms[t.cve].get(t.indicator) {
                        ev.add_shared_term(ind);
                    }
                }
            }
            lines.push(LogEvent::ProcessSpawn { role, process });
            lines.push(LogEvent::OutboundTransfer {
                dst: t.c2,
                bytes: 1_048_576 + (t.c2.0 & 0xffff) * 512,
            });
            ev.add_ip(t.attacker);
            ev.add_ip(t.c2);
            ev.add_shared_term(&fx.role_terms[t.role]);
            ev.add_shared_term(&fx.process_terms[t.process]);
        }
        let mut herring_first = false;
        for h in ep.herrings.iter_mut().filter(|h| h.node == node) {
            herring_first |= !h.queried;
            h.queried = true;
            lines.push(match (h.decoy, &h.kind) {
                (Some(cve), _) => LogEvent::BlockedExploit {
                    src: h.src,
                    cve: fx.cves[cve].clone(),
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
        ep.rng.shuffle(lines);
        let count = lines.len() as u64;
        let shown: Arc<[LogLine]> = lines
            .drain(..)
            .enumerate()
            .map(|(k, event)| LogLine {
                timestamp: now - (count - k as u64) * 7,
                host: host.clone(),
                event,
            })
            .collect();
        ep.logs = Some(LogQuery {
            node: host.clone(),
            lines: shown,
        });

        if ep.evidence[node].cves.len() > cves_before {
            // Node order, each id once: as the action mask lists them.
            let seen = &mut ep.seen_cves;
            seen.clear();
            for c in ep.evidence.iter().flat_map(|e| &e.cves) {
                if !seen.contains(c) {
                    seen.push(c.clone());
                }
            }
        }
        let shows_now = ep.evidence[node].shows_compromise();
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
