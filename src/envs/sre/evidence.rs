//! What a click on an alert or a log line puts into the ticket's justification: the facts a
//! reviewer credits (alert id, CVE, addresses, roles, processes, payloads).

use ztgym::siem::{Alert, LogEvent, LogLine};

/// Evidence text cited from an alert.
pub fn from_alert(alert: &Alert) -> String {
    let mut parts = vec![
        format!("{} on {}", alert.label(), alert.host),
        format!("source {}", alert.source_ip),
    ];
    if let Some(cve) = &alert.cve {
        parts.push(cve.id.clone());
    }
    parts.join(", ")
}

/// Evidence text cited from a log line (nothing for routine lines).
pub fn from_log_line(line: &LogLine) -> Option<String> {
    match &line.event {
        LogEvent::ExploitAttempt {
            src,
            cve,
            indicator,
        } => Some(format!(
            "{} exploited from {src} (payload {})",
            cve.id,
            cve.indicators.get(*indicator).map_or("", String::as_str)
        )),
        LogEvent::ProcessSpawn { role, process } => {
            Some(format!("process \"{process}\" as role {role}"))
        }
        LogEvent::OutboundTransfer { dst, bytes } => Some(format!("{bytes} bytes sent to {dst}")),
        LogEvent::LateralLogin { from, src, role } => {
            Some(format!("lateral login from {from} ({src}) as {role}"))
        }
        LogEvent::PortSweep { src } => Some(format!("port sweep from {src}")),
        LogEvent::FailedLogins { src, user } => {
            Some(format!("failed logins for {user} from {src}"))
        }
        LogEvent::BlockedRequest { src, path } => {
            Some(format!("blocked request {path} from {src}"))
        }
        LogEvent::BlockedExploit { src, cve, .. } => {
            Some(format!("blocked {} attempt from {src}", cve.id))
        }
        LogEvent::HttpRequest { .. } | LogEvent::HealthCheck { .. } => None,
    }
}

/// Appends a citation to a justification, one per line, skipping repeats.
pub fn append(justification: &str, citation: &str) -> String {
    if justification.contains(citation) {
        return justification.to_string();
    }
    match justification.trim_end() {
        "" => citation.to_string(),
        text => format!("{text}\n{citation}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ztgym::{Env, Level, ResetOptions, Scenario};

    #[test]
    fn citations_carry_what_the_judge_credits() {
        let mut env = Env::new(Scenario::builtin("classic").unwrap());
        let (obs, _) = env.reset(
            4,
            ResetOptions {
                level: Some(Level::Warmup),
                curriculum: false,
            },
        );
        let alert = &obs.alerts[0];
        let text = from_alert(alert);
        assert!(text.contains(&alert.label()) && text.contains(&alert.source_ip.to_string()));
        let node = alert.host.to_string();
        let step = env.step(&ztgym::Action::QuerySiemLogs { node }).unwrap();
        let cited: Vec<String> = step
            .observation
            .logs
            .unwrap()
            .lines
            .iter()
            .filter_map(from_log_line)
            .collect();
        assert!(cited.iter().any(|c| c.contains("CVE-")), "{cited:?}");
        assert!(cited.iter().any(|c| c.contains("as role")), "{cited:?}");
    }

    #[test]
    fn append_adds_lines_once() {
        let t = append("", "a");
        let t = append(&t, "b");
        assert_eq!(append(&t, "a"), "a\nb");
    }
}
