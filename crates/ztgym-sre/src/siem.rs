//! The SIEM: alerts (ECS-style JSON) and the log lines an investigation reveals.
//!
//! Alerts and log lines are kept as small structs and turned into text only when shown or
//! serialized, so stepping stays cheap. All text from the simulation may carry attack payloads
//! (`${jndi:...}`, `<script>`): consumers must render it as text.

use crate::cve::Cve;
use serde::ser::{Serialize, SerializeMap, Serializer};
use std::fmt;
use std::sync::Arc;

/// An IPv4 address.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Ip(pub u32);

impl Ip {
    /// An address from its four octets.
    pub const fn new(a: u8, b: u8, c: u8, d: u8) -> Ip {
        Ip(u32::from_be_bytes([a, b, c, d]))
    }
}

impl Ip {
    /// Writes the dotted quad into `buf`, returning its text (at most 15 bytes).
    pub fn write_to(self, buf: &mut [u8; 15]) -> &str {
        let mut n = 0;
        for (k, octet) in self.0.to_be_bytes().into_iter().enumerate() {
            if k > 0 {
                buf[n] = b'.';
                n += 1;
            }
            if octet >= 100 {
                buf[n] = b'0' + octet / 100;
                n += 1;
            }
            if octet >= 10 {
                buf[n] = b'0' + octet / 10 % 10;
                n += 1;
            }
            buf[n] = b'0' + octet % 10;
            n += 1;
        }
        // Only ASCII digits and dots were written.
        std::str::from_utf8(&buf[..n]).unwrap_or_default()
    }
}

impl Ip {
    /// Appends the dotted quad to `out`.
    pub fn push_to(self, out: &mut String) {
        for (k, octet) in self.0.to_be_bytes().into_iter().enumerate() {
            if k > 0 {
                out.push('.');
            }
            if octet >= 100 {
                out.push(char::from(b'0' + octet / 100));
            }
            if octet >= 10 {
                out.push(char::from(b'0' + octet / 10 % 10));
            }
            out.push(char::from(b'0' + octet % 10));
        }
    }
}

impl fmt::Display for Ip {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.write_to(&mut [0; 15]))
    }
}

/// Episode clocks start here (2026-01-01T00:00:00Z); each step is one minute.
pub const EPOCH: u64 = 1_767_225_600;
/// Seconds of simulated time per step.
pub const STEP_SECONDS: u64 = 60;

/// Formats Unix seconds as RFC 3339 UTC (`2026-01-01T00:01:07Z`), with no clock dependency.
pub fn rfc3339(secs: u64) -> String {
    let days = (secs / 86_400) as i64;
    let rem = secs % 86_400;
    // Howard Hinnant's days-to-civil.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem / 60 % 60,
        rem % 60
    )
}

/// Alert severity, with Elastic's numeric risk scores for `event.severity`.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    Info,
    Low,
    Medium,
    High,
    Critical,
}

impl Severity {
    /// Lowercase name (`log.level`).
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Low => "low",
            Severity::Medium => "medium",
            Severity::High => "high",
            Severity::Critical => "critical",
        }
    }

    /// The numeric `event.severity`.
    pub fn score(self) -> u8 {
        match self {
            Severity::Info => 1,
            Severity::Low => 21,
            Severity::Medium => 47,
            Severity::High => 73,
            Severity::Critical => 99,
        }
    }
}

/// Why an alert fired.
#[derive(Clone, Debug, PartialEq)]
pub enum AlertKind {
    /// An exploitation attempt against a CVE (a real threat).
    Exploit,
    /// An attacker reached this node from a compromised neighbour (a real threat).
    LateralMovement { from: Arc<str> },
    /// Suspicious but harmless: an internal vulnerability scanner.
    ScannerSweep,
    /// Suspicious but harmless: a burst of failed logins from a misconfigured job.
    FailedLoginBurst,
    /// Suspicious but harmless: a WAF blocked a probe.
    BlockedProbe,
    /// Routine: a service reloaded its configuration.
    ConfigReload,
    /// Routine: a certificate was renewed.
    CertificateRenewed,
    /// Routine: a scheduled backup ran long.
    BackupSlow,
}

impl AlertKind {
    /// The detection rule's name (`rule.name`).
    pub fn rule_name(&self) -> &'static str {
        match self {
            AlertKind::Exploit => "Exploitation attempt against known CVE",
            AlertKind::LateralMovement { .. } => "Lateral movement from compromised host",
            AlertKind::ScannerSweep => "Port sweep from internal address",
            AlertKind::FailedLoginBurst => "Burst of failed logins",
            AlertKind::BlockedProbe => "WAF blocked suspicious request",
            AlertKind::ConfigReload => "Service configuration reloaded",
            AlertKind::CertificateRenewed => "TLS certificate renewed",
            AlertKind::BackupSlow => "Backup job exceeded window",
        }
    }

    /// Whether the alert reports an attack. At the loud levels a blocked attempt (a red
    /// herring) raises the same alert as a real one; only the logs tell them apart.
    pub fn is_threat(&self) -> bool {
        matches!(self, AlertKind::Exploit | AlertKind::LateralMovement { .. })
    }

    /// Whether this is routine noise (expires on its own).
    pub fn is_noise(&self) -> bool {
        matches!(
            self,
            AlertKind::ConfigReload | AlertKind::CertificateRenewed | AlertKind::BackupSlow
        )
    }
}

/// One SIEM alert.
#[derive(Clone, Debug, PartialEq)]
pub struct Alert {
    /// Sequence number; shown as `ALR-0001`.
    pub id: u32,
    /// The step it fired on (0 = at reset).
    pub step: u32,
    /// Unix seconds.
    pub timestamp: u64,
    pub severity: Severity,
    /// The node it is about.
    pub host: Arc<str>,
    pub source_ip: Ip,
    pub kind: AlertKind,
    /// The CVE named by the detection, for exploit alerts.
    pub cve: Option<Arc<Cve>>,
}

/// `ALR-0007`.
pub fn alert_label(id: u32) -> String {
    format!("ALR-{id:04}")
}

/// Appends [`alert_label`] to `out`.
pub fn push_alert_label(out: &mut String, id: u32) {
    if id < 10_000 {
        out.push_str("ALR-");
        for div in [1000, 100, 10, 1] {
            out.push(char::from(b'0' + (id / div % 10) as u8));
        }
    } else {
        out.push_str(&alert_label(id));
    }
}

/// Parses `ALR-0007` (any case) into 7.
pub fn parse_alert_label(text: &str) -> Option<u32> {
    let digits = text.get(4..)?;
    (text.get(..4)?.eq_ignore_ascii_case("ALR-")
        && !digits.is_empty()
        && digits.bytes().all(|b| b.is_ascii_digit()))
    .then(|| digits.parse().ok())
    .flatten()
}

impl Alert {
    /// `ALR-0007`.
    pub fn label(&self) -> String {
        alert_label(self.id)
    }

    /// The human-readable `message`.
    pub fn message(&self) -> String {
        match (&self.kind, &self.cve) {
            (AlertKind::Exploit, Some(cve)) => format!(
                "{} exploitation attempt on {} from {} ({}, CVSS {:.1})",
                cve.name.as_deref().unwrap_or(&cve.product),
                self.host,
                self.source_ip,
                cve.id,
                cve.cvss
            ),
            (AlertKind::LateralMovement { from }, _) => {
                format!(
                    "{} opened sessions on {} from {}",
                    from, self.host, self.source_ip
                )
            }
            (AlertKind::ScannerSweep, _) => {
                format!("{} probed 1000+ ports on {}", self.source_ip, self.host)
            }
            (AlertKind::FailedLoginBurst, _) => {
                format!(
                    "40 failed logins on {} from {} in 60 s",
                    self.host, self.source_ip
                )
            }
            (AlertKind::BlockedProbe, _) => format!(
                "WAF on {} blocked a probe from {}",
                self.host, self.source_ip
            ),
            (AlertKind::ConfigReload, _) => format!("{} reloaded its configuration", self.host),
            (AlertKind::CertificateRenewed, _) => {
                format!("TLS certificate of {} renewed", self.host)
            }
            (AlertKind::BackupSlow, _) => {
                format!("nightly backup of {} ran 40 min over its window", self.host)
            }
            (AlertKind::Exploit, None) => format!("exploitation attempt on {}", self.host),
        }
    }
}

impl Serialize for Alert {
    /// ECS-style: `@timestamp`, `event.*`, `log.level`, `host.name`, `source.ip`, `rule.name`,
    /// `vulnerability.*`, `threat.technique.id`, `message`.
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        #[derive(serde::Serialize)]
        struct Event<'a> {
            id: String,
            kind: &'static str,
            severity: u8,
            step: u32,
            #[serde(skip_serializing_if = "Option::is_none")]
            reference: Option<&'a str>,
        }
        let mut m = s.serialize_map(None)?;
        m.serialize_entry("@timestamp", &rfc3339(self.timestamp))?;
        m.serialize_entry(
            "event",
            &Event {
                id: self.label(),
                kind: "alert",
                severity: self.severity.score(),
                step: self.step,
                reference: None,
            },
        )?;
        m.serialize_entry(
            "log",
            &serde_json::json!({ "level": self.severity.as_str() }),
        )?;
        m.serialize_entry("host", &serde_json::json!({ "name": &*self.host }))?;
        m.serialize_entry(
            "source",
            &serde_json::json!({ "ip": self.source_ip.to_string() }),
        )?;
        m.serialize_entry(
            "rule",
            &serde_json::json!({ "name": self.kind.rule_name() }),
        )?;
        if let Some(cve) = &self.cve {
            m.serialize_entry(
                "vulnerability",
                &serde_json::json!({ "id": cve.id, "score": { "base": cve.cvss }, "description": cve.product }),
            )?;
            m.serialize_entry(
                "threat",
                &serde_json::json!({ "technique": { "id": cve.technique } }),
            )?;
        }
        m.serialize_entry("message", &self.message())?;
        m.end()
    }
}

/// What a log line records.
#[derive(Clone, Debug, PartialEq)]
pub enum LogEvent {
    /// A request carrying an exploit for `cve`; `indicator` indexes `cve.indicators`.
    ExploitAttempt {
        src: Ip,
        cve: Arc<Cve>,
        indicator: usize,
    },
    /// A process started under a role after the exploit.
    ProcessSpawn {
        role: &'static str,
        process: &'static str,
    },
    /// Data leaving the node.
    OutboundTransfer { dst: Ip, bytes: u32 },
    /// A session opened from a compromised neighbour.
    LateralLogin {
        from: Arc<str>,
        src: Ip,
        role: &'static str,
    },
    /// Red herring: the internal scanner.
    PortSweep { src: Ip },
    /// Red herring: a job with a stale password.
    FailedLogins { src: Ip, user: &'static str },
    /// Red herring: a probe the WAF blocked.
    BlockedRequest { src: Ip, path: &'static str },
    /// Red herring: an exploit attempt the WAF blocked; the service is not affected.
    BlockedExploit {
        src: Ip,
        cve: Arc<Cve>,
        indicator: usize,
    },
    /// Routine traffic.
    HttpRequest {
        src: Ip,
        path: &'static str,
        status: u16,
    },
    /// Routine health check.
    HealthCheck { latency_ms: u32 },
}

/// One line of a node's logs.
#[derive(Clone, Debug, PartialEq)]
pub struct LogLine {
    pub timestamp: u64,
    pub host: Arc<str>,
    pub event: LogEvent,
}

impl fmt::Display for LogLine {
    /// `key=value` text in the style of seed 000's `/logs`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} SERVICE={} ", rfc3339(self.timestamp), self.host)?;
        match &self.event {
            LogEvent::ExploitAttempt {
                src,
                cve,
                indicator,
            } => write!(
                f,
                "EVENT=EXPLOIT_ATTEMPT SRC={src} CVE={} PAYLOAD=\"{}\"",
                cve.id,
                cve.indicators.get(*indicator).map_or("", String::as_str)
            ),
            LogEvent::ProcessSpawn { role, process } => {
                write!(f, "EVENT=PROCESS_SPAWN ROLE={role} CMD=\"{process}\"")
            }
            LogEvent::OutboundTransfer { dst, bytes } => {
                write!(f, "EVENT=OUTBOUND_TRANSFER DST={dst} BYTES={bytes}")
            }
            LogEvent::LateralLogin { from, src, role } => {
                write!(f, "EVENT=LATERAL_LOGIN FROM={from} SRC={src} ROLE={role}")
            }
            LogEvent::PortSweep { src } => write!(
                f,
                "EVENT=PORT_SWEEP SRC={src} PORTS=1-1024 SCANNER=qualys-internal"
            ),
            LogEvent::FailedLogins { src, user } => {
                write!(f, "EVENT=AUTH_FAILURE SRC={src} USER={user} COUNT=40")
            }
            LogEvent::BlockedRequest { src, path } => {
                write!(f, "EVENT=WAF_BLOCK SRC={src} PATH=\"{path}\" STATUS=403")
            }
            LogEvent::BlockedExploit {
                src,
                cve,
                indicator,
            } => write!(
                f,
                "EVENT=WAF_BLOCK SRC={src} CVE={} PAYLOAD=\"{}\" STATUS=403 ACTION=dropped",
                cve.id,
                cve.indicators.get(*indicator).map_or("", String::as_str)
            ),
            LogEvent::HttpRequest { src, path, status } => {
                write!(
                    f,
                    "EVENT=HTTP_REQUEST SRC={src} PATH=\"{path}\" STATUS={status}"
                )
            }
            LogEvent::HealthCheck { latency_ms } => {
                write!(f, "EVENT=HEALTH_CHECK LATENCY_MS={latency_ms} STATUS=ok")
            }
        }
    }
}

impl Serialize for LogLine {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc3339_matches_known_dates() {
        assert_eq!(rfc3339(0), "1970-01-01T00:00:00Z");
        assert_eq!(rfc3339(EPOCH), "2026-01-01T00:00:00Z");
        assert_eq!(rfc3339(951_782_400 + 3_661), "2000-02-29T01:01:01Z");
    }

    #[test]
    fn alert_labels_round_trip() {
        assert_eq!(alert_label(7), "ALR-0007");
        assert_eq!(parse_alert_label("alr-0007"), Some(7));
        assert_eq!(parse_alert_label("ALR-"), None);
        assert_eq!(parse_alert_label("INC-0007"), None);
        for id in [0, 7, 42, 999, 1000, 9999, 10_000, 123_456, u32::MAX] {
            let mut s = String::from("x");
            push_alert_label(&mut s, id);
            assert_eq!(s, format!("x{}", alert_label(id)));
        }
    }

    #[test]
    fn ip_formats() {
        assert_eq!(Ip::new(203, 0, 113, 7).to_string(), "203.0.113.7");
    }

    #[test]
    fn ip_formats_as_four_decimal_numbers() {
        for x in 0..=255u8 {
            let (a, b, c, d) = (x, x.wrapping_mul(7), 255 - x, x / 3);
            let ip = Ip::new(a, b, c, d);
            assert_eq!(ip.to_string(), format!("{a}.{b}.{c}.{d}"));
            let mut pushed = String::from("x");
            ip.push_to(&mut pushed);
            assert_eq!(pushed, format!("x{a}.{b}.{c}.{d}"));
        }
    }
}
