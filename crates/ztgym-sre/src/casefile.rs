//! An operator's case file: what the observations of one episode showed about each node (the
//! logs read, the CVEs and indicators in them), and the ticket justification written from it.
//!
//! Built only from observations, so any agent may keep one: the SOP agent plays from it, and
//! the learned agents use it to turn abstract choices into concrete actions.

use crate::action::Privileged;
use crate::cve::Cve;
use crate::observation::{Observation, ServiceState};
use crate::scenario::Scenario;
use crate::siem::{push_alert_label, Ip, LogEvent, Severity};
use std::fmt;
use std::sync::Arc;

/// An indicator of compromise a log line showed.
#[derive(Clone, Debug)]
pub enum Indicator {
    /// An address: attacker, command and control, pivot.
    Ip(Ip),
    /// A payload fragment: `cve.indicators[k]`.
    Payload(Arc<Cve>, usize),
    /// A role or a process.
    Name(&'static str),
}

impl Indicator {
    /// The indicator as text, written into `buf` for an address.
    pub fn text<'a>(&'a self, buf: &'a mut [u8; 15]) -> &'a str {
        match self {
            Indicator::Ip(ip) => ip.write_to(buf),
            Indicator::Payload(cve, k) => cve.indicators.get(*k).map_or("", String::as_str),
            Indicator::Name(name) => name,
        }
    }
}

impl PartialEq for Indicator {
    /// Indicators are the same when their texts are.
    fn eq(&self, other: &Indicator) -> bool {
        match (self, other) {
            (Indicator::Ip(a), Indicator::Ip(b)) => a == b,
            (Indicator::Name(a), Indicator::Name(b)) => a == b,
            // An address's text starts with a digit: only such a text can equal it.
            (Indicator::Ip(_), text) | (text, Indicator::Ip(_))
                if !text
                    .text(&mut [0; 15])
                    .starts_with(|c: char| c.is_ascii_digit()) =>
            {
                false
            }
            _ => self.text(&mut [0; 15]) == other.text(&mut [0; 15]),
        }
    }
}

impl fmt::Display for Indicator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.text(&mut [0; 15]))
    }
}

/// What the logs of one node showed so far.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct NodeNotes {
    /// The node's logs were read at least once.
    pub read: bool,
    /// The CVEs of exploit lines, first seen first.
    pub cves: Vec<Arc<Cve>>,
    /// Addresses, roles, processes and payload fragments from malicious lines.
    pub indicators: Vec<Indicator>,
    /// A login from a compromised neighbour was seen: only isolation removes that attacker.
    pub lateral: bool,
    /// Open alerts on the node when its logs were last read.
    pub alerts_seen: usize,
}

impl NodeNotes {
    /// The logs proved a compromise.
    pub fn confirmed(&self) -> bool {
        !self.cves.is_empty() || self.lateral
    }

    /// The id of the first CVE seen.
    pub fn first_cve(&self) -> Option<&str> {
        self.cves.first().map(|c| c.id.as_str())
    }

    fn add_indicator(&mut self, indicator: Indicator) {
        if !self.indicators.contains(&indicator) {
            self.indicators.push(indicator);
        }
    }

    /// Forgets everything, keeping the memory.
    fn clear(&mut self) {
        self.read = false;
        self.cves.clear();
        self.indicators.clear();
        self.lateral = false;
        self.alerts_seen = 0;
    }
}

/// The notes of one episode, one entry per service in scenario order.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Casefile {
    notes: Vec<NodeNotes>,
}

impl Casefile {
    /// An empty case file for a scenario.
    pub fn new(scenario: &Scenario) -> Casefile {
        Casefile {
            notes: vec![NodeNotes::default(); scenario.services().len()],
        }
    }

    /// Forgets everything (a new episode).
    pub fn clear(&mut self) {
        self.notes.iter_mut().for_each(NodeNotes::clear);
    }

    /// The notes on service `i` (scenario order).
    pub fn notes(&self, i: usize) -> &NodeNotes {
        &self.notes[i]
    }

    /// Reads the logs an observation carries, if any. Call it with every observation in turn.
    pub fn observe(&mut self, obs: &Observation) {
        let Some(q) = &obs.logs else { return };
        let Some(i) = obs.services.iter().position(|s| s.id == q.node) else {
            return;
        };
        if i >= self.notes.len() {
            self.notes.resize(i + 1, NodeNotes::default());
        }
        let alerts = serious_alerts(obs, &q.node);
        let n = &mut self.notes[i];
        n.read = true;
        n.alerts_seen = alerts;
        for line in q.lines.iter() {
            match &line.event {
                LogEvent::ExploitAttempt {
                    src,
                    cve,
                    indicator,
                } => {
                    if !n.cves.iter().any(|c| c.id == cve.id) {
                        n.cves.push(cve.clone());
                    }
                    n.add_indicator(Indicator::Ip(*src));
                    if cve.indicators.get(*indicator).is_some() {
                        n.add_indicator(Indicator::Payload(cve.clone(), *indicator));
                    }
                }
                LogEvent::LateralLogin { src, role, .. } => {
                    n.lateral = true;
                    n.add_indicator(Indicator::Ip(*src));
                    n.add_indicator(Indicator::Name(role));
                }
                LogEvent::ProcessSpawn { role, process } => {
                    n.add_indicator(Indicator::Name(role));
                    n.add_indicator(Indicator::Name(process));
                }
                LogEvent::OutboundTransfer { dst, .. } => n.add_indicator(Indicator::Ip(*dst)),
                _ => {}
            }
        }
    }

    /// Whether service `i` still looks compromised: it is not isolated and a threat alert on
    /// it is open (alerts close when the threat is contained).
    pub fn uncontained(obs: &Observation, i: usize) -> bool {
        let Some(s) = obs.services.get(i) else {
            return false;
        };
        s.state != ServiceState::Isolated
            && obs
                .alerts
                .iter()
                .any(|a| a.host == s.id && a.kind.is_threat())
    }

    /// The most severe alerting node (medium or above) not read since its latest such alert; ties
    /// go to the oldest alert. The node an investigation should look at next.
    pub fn next_suspect(&self, obs: &Observation) -> Option<usize> {
        let mut best: Option<(Severity, u32, usize)> = None;
        for a in obs.alerts.iter().filter(|a| a.severity >= Severity::Medium) {
            let Some(i) = obs.services.iter().position(|s| s.id == a.host) else {
                continue;
            };
            let alerts_now = serious_alerts(obs, &a.host);
            if self
                .notes
                .get(i)
                .is_some_and(|n| n.alerts_seen >= alerts_now)
            {
                continue;
            }
            let better = match best {
                None => true,
                Some((sev, id, _)) => a.severity > sev || (a.severity == sev && a.id < id),
            };
            if better {
                best = Some((a.severity, a.id, i));
            }
        }
        best.map(|(_, _, i)| i)
    }

    /// Whether isolating service `i` now keeps uptime at or above the floor and stays within
    /// the concurrent-isolation limit (otherwise containment must be a patch).
    pub fn isolation_keeps_uptime(scenario: &Scenario, obs: &Observation, i: usize) -> bool {
        let isolated = obs
            .services
            .iter()
            .filter(|s| s.state == ServiceState::Isolated)
            .count();
        Self::isolation_keeps_uptime_with(scenario, obs, i, isolated)
    }

    /// [`Casefile::isolation_keeps_uptime`] with the isolated services already counted (the
    /// numeric observation asks it of every node).
    pub fn isolation_keeps_uptime_with(
        scenario: &Scenario,
        obs: &Observation,
        i: usize,
        isolated: usize,
    ) -> bool {
        let rules = scenario.rules();
        let mut lost = 0.0;
        for &j in std::iter::once(&i).chain(scenario.radius(i)) {
            if obs.services.get(j).is_some_and(|s| !s.state.is_down()) {
                lost += scenario.services()[j].uptime_weight;
            }
        }
        obs.uptime - lost >= rules.min_uptime && isolated < rules.max_concurrent_isolations
    }

    /// A ticket justification for `action` on service `i` that cites only what was seen: the
    /// open alerts on it, the CVEs and indicators in its logs, the blast radius and a rollback
    /// plan (what the offline judge and a human approver look for).
    pub fn justification(
        &self,
        scenario: &Scenario,
        obs: &Observation,
        i: usize,
        action: Privileged,
    ) -> String {
        let node = &*scenario.names[i];
        let empty = NodeNotes::default();
        let f = self.notes.get(i).unwrap_or(&empty);
        let mut s = String::with_capacity(512);
        for part in ["Request to ", action.as_str(), " ", node, ". "] {
            s.push_str(part);
        }
        let mut alerts = obs.alerts.iter().filter(|a| &*a.host == node).peekable();
        if alerts.peek().is_some() {
            s.push_str("Alerts ");
            for (k, a) in alerts.enumerate() {
                if k > 0 {
                    s.push_str(", ");
                }
                push_alert_label(&mut s, a.id);
            }
            for part in [" fired on ", node, ". "] {
                s.push_str(part);
            }
        }
        if !f.cves.is_empty() {
            s.push_str("Its SIEM logs show exploitation of ");
            push_joined(&mut s, f.cves.iter().map(|c| c.id.as_str()), ", ");
            s.push_str(". ");
        }
        if f.lateral {
            s.push_str("Its logs show a lateral login from a compromised neighbour. ");
        }
        if !f.indicators.is_empty() {
            s.push_str("Indicators seen in its logs: ");
            for (k, indicator) in f.indicators.iter().enumerate() {
                if k > 0 {
                    s.push_str("; ");
                }
                match indicator {
                    Indicator::Ip(ip) => ip.push_to(&mut s),
                    other => s.push_str(other.text(&mut [0; 15])),
                }
            }
            s.push_str(". ");
        }
        let radius = scenario.radius(i);
        match (action, radius.is_empty()) {
            (Privileged::Isolate, false) => {
                s.push_str("Blast radius: ");
                push_joined(&mut s, radius.iter().map(|&j| &*scenario.names[j]), ", ");
                for part in [" will go offline while ", node, " is isolated. "] {
                    s.push_str(part);
                }
            }
            (Privileged::Isolate, true) => s.push_str("Blast radius: no dependents go offline. "),
            _ => s.push_str("Blast radius: patched in place, no downtime for dependents. "),
        }
        s.push_str(
            "Rollback plan: restore_node once patched, or revert the change from the runbook.",
        );
        s
    }
}

/// Appends `items` to `out` with `sep` between them.
fn push_joined<'a>(out: &mut String, items: impl Iterator<Item = &'a str>, sep: &str) {
    for (k, item) in items.enumerate() {
        if k > 0 {
            out.push_str(sep);
        }
        out.push_str(item);
    }
}

/// Open alerts of medium severity or above on a node. Routine noise (info, low) is left out so
/// that a config reload does not make a node that was read look unread again.
fn serious_alerts(obs: &Observation, node: &Arc<str>) -> usize {
    obs.alerts
        .iter()
        .filter(|a| a.severity >= Severity::Medium && a.host == *node)
        .count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn indicators_are_equal_when_their_texts_are() {
        let ip = Indicator::Ip(Ip::new(10, 0, 1, 12));
        assert_eq!(ip, Indicator::Name("10.0.1.12"));
        assert_eq!(Indicator::Name("10.0.1.12"), ip);
        assert_ne!(ip, Indicator::Name("10.0.1.1"));
        assert_ne!(ip, Indicator::Name("svc-deploy"));
        assert_ne!(ip, Indicator::Ip(Ip::new(10, 0, 1, 13)));
        assert_eq!(ip.to_string(), "10.0.1.12");
        let cve = Arc::new(Cve {
            indicators: vec!["svc-deploy".into(), "${jndi:ldap://".into()],
            ..crate::cve::CveCatalog::builtin().entries()[0].clone()
        });
        assert_eq!(
            Indicator::Payload(cve.clone(), 0),
            Indicator::Name("svc-deploy")
        );
        assert_ne!(
            Indicator::Payload(cve.clone(), 1),
            Indicator::Name("svc-deploy")
        );
        assert_eq!(Indicator::Payload(cve, 1).to_string(), "${jndi:ldap://");
    }
}
