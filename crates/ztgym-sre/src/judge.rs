//! Change tickets and the judge that reviews them.
//!
//! Seed 000 asks an LLM to grade each ticket, and rejects every ticket when the LLM is out of
//! reach. Here the default judge is offline and deterministic: it reads the justification and
//! credits what a careful approver looks for, checked against what the agent really saw. The
//! [`Judge`] trait lets a language-model judge plug in later.

use crate::action::Privileged;
use crate::siem::{parse_alert_label, Ip};
use serde::Serialize;
use std::borrow::Cow;
use std::sync::Arc;

/// What the agent has seen in one node's logs: the facts a justification may cite.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Evidence {
    /// The node's logs were queried at least once.
    pub queried: bool,
    /// CVE ids seen in exploit lines.
    pub cves: Vec<Arc<str>>,
    /// Addresses seen in malicious lines (attacker, command and control, pivot).
    pub ips: Vec<Ip>,
    /// Roles, processes and payload fragments seen in malicious lines.
    pub terms: Vec<Arc<str>>,
}

impl Evidence {
    /// Whether the logs shown so far prove a compromise.
    pub fn shows_compromise(&self) -> bool {
        !self.cves.is_empty() || !self.terms.is_empty()
    }

    pub(crate) fn add_cve(&mut self, id: &Arc<str>) {
        if !self.cves.contains(id) {
            self.cves.push(id.clone());
        }
    }

    pub(crate) fn add_ip(&mut self, ip: Ip) {
        if !self.ips.contains(&ip) {
            self.ips.push(ip);
        }
    }

    pub(crate) fn add_term(&mut self, term: &str) {
        if !self.terms.iter().any(|t| &**t == term) {
            self.terms.push(Arc::from(term));
        }
    }
}

/// Everything a judge is shown about one ticket.
#[derive(Clone, Debug)]
pub struct ReviewRequest<'a> {
    pub node: &'a str,
    pub action: Privileged,
    pub justification: &'a str,
    /// What the agent saw in this node's logs.
    pub evidence: &'a Evidence,
    /// Alert ids raised about this node so far.
    pub node_alerts: &'a [u32],
    /// Services that would go offline if the node went down.
    pub blast_radius: &'a [Arc<str>],
    /// The approver's role and bar.
    pub role: &'a str,
    pub bar: f64,
}

/// A judge's answer.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Verdict {
    /// In [-1, 1].
    pub score: f64,
    pub approved: bool,
    /// What was credited and what was missing, for people and agents.
    pub reason: Arc<str>,
}

/// Reviews tickets. Implementations must be deterministic for a reproducible environment.
pub trait Judge: Send + Sync {
    /// A short name for logs and the UI.
    fn name(&self) -> &str;
    /// Grades one ticket.
    fn review(&self, request: &ReviewRequest<'_>) -> Verdict;
}

/// The deterministic judge: a rubric over the justification text.
#[derive(Clone, Copy, Debug, Default)]
pub struct OfflineJudge;

/// Rubric weights; they sum to 1.
const NAMES_NODE: f64 = 0.15;
const CITES_CVE: f64 = 0.25;
const CITES_ALERT: f64 = 0.15;
const CITES_INDICATOR: f64 = 0.15;
const CITES_SECOND_INDICATOR: f64 = 0.05;
const NAMES_BLAST_RADIUS: f64 = 0.15;
const HAS_ROLLBACK: f64 = 0.10;
/// Per citation of something the agent never saw in this node's logs.
const FABRICATED: f64 = -0.3;

impl Judge for OfflineJudge {
    fn name(&self) -> &str {
        "offline-rubric"
    }

    fn review(&self, r: &ReviewRequest<'_>) -> Verdict {
        let text = r.justification.to_ascii_lowercase();
        let mut score = 0.0;
        // Mostly fixed phrases: `Cow` keeps them unallocated.
        let mut credited: Vec<Cow<'static, str>> = Vec::new();
        let mut missing: Vec<Cow<'static, str>> = Vec::new();
        let mut fabricated = Vec::new();
        let cited = Citations::scan(&text);

        if contains_ignore_case(&text, r.node) {
            score += NAMES_NODE;
            credited.push("names the node".into());
        } else {
            missing.push(format!("the node ({})", r.node).into());
        }

        let mut good_cve = false;
        for id in &cited.cves {
            if r.evidence.cves.iter().any(|c| c.eq_ignore_ascii_case(id)) {
                good_cve = true;
            } else {
                fabricated.push(id.to_ascii_uppercase());
            }
        }
        if good_cve {
            score += CITES_CVE;
            credited.push("cites the exploited CVE".into());
        } else if !r.evidence.cves.is_empty() {
            missing.push("the CVE seen in the node's logs".into());
        }

        let mut good_alert = false;
        for &id in &cited.alerts {
            if r.node_alerts.contains(&id) {
                good_alert = true;
            } else {
                fabricated.push(crate::siem::alert_label(id));
            }
        }
        if good_alert {
            score += CITES_ALERT;
            credited.push("cites an alert on the node".into());
        } else {
            missing.push("an alert id on the node".into());
        }

        let mut indicators = 0;
        for &ip in &cited.ips {
            if r.evidence.ips.contains(&ip) {
                indicators += 1;
            } else {
                fabricated.push(ip.to_string());
            }
        }
        indicators += r
            .evidence
            .terms
            .iter()
            .filter(|t| contains_ignore_case(&text, t))
            .count();
        if indicators > 0 {
            score += CITES_INDICATOR;
            if indicators > 1 {
                score += CITES_SECOND_INDICATOR;
            }
            credited.push(format!("cites {indicators} indicator(s) from the logs").into());
        } else {
            missing.push("indicators from the logs (addresses, roles, processes, payloads)".into());
        }

        let radius_named = if r.blast_radius.is_empty() || r.action != Privileged::Isolate {
            ["blast radius", "dependents", "no downtime", "in place"]
                .iter()
                .any(|k| text.contains(k))
        } else {
            r.blast_radius
                .iter()
                .all(|d| contains_ignore_case(&text, d))
        };
        if radius_named {
            score += NAMES_BLAST_RADIUS;
            credited.push("states the blast radius".into());
        } else if r.blast_radius.is_empty() || r.action != Privileged::Isolate {
            missing.push("the blast radius".into());
        } else {
            let names: Vec<&str> = r.blast_radius.iter().map(|d| &**d).collect();
            missing
                .push(format!("the blast radius ({} would go offline)", names.join(", ")).into());
        }

        if ["rollback", "roll back", "revert", "restore"]
            .iter()
            .any(|k| text.contains(k))
        {
            score += HAS_ROLLBACK;
            credited.push("has a rollback plan".into());
        } else {
            missing.push("a rollback plan".into());
        }

        score += FABRICATED * fabricated.len() as f64;
        let score = score.clamp(-1.0, 1.0);
        let proves_compromise = good_cve || indicators > 0;
        let approved = score >= r.bar && proves_compromise;

        let mut reason = format!(
            "{} ({}): score {:.2} against a bar of {:.2}: {}.",
            r.role,
            if approved { "approved" } else { "denied" },
            score,
            r.bar,
            if credited.is_empty() {
                "nothing credited".to_string()
            } else {
                credited.join(", ")
            }
        );
        if !fabricated.is_empty() {
            reason.push_str(&format!(
                " Cites what the logs of {} never showed: {}.",
                r.node,
                fabricated.join(", ")
            ));
        }
        if !proves_compromise {
            reason.push_str(" No indicator of compromise from the node's logs is cited.");
        }
        if !missing.is_empty() {
            reason.push_str(&format!(" Missing: {}.", missing.join("; ")));
        }
        Verdict {
            score,
            approved,
            reason: Arc::from(reason),
        }
    }
}

/// The ids a justification cites, found in one pass over its words.
#[derive(Debug, Default, PartialEq)]
struct Citations {
    /// `cve-2021-44228`, lowercase.
    cves: Vec<String>,
    alerts: Vec<u32>,
    ips: Vec<Ip>,
}

impl Citations {
    /// Scans lowercase text. Words are runs of ASCII letters, digits, `-` and `.`; only words
    /// starting with `cve-`, `alr-` or a digit are looked at.
    fn scan(text: &str) -> Citations {
        let mut out = Citations::default();
        let bytes = text.as_bytes();
        let in_word = |b: u8| b.is_ascii_alphanumeric() || b == b'-' || b == b'.';
        let mut i = 0;
        while i < bytes.len() {
            if !in_word(bytes[i]) {
                i += 1;
                continue;
            }
            let start = i;
            while i < bytes.len() && in_word(bytes[i]) {
                i += 1;
            }
            // Word boundaries are ASCII, so slicing here is always on a char boundary.
            let word = &text[start..i];
            if !(word.starts_with("cve-")
                || word.starts_with("alr-")
                || bytes[start].is_ascii_digit())
            {
                continue;
            }
            let word = word.trim_matches(|c| c == '.' || c == '-');
            if let Some(rest) = word.strip_prefix("cve-") {
                if let Some((year, num)) = rest.split_once('-') {
                    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
                    if year.len() == 4 && num.len() >= 4 && digits(year) && digits(num) {
                        out.cves.push(word.to_string());
                    }
                }
            } else if word.starts_with("alr-") {
                out.alerts.extend(parse_alert_label(word));
            } else if word.starts_with(|c: char| c.is_ascii_digit()) {
                out.ips.extend(parse_ipv4(word));
            }
        }
        out
    }
}

fn parse_ipv4(word: &str) -> Option<Ip> {
    let mut octets = [0u8; 4];
    let mut parts = word.split('.');
    for o in &mut octets {
        *o = parts.next()?.parse().ok()?;
    }
    parts
        .next()
        .is_none()
        .then(|| Ip(u32::from_be_bytes(octets)))
}

/// Whether lowercase `haystack` contains `needle`, ignoring ASCII case. Most needles (ids,
/// addresses, commands) are lowercase already and need no copy.
fn contains_ignore_case(haystack: &str, needle: &str) -> bool {
    if needle.is_empty() {
        false
    } else if needle.bytes().any(|b| b.is_ascii_uppercase()) {
        haystack.contains(&needle.to_ascii_lowercase())
    } else {
        haystack.contains(needle)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn evidence() -> Evidence {
        let mut e = Evidence {
            queried: true,
            ..Default::default()
        };
        e.add_cve(&Arc::from("CVE-2021-44228"));
        e.add_ip(Ip::new(203, 0, 113, 9));
        e.add_term("svc-payment");
        e
    }

    fn review(text: &str, bar: f64) -> Verdict {
        let ev = evidence();
        let radius: Vec<Arc<str>> = vec![];
        OfflineJudge.review(&ReviewRequest {
            node: "payment",
            action: Privileged::Isolate,
            justification: text,
            evidence: &ev,
            node_alerts: &[3],
            blast_radius: &radius,
            role: "ciso",
            bar,
        })
    }

    #[test]
    fn full_justification_scores_one() {
        let v = review(
            "Isolate payment: ALR-0003 and its logs show CVE-2021-44228 from 203.0.113.9 as svc-payment. \
             Blast radius: no dependents. Rollback: restore_node after patching.",
            0.4,
        );
        assert!((v.score - 1.0).abs() < 1e-9, "{v:?}");
        assert!(v.approved);
    }

    #[test]
    fn fabricated_evidence_is_penalised_and_named() {
        let v = review(
            "Isolate payment now: CVE-2023-4966 seen from 198.51.100.1, ALR-0042.",
            0.2,
        );
        assert!(v.score < 0.0, "{v:?}");
        assert!(!v.approved);
        assert!(
            v.reason.contains("CVE-2023-4966")
                && v.reason.contains("198.51.100.1")
                && v.reason.contains("ALR-0042")
        );
    }

    #[test]
    fn vague_text_is_denied_with_what_is_missing() {
        let v = review("payment looks suspicious, please isolate it", 0.2);
        assert!(!v.approved);
        assert!(v.reason.contains("Missing"), "{}", v.reason);
        assert!(v.reason.contains("No indicator of compromise"));
    }

    #[test]
    fn citations_are_found_in_one_pass() {
        let c = Citations::scan(
            "see cve-2021-44228, cve-99-1 and alr-0003 and alr-12. from 10.0.0.1. and 999.1.1.1",
        );
        assert_eq!(c.cves, vec!["cve-2021-44228"]);
        assert_eq!(c.alerts, vec![3, 12]);
        assert_eq!(c.ips, vec![Ip::new(10, 0, 0, 1)]);
    }
}
