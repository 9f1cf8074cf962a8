//! Change tickets and the judge that reviews them.
//!
//! Seed 000 asks an LLM to grade each ticket, and rejects every ticket when the LLM is out of
//! reach. Here the default judge is offline and deterministic: it reads the justification and
//! credits what a careful approver looks for, checked against what the agent really saw. The
//! [`Judge`] trait lets a language-model judge plug in later.

use crate::action::Privileged;
use crate::siem::Ip;
use serde::Serialize;
use std::fmt;
use std::sync::{Arc, OnceLock};

mod scan;

#[cfg(test)]
use scan::Citations;
use scan::{
    ascii_lowercase, ascii_lowercase_in_place, contains_ignore_case, scan_citations, Cited,
    Haystack, ShortText, RADIUS_WORDS, ROLLBACK_WORDS,
};

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

    #[cfg(test)]
    pub(crate) fn add_term(&mut self, term: &str) {
        if !self.terms.iter().any(|t| &**t == term) {
            self.terms.push(Arc::from(term));
        }
    }

    /// [`Evidence::add_term`] with a term already shared.
    pub(crate) fn add_shared_term(&mut self, term: &Arc<str>) {
        if !self.terms.iter().any(|t| **t == **term) {
            self.terms.push(term.clone());
        }
    }

    /// Forgets everything, keeping the memory (a new episode).
    pub(crate) fn clear(&mut self) {
        self.queried = false;
        self.cves.clear();
        self.ips.clear();
        self.terms.clear();
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
    pub reason: Reason,
}

/// A verdict's reason: a text, or the offline judge's findings, written out the first time
/// someone reads them (most verdicts of a training run are never read). It reads as a `str`.
#[derive(Clone)]
pub struct Reason(ReasonRepr);

#[derive(Clone)]
enum ReasonRepr {
    Text(Arc<str>),
    Rubric(Arc<(Findings, OnceLock<Box<str>>)>),
}

impl Reason {
    /// The reason as text.
    pub fn as_str(&self) -> &str {
        match &self.0 {
            ReasonRepr::Text(text) => text,
            ReasonRepr::Rubric(lazy) => lazy.1.get_or_init(|| lazy.0.to_string().into()),
        }
    }
}

impl std::ops::Deref for Reason {
    type Target = str;
    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl fmt::Display for Reason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for Reason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl PartialEq for Reason {
    fn eq(&self, other: &Reason) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Serialize for Reason {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl From<&str> for Reason {
    fn from(text: &str) -> Reason {
        Reason(ReasonRepr::Text(Arc::from(text)))
    }
}

impl From<String> for Reason {
    fn from(text: String) -> Reason {
        Reason(ReasonRepr::Text(Arc::from(text)))
    }
}

impl From<Arc<str>> for Reason {
    fn from(text: Arc<str>) -> Reason {
        Reason(ReasonRepr::Text(text))
    }
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

/// What the rubric found in one justification: enough to write the reason later.
struct Findings {
    role: ShortText,
    node: ShortText,
    approved: bool,
    score: f64,
    bar: f64,
    names_node: bool,
    good_cve: bool,
    /// The node's logs showed a CVE (so not citing one is missing).
    saw_cve: bool,
    good_alert: bool,
    indicators: usize,
    radius_named: bool,
    /// The dependents that would go offline, when the action is an isolation that has any.
    radius: Vec<Arc<str>>,
    rollback: bool,
    /// Citations of what the logs never showed, in the order the reason names them.
    fabricated_cves: Vec<String>,
    fabricated_alerts: Vec<u32>,
    fabricated_ips: Vec<Ip>,
}

impl Findings {
    fn fabricated(&self) -> usize {
        self.fabricated_cves.len() + self.fabricated_alerts.len() + self.fabricated_ips.len()
    }
}

impl fmt::Display for Findings {
    /// The reason: what was credited, what was made up, what was missing.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} ({}): score {:.2} against a bar of {:.2}: ",
            self.role,
            if self.approved { "approved" } else { "denied" },
            self.score,
            self.bar,
        )?;
        let mut sep = List::new(f, ", ");
        if self.names_node {
            sep.item(format_args!("names the node"))?;
        }
        if self.good_cve {
            sep.item(format_args!("cites the exploited CVE"))?;
        }
        if self.good_alert {
            sep.item(format_args!("cites an alert on the node"))?;
        }
        if self.indicators > 0 {
            sep.item(format_args!(
                "cites {} indicator(s) from the logs",
                self.indicators
            ))?;
        }
        if self.radius_named {
            sep.item(format_args!("states the blast radius"))?;
        }
        if self.rollback {
            sep.item(format_args!("has a rollback plan"))?;
        }
        if sep.is_empty() {
            f.write_str("nothing credited")?;
        }
        f.write_str(".")?;
        if self.fabricated() > 0 {
            write!(f, " Cites what the logs of {} never showed: ", self.node)?;
            let mut sep = List::new(f, ", ");
            for id in &self.fabricated_cves {
                sep.item(format_args!("{id}"))?;
            }
            for &id in &self.fabricated_alerts {
                sep.item(format_args!("ALR-{id:04}"))?;
            }
            for ip in &self.fabricated_ips {
                sep.item(format_args!("{ip}"))?;
            }
            f.write_str(".")?;
        }
        if !(self.good_cve || self.indicators > 0) {
            f.write_str(" No indicator of compromise from the node's logs is cited.")?;
        }
        let mut missing = List::new(f, "; ");
        missing.prefix = " Missing: ";
        if !self.names_node {
            missing.item(format_args!("the node ({})", self.node))?;
        }
        if !self.good_cve && self.saw_cve {
            missing.item(format_args!("the CVE seen in the node's logs"))?;
        }
        if !self.good_alert {
            missing.item(format_args!("an alert id on the node"))?;
        }
        if self.indicators == 0 {
            missing.item(format_args!(
                "indicators from the logs (addresses, roles, processes, payloads)"
            ))?;
        }
        if !self.radius_named {
            if self.radius.is_empty() {
                missing.item(format_args!("the blast radius"))?;
            } else {
                missing.item(format_args!(
                    "the blast radius ({} would go offline)",
                    Joined(&self.radius, ", ")
                ))?;
            }
        }
        if !self.rollback {
            missing.item(format_args!("a rollback plan"))?;
        }
        if !missing.is_empty() {
            missing.f.write_str(".")?;
        }
        Ok(())
    }
}

/// Writes items with a separator between them, and a prefix before the first.
struct List<'a, 'b> {
    f: &'a mut fmt::Formatter<'b>,
    prefix: &'static str,
    sep: &'static str,
    count: usize,
}

impl<'a, 'b> List<'a, 'b> {
    fn new(f: &'a mut fmt::Formatter<'b>, sep: &'static str) -> Self {
        List {
            f,
            prefix: "",
            sep,
            count: 0,
        }
    }

    fn item(&mut self, item: fmt::Arguments<'_>) -> fmt::Result {
        self.f.write_str(if self.count > 0 {
            self.sep
        } else {
            self.prefix
        })?;
        self.count += 1;
        self.f.write_fmt(item)
    }

    fn is_empty(&self) -> bool {
        self.count == 0
    }
}

/// Names joined by a separator.
struct Joined<'a>(&'a [Arc<str>], &'static str);

impl fmt::Display for Joined<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (k, name) in self.0.iter().enumerate() {
            if k > 0 {
                f.write_str(self.1)?;
            }
            f.write_str(name)?;
        }
        Ok(())
    }
}

impl Judge for OfflineJudge {
    fn name(&self) -> &str {
        "offline-rubric"
    }

    fn review(&self, r: &ReviewRequest<'_>) -> Verdict {
        // Lowercased on the stack when it fits (justifications are a few hundred bytes).
        match r.justification.len() {
            0..=128 => lowercased::<128, _>(r.justification, |text| grade(r, text)),
            129..=1024 => lowercased::<1024, _>(r.justification, |text| grade(r, text)),
            _ => grade(r, &ascii_lowercase(r.justification)),
        }
    }
}

/// Calls `f` with `text` lowercased in a buffer of `N` bytes on the stack (`text` must fit).
fn lowercased<const N: usize, T>(text: &str, f: impl FnOnce(&str) -> T) -> T {
    let mut buf = [0u8; N];
    let lower = &mut buf[..text.len()];
    lower.copy_from_slice(text.as_bytes());
    ascii_lowercase_in_place(lower);
    // Lowercasing ASCII letters leaves UTF-8 valid.
    f(std::str::from_utf8(lower).unwrap_or_default())
}

/// The offline judge's rubric over the lowercased justification `text`.
fn grade(r: &ReviewRequest<'_>, text: &str) -> Verdict {
    let mut score = 0.0;
    let mut fabricated_cves = Vec::new();
    let mut fabricated_alerts = Vec::new();
    let mut fabricated_ips = Vec::new();
    let mut good_cve = false;
    let mut good_alert = false;
    let mut indicators = 0;
    scan_citations(text, |cited| match cited {
        Cited::Cve(id) => {
            if r.evidence.cves.iter().any(|c| c.eq_ignore_ascii_case(id)) {
                good_cve = true;
            } else {
                fabricated_cves.push(id.to_ascii_uppercase());
            }
        }
        Cited::Alert(id) => {
            if r.node_alerts.contains(&id) {
                good_alert = true;
            } else {
                fabricated_alerts.push(id);
            }
        }
        Cited::Ip(ip) => {
            if r.evidence.ips.contains(&ip) {
                indicators += 1;
            } else {
                fabricated_ips.push(ip);
            }
        }
    });

    let haystack = Haystack::new(text);
    let names_node = contains_ignore_case(&haystack, r.node);
    if names_node {
        score += NAMES_NODE;
    }
    if good_cve {
        score += CITES_CVE;
    }
    if good_alert {
        score += CITES_ALERT;
    }
    indicators += r
        .evidence
        .terms
        .iter()
        .filter(|t| contains_ignore_case(&haystack, t))
        .count();
    if indicators > 0 {
        score += CITES_INDICATOR;
        if indicators > 1 {
            score += CITES_SECOND_INDICATOR;
        }
    }

    let any_radius = r.blast_radius.is_empty() || r.action != Privileged::Isolate;
    let radius_named = if any_radius {
        RADIUS_WORDS
            .iter()
            .any(|&(k, bits)| haystack.contains_with(k, bits))
    } else {
        r.blast_radius
            .iter()
            .all(|d| contains_ignore_case(&haystack, d))
    };
    if radius_named {
        score += NAMES_BLAST_RADIUS;
    }

    let rollback = ROLLBACK_WORDS
        .iter()
        .any(|&(k, bits)| haystack.contains_with(k, bits));
    if rollback {
        score += HAS_ROLLBACK;
    }

    let mut findings = Findings {
        role: ShortText::new(r.role),
        node: ShortText::new(r.node),
        approved: false,
        score: 0.0,
        bar: r.bar,
        names_node,
        good_cve,
        saw_cve: !r.evidence.cves.is_empty(),
        good_alert,
        indicators,
        radius_named,
        radius: if radius_named || any_radius {
            Vec::new()
        } else {
            r.blast_radius.to_vec()
        },
        rollback,
        fabricated_cves,
        fabricated_alerts,
        fabricated_ips,
    };
    score += FABRICATED * findings.fabricated() as f64;
    let score = score.clamp(-1.0, 1.0);
    let proves_compromise = good_cve || indicators > 0;
    let approved = score >= r.bar && proves_compromise;
    findings.score = score;
    findings.approved = approved;
    Verdict {
        score,
        approved,
        reason: Reason(ReasonRepr::Rubric(Arc::new((findings, OnceLock::new())))),
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
