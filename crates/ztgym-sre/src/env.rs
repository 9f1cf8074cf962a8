//! The environment: `reset` and `step` over a scenario, with reward and cost kept apart.

use crate::action::{Action, Privileged};
use crate::curriculum::{Curriculum, Level, LevelParams};
use crate::cve::{Cve, CveCatalog, ThreatClass};
use crate::gate::{BuiltinGate, Gate, Proposal, Rule};
use crate::judge::{Evidence, Judge, OfflineJudge, ReviewRequest, Verdict};
use crate::observation::{
    ActionMask, CostBreakdown, Event, EventKind, Finding, Info, LogQuery, Observation, Outcome,
    ServiceState, ServiceView, Step, TicketStatus, TicketView,
};
use crate::rng::Rng;
use crate::scenario::Scenario;
use crate::siem::{Alert, AlertKind, Ip, LogEvent, LogLine, Severity, EPOCH, STEP_SECONDS};
use std::sync::Arc;

mod contain;
mod contract;
mod investigate;
mod setup;
mod step;
mod tickets;
mod view;
mod world;

pub use crate::types::{ResetOptions, State, StepError, ThreatState};

const ROLES: [&str; 6] = [
    "svc-deploy",
    "app-runtime",
    "ci-runner",
    "db-admin",
    "backup-operator",
    "breakglass-admin",
];
const PROCESSES: [&str; 7] = [
    "/bin/sh -c id",
    "curl -o /tmp/.cache/kworker",
    "nc -e /bin/sh",
    "python3 -c 'import pty'",
    "powershell -nop -enc",
    "certutil -urlcache -f",
    "xmrig --donate-level 1",
];

/// An attacker's foothold on one node.
#[derive(Clone, Debug)]
struct Threat {
    node: usize,
    cve: usize,
    /// Set when the attacker arrived by lateral movement from this node (stolen credentials:
    /// patching the CVE does not remove it).
    from: Option<usize>,
    attacker: Ip,
    c2: Ip,
    /// Index into `ROLES`.
    role: usize,
    /// Index into `PROCESSES`.
    process: usize,
    indicator: usize,
    /// Step since which it is active (for lateral movement).
    since: u32,
    spread: bool,
    /// `None` while active; `Isolate` while cut off (returns if restored); `Patch` once removed.
    contained: Option<Privileged>,
    alert: usize,
}

/// An alert raised at reset, before the feed is shuffled.
struct OpeningAlert {
    node: usize,
    kind: AlertKind,
    severity: Severity,
    src: Ip,
    /// Index of the threat it reports, if real.
    threat: Option<usize>,
    /// The CVE a decoy names.
    decoy: Option<usize>,
}

#[derive(Clone, Debug)]
struct RedHerring {
    node: usize,
    kind: AlertKind,
    src: Ip,
    /// The CVE a blocked exploit attempt aimed at (loud levels).
    decoy: Option<usize>,
    queried: bool,
}

#[derive(Clone, Debug)]
struct Ticket {
    id: Arc<str>,
    node: usize,
    action: Privileged,
    justification: Arc<str>,
    approver: usize,
    filed_at: u32,
    ready_at: u32,
    verdict: Verdict,
    delivered: bool,
    used: bool,
    /// The node's logs had been read when the ticket was filed.
    investigated_first: bool,
}

impl Ticket {
    fn status(&self) -> TicketStatus {
        match (self.delivered, self.verdict.approved, self.used) {
            (false, _, _) => TicketStatus::Pending,
            (true, true, true) => TicketStatus::Used,
            (true, true, false) => TicketStatus::Approved,
            (true, false, _) => TicketStatus::Denied,
        }
    }
}

/// A Zero Trust SRE Gym environment: what its scenario fixes, shared and never changed by an
/// episode, the curriculum's record across episodes, and the episode under way.
///
/// Cloning is cheap (the fixed part is shared) and a clone steps exactly like the original.
#[derive(Clone)]
pub struct Env {
    fx: Arc<Fixed>,
    curriculum: Curriculum,
    ep: Episode,
    /// Working buffers, emptied before each use: never episode state.
    scratch: Scratch,
}

/// Buffers a step or a reset fills and empties again, kept to save allocations.
#[derive(Default)]
struct Scratch {
    pending: Vec<OpeningAlert>,
    lines: Vec<LogEvent>,
    node_alerts: Vec<u32>,
}

impl Clone for Scratch {
    /// Nothing to copy: a clone starts with empty buffers of its own.
    fn clone(&self) -> Scratch {
        Scratch::default()
    }
}

/// What the scenario, the catalog, the judge and the gate fix: the same for every episode.
struct Fixed {
    scenario: Arc<Scenario>,
    scenario_name: Arc<str>,
    names: Arc<[Arc<str>]>,
    /// Approver role names, shared by every ticket view.
    roles: Vec<Arc<str>>,
    cves: Vec<Arc<Cve>>,
    cve_ids: Vec<Arc<str>>,
    /// For each threat class: the (unprotected node, CVE) pairs sharing a tag.
    pairs: [Vec<(usize, usize)>; 5],
    judge: Box<dyn Judge>,
    gate: Box<dyn Gate<Proposal>>,
    /// For each service: the services that go offline with it (the judge's blast radius).
    radius: Vec<Vec<Arc<str>>>,
    /// For each service: a bit per service it depends on.
    upstream: Vec<u64>,
    /// Ticket ids `INC-0001`, ... for as many tickets as the longest episode can file.
    ticket_ids: Vec<Arc<str>>,
    /// The roles and processes an attacker shows, and each CVE's payloads, as evidence terms.
    role_terms: Vec<Arc<str>>,
    process_terms: Vec<Arc<str>>,
    payload_terms: Vec<Vec<Arc<str>>>,
}

/// Everything one episode changes. `reset` replaces it whole, so nothing carries over from
/// one episode to the next.
#[derive(Clone)]
struct Episode {
    seed: u64,
    options: ResetOptions,
    level: Level,
    params: LevelParams,
    rng: Rng,
    /// `reset` was called (false only before the first episode).
    started: bool,
    step: u32,
    outcome: Option<Outcome>,
    isolated: u64,
    states: Vec<ServiceState>,
    uptime: f64,
    threats: Vec<Threat>,
    herrings: Vec<RedHerring>,
    alerts: Vec<Alert>,
    alert_open: Vec<bool>,
    evidence: Vec<Evidence>,
    /// The CVE ids of every node's evidence, in node order, each once (the patch candidates).
    seen_cves: Vec<Arc<str>>,
    tickets: Vec<Ticket>,
    episode_return: f64,
    episode_cost: f64,
    logs: Option<LogQuery>,
}

/// The buffers of an episode, emptied, for the next episode to fill: only their memory
/// carries over.
#[derive(Default)]
struct Spare {
    states: Vec<ServiceState>,
    threats: Vec<Threat>,
    herrings: Vec<RedHerring>,
    alerts: Vec<Alert>,
    alert_open: Vec<bool>,
    evidence: Vec<Evidence>,
    seen_cves: Vec<Arc<str>>,
    tickets: Vec<Ticket>,
}

impl Episode {
    /// A new episode on `n` services, before its threats are drawn, in `spare`'s memory.
    fn new(seed: u64, options: ResetOptions, level: Level, n: usize, spare: Spare) -> Episode {
        let Spare {
            mut states,
            threats,
            herrings,
            alerts,
            alert_open,
            mut evidence,
            seen_cves,
            tickets,
        } = spare;
        states.resize(n, ServiceState::Healthy);
        evidence.resize_with(n, Evidence::default);
        Episode {
            seed,
            options,
            level,
            params: level.params(),
            rng: Rng::new(seed),
            started: true,
            step: 0,
            outcome: None,
            isolated: 0,
            states,
            uptime: 100.0,
            threats,
            herrings,
            alerts,
            alert_open,
            evidence,
            seen_cves,
            tickets,
            episode_return: 0.0,
            episode_cost: 0.0,
            logs: None,
        }
    }

    /// Takes this episode's buffers, emptied (the episode is left hollow, to be replaced).
    fn spare(&mut self) -> Spare {
        let mut spare = Spare {
            states: std::mem::take(&mut self.states),
            threats: std::mem::take(&mut self.threats),
            herrings: std::mem::take(&mut self.herrings),
            alerts: std::mem::take(&mut self.alerts),
            alert_open: std::mem::take(&mut self.alert_open),
            evidence: std::mem::take(&mut self.evidence),
            seen_cves: std::mem::take(&mut self.seen_cves),
            tickets: std::mem::take(&mut self.tickets),
        };
        spare.states.clear();
        spare.threats.clear();
        spare.herrings.clear();
        spare.alerts.clear();
        spare.alert_open.clear();
        spare.evidence.iter_mut().for_each(Evidence::clear);
        spare.seen_cves.clear();
        spare.tickets.clear();
        spare
    }
}

impl Env {
    /// An environment on `scenario` with the built-in CVE catalog, the offline judge and the
    /// built-in gate.
    pub fn new(scenario: Scenario) -> Env {
        Env::with_parts(
            scenario,
            CveCatalog::builtin(),
            Box::new(OfflineJudge),
            Box::new(BuiltinGate),
        )
        .expect("a checked scenario always has a threat in the built-in catalog")
    }

    /// An environment with a chosen catalog, judge and gate. Fails when no CVE of the catalog
    /// fits an unprotected service of the scenario.
    pub fn with_parts(
        scenario: Scenario,
        catalog: &CveCatalog,
        judge: Box<dyn Judge>,
        gate: Box<dyn Gate<Proposal>>,
    ) -> Result<Env, String> {
        let cves: Vec<Arc<Cve>> = catalog.entries().iter().cloned().map(Arc::new).collect();
        let cve_ids = cves.iter().map(|c| Arc::from(c.id.as_str())).collect();
        let mut pairs: [Vec<(usize, usize)>; 5] = Default::default();
        for (n, s) in scenario.services().iter().enumerate() {
            if s.protected {
                continue;
            }
            for (c, cve) in cves.iter().enumerate() {
                if cve.fits(&s.tags) {
                    pairs[cve.class.index()].push((n, c));
                }
            }
        }
        if pairs.iter().all(Vec::is_empty) {
            return Err(format!(
                "scenario {}: no CVE in the catalog shares a tag with an unprotected service",
                scenario.name()
            ));
        }
        let names: Arc<[Arc<str>]> = scenario.names.clone().into();
        let level = scenario.file.scenario.default_level;
        // Before the first reset: an idle episode that refuses to step.
        let mut ep = Episode::new(
            0,
            ResetOptions::default(),
            level,
            names.len(),
            Spare::default(),
        );
        ep.started = false;
        let radius = (0..names.len())
            .map(|i| {
                scenario
                    .blast_radius(i)
                    .into_iter()
                    .map(|j| names[j].clone())
                    .collect()
            })
            .collect();
        let upstream = scenario
            .upstream
            .iter()
            .map(|up| up.iter().fold(0u64, |mask, &u| mask | 1 << u))
            .collect();
        let longest = Level::ALL
            .iter()
            .map(|l| l.params().max_steps)
            .max()
            .unwrap_or_default();
        let ticket_ids = (1..=longest)
            .map(|k| Arc::from(ticket_id(k as usize)))
            .collect();
        let terms = |list: &[&str]| list.iter().map(|&t| Arc::from(t)).collect();
        let payload_terms = cves
            .iter()
            .map(|c| c.indicators.iter().map(|t| Arc::from(t.as_str())).collect())
            .collect();
        Ok(Env {
            fx: Arc::new(Fixed {
                names,
                cves,
                cve_ids,
                pairs,
                judge,
                gate,
                radius,
                upstream,
                ticket_ids,
                role_terms: terms(&ROLES),
                process_terms: terms(&PROCESSES),
                payload_terms,
                scenario_name: Arc::from(scenario.name()),
                roles: scenario
                    .rules()
                    .approvers
                    .iter()
                    .map(|a| Arc::from(a.role.as_str()))
                    .collect(),
                scenario: Arc::new(scenario),
            }),
            curriculum: Curriculum::default(),
            ep,
            scratch: Scratch::default(),
        })
    }

    /// The scenario.
    pub fn scenario(&self) -> &Scenario {
        &self.fx.scenario
    }

    /// The gate that judges privileged actions (the built-in one or a Rego policy).
    pub fn gate(&self) -> &dyn Gate<Proposal> {
        self.fx.gate.as_ref()
    }

    /// The curriculum's record (used when `ResetOptions::curriculum` is on).
    pub fn curriculum(&self) -> &Curriculum {
        &self.curriculum
    }

    /// Replaces the curriculum's record, e.g. to resume training.
    pub fn set_curriculum(&mut self, curriculum: Curriculum) {
        self.curriculum = curriculum;
    }

    /// The judge's name.
    pub fn judge_name(&self) -> &str {
        self.fx.judge.name()
    }

    /// Every alert of the episode so far, oldest first (the SIEM stream).
    pub fn alerts(&self) -> &[Alert] {
        &self.ep.alerts
    }

    /// What the agent has seen in a node's logs.
    pub fn evidence(&self, node: &str) -> Option<&Evidence> {
        self.fx
            .scenario
            .index_of(node)
            .map(|i| &self.ep.evidence[i])
    }

    /// Whether the episode has ended.
    pub fn is_done(&self) -> bool {
        self.ep.outcome.is_some()
    }

    /// The full hidden state, for debugging, replays and teaching.
    pub fn state(&self) -> State {
        State {
            scenario: self.fx.scenario.name().to_string(),
            seed: self.ep.seed,
            level: self.ep.level,
            step: self.ep.step,
            outcome: self.ep.outcome,
            uptime: self.ep.uptime,
            episode_return: self.ep.episode_return,
            episode_cost: self.ep.episode_cost,
            threats: self
                .ep
                .threats
                .iter()
                .map(|t| ThreatState {
                    node: self.fx.names[t.node].to_string(),
                    cve: self.fx.cves[t.cve].id.clone(),
                    class: self.fx.cves[t.cve].class,
                    lateral_from: t.from.map(|f| self.fx.names[f].to_string()),
                    attacker_ip: t.attacker.to_string(),
                    contained: t.contained,
                })
                .collect(),
            red_herrings: self
                .ep
                .herrings
                .iter()
                .map(|h| self.fx.names[h.node].to_string())
                .collect(),
            curriculum: self.curriculum.clone(),
        }
    }
}

/// `str::trim`, with nothing to do for the usual text that starts and ends with a visible
/// ASCII character.
fn trim(text: &str) -> &str {
    let visible =
        |b: Option<&u8>| b.is_some_and(|&b| b.is_ascii() && !char::from(b).is_whitespace());
    let bytes = text.as_bytes();
    if visible(bytes.first()) && visible(bytes.last()) {
        text
    } else {
        text.trim()
    }
}

/// `INC-0007`.
fn ticket_id(k: usize) -> String {
    format!("INC-{k:04}")
}

#[cfg(test)]
mod tests {
    use super::trim;

    #[test]
    fn trim_is_str_trim() {
        for text in [
            "",
            " ",
            "a",
            " a",
            "a ",
            " a b ",
            "\u{b}a\u{b}",
            "\u{3000}a\u{3000}",
            "\u{85}",
            "é",
            "aé",
            "éa",
            "a\u{2003}",
            "INC-0001",
            "\tpayment\n",
            "x\u{b}",
        ] {
            assert_eq!(trim(text), text.trim(), "{text:?}");
        }
    }
}
