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
use serde::{Deserialize, Serialize};
use std::fmt;
use std::sync::Arc;

/// How `reset` sets up an episode.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ResetOptions {
    /// The difficulty; the scenario's default when absent (ignored with `curriculum`).
    pub level: Option<Level>,
    /// Let the curriculum pick the level and the threat classes the agent is weak on.
    pub curriculum: bool,
}

/// Why a step was refused. The environment is unchanged after an error.
#[derive(Clone, Debug, PartialEq)]
pub enum StepError {
    /// `step` before the first `reset`.
    NotReset,
    /// The episode already ended; call `reset`.
    EpisodeOver { outcome: Outcome },
    /// The action names a service the scenario does not have.
    UnknownNode {
        tool: &'static str,
        node: String,
        known: Vec<String>,
    },
    /// The action names a ticket that was never filed.
    UnknownTicket { ticket: String, known: Vec<String> },
    /// A required field is empty.
    EmptyField {
        tool: &'static str,
        field: &'static str,
    },
}

impl fmt::Display for StepError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StepError::NotReset => write!(f, "step: call reset before the first step"),
            StepError::EpisodeOver { outcome } => {
                write!(
                    f,
                    "step: the episode is over ({}); call reset to start another",
                    outcome.as_str()
                )
            }
            StepError::UnknownNode { tool, node, known } => {
                write!(
                    f,
                    "{tool}.node: unknown service {node:?} (known: {})",
                    known.join(", ")
                )
            }
            StepError::UnknownTicket { ticket, known } => write!(
                f,
                "check_approval.ticket: unknown ticket {ticket:?} (filed: {})",
                if known.is_empty() {
                    "none".to_string()
                } else {
                    known.join(", ")
                }
            ),
            StepError::EmptyField { tool, field } => write!(f, "{tool}.{field}: must not be empty"),
        }
    }
}

impl std::error::Error for StepError {}

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
    role: &'static str,
    process: &'static str,
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
/// Steps a routine alert stays open.
const NOISE_OPEN_STEPS: u32 = 3;

/// A Zero Trust SRE Gym environment.
pub struct Env {
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
    gate: Box<dyn Gate>,
    curriculum: Curriculum,

    seed: u64,
    options: ResetOptions,
    level: Level,
    params: LevelParams,
    rng: Rng,
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
    tickets: Vec<Ticket>,
    episode_return: f64,
    episode_cost: f64,
    logs: Option<LogQuery>,
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
        gate: Box<dyn Gate>,
    ) -> Result<Env, String> {
        let cves: Vec<Arc<Cve>> = catalog.entries().iter().cloned().map(Arc::new).collect();
        let cve_ids = cves.iter().map(|c| Arc::from(c.id.as_str())).collect();
        let mut pairs: [Vec<(usize, usize)>; 5] = Default::default();
        for (n, s) in scenario.services().iter().enumerate() {
            if s.protected {
                continue;
            }
            for (c, cve) in cves.iter().enumerate() {
                if cve.tags.iter().any(|t| s.tags.contains(t)) {
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
        let n = names.len();
        let level = scenario.file.scenario.default_level;
        Ok(Env {
            names,
            cves,
            cve_ids,
            pairs,
            judge,
            gate,
            curriculum: Curriculum::default(),
            seed: 0,
            options: ResetOptions::default(),
            level,
            params: level.params(),
            rng: Rng::new(0),
            started: false,
            step: 0,
            outcome: None,
            isolated: 0,
            states: vec![ServiceState::Healthy; n],
            uptime: 100.0,
            threats: Vec::new(),
            herrings: Vec::new(),
            alerts: Vec::new(),
            alert_open: Vec::new(),
            evidence: vec![Evidence::default(); n],
            tickets: Vec::new(),
            episode_return: 0.0,
            episode_cost: 0.0,
            logs: None,
            scenario_name: Arc::from(scenario.name()),
            roles: scenario
                .rules()
                .approvers
                .iter()
                .map(|a| Arc::from(a.role.as_str()))
                .collect(),
            scenario: Arc::new(scenario),
        })
    }

    /// The scenario.
    pub fn scenario(&self) -> &Scenario {
        &self.scenario
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
        self.judge.name()
    }

    /// Every alert of the episode so far, oldest first (the SIEM stream).
    pub fn alerts(&self) -> &[Alert] {
        &self.alerts
    }

    /// What the agent has seen in a node's logs.
    pub fn evidence(&self, node: &str) -> Option<&Evidence> {
        self.scenario.index_of(node).map(|i| &self.evidence[i])
    }

    /// Whether the episode has ended.
    pub fn is_done(&self) -> bool {
        self.outcome.is_some()
    }

    /// Starts an episode. The same seed and options give the same episode.
    pub fn reset(&mut self, seed: u64, options: ResetOptions) -> (Observation, Info) {
        self.level = if options.curriculum {
            self.curriculum.level()
        } else {
            options
                .level
                .unwrap_or(self.scenario.file.scenario.default_level)
        };
        self.params = self.level.params();
        self.options = options;
        self.seed = seed;
        self.rng = Rng::new(seed);
        self.started = true;
        self.step = 0;
        self.outcome = None;
        self.isolated = 0;
        self.threats.clear();
        self.herrings.clear();
        self.alerts.clear();
        self.alert_open.clear();
        self.tickets.clear();
        self.evidence
            .iter_mut()
            .for_each(|e| *e = Evidence::default());
        self.episode_return = 0.0;
        self.episode_cost = 0.0;
        self.logs = None;

        // Threats first, then red herrings on other nodes; their alerts are shuffled so the
        // feed's order does not give the answer away.
        let mut pending: Vec<OpeningAlert> = Vec::new();
        for _ in 0..self.params.threats {
            if let Some((node, cve)) = self.draw_threat_target() {
                let t = self.new_threat(node, cve, None);
                pending.push(OpeningAlert {
                    node,
                    kind: AlertKind::Exploit,
                    severity: Severity::Critical,
                    src: t.attacker,
                    threat: Some(self.threats.len()),
                    decoy: None,
                });
                self.threats.push(t);
            }
        }
        let n = self.names.len();
        for _ in 0..self.params.red_herrings {
            let free: Vec<usize> = (0..n)
                .filter(|&i| {
                    !self.threats.iter().any(|t| t.node == i)
                        && !self.herrings.iter().any(|h| h.node == i)
                })
                .collect();
            if free.is_empty() {
                break;
            }
            let node = *self.rng.pick(&free);
            // At the loud levels a red herring is a blocked exploit attempt whose alert reads
            // exactly like a real one: only the node's logs tell them apart.
            let (kind, severity, decoy) = if self.params.loud_red_herrings {
                (
                    AlertKind::Exploit,
                    Severity::Critical,
                    Some(self.rng.below(self.cves.len())),
                )
            } else {
                let kind = self
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
                    Ip::new(10, 0, 9, 10 + self.rng.below(200) as u8)
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
            self.herrings.push(RedHerring {
                node,
                kind,
                src,
                decoy,
                queried: false,
            });
        }
        self.rng.shuffle(&mut pending);
        for OpeningAlert {
            node,
            kind,
            severity,
            src,
            threat,
            decoy,
        } in pending
        {
            let cve = threat
                .map(|t| self.threats[t].cve)
                .or(decoy)
                .map(|c| self.cves[c].clone());
            let id = self.raise(node, kind, severity, src, cve);
            if let Some(t) = threat {
                self.threats[t].alert = id;
            }
        }
        self.refresh_states();
        (
            self.observation(),
            self.info(Vec::new(), CostBreakdown::default()),
        )
    }

    /// Advances one step.
    pub fn step(&mut self, action: &Action) -> Result<Step, StepError> {
        if !self.started {
            return Err(StepError::NotReset);
        }
        if let Some(outcome) = self.outcome {
            return Err(StepError::EpisodeOver { outcome });
        }
        let node = match action.node() {
            Some(name) => Some(self.node_index(action.tool(), name)?),
            None => None,
        };
        let ticket = match action {
            Action::CheckApproval { ticket } => Some(self.ticket_index(ticket)?),
            Action::PatchNode { cve, .. } if cve.trim().is_empty() => {
                return Err(StepError::EmptyField {
                    tool: "patch_node",
                    field: "cve",
                })
            }
            _ => None,
        };

        self.step += 1;
        self.logs = None;
        let scenario = self.scenario.clone();
        let rules = scenario.rules();
        let mut events = vec![Event {
            kind: EventKind::StepCost,
            reward: rules.step_cost,
            cost: 0.0,
        }];
        let mut costs = CostBreakdown::default();
        match (action, node, ticket) {
            (Action::QuerySiemLogs { .. }, Some(n), _) => self.query(n, &mut events),
            (
                Action::FileTicket {
                    action: what,
                    justification,
                    ..
                },
                Some(n),
                _,
            ) => self.file_ticket(n, *what, justification, &mut events),
            (Action::CheckApproval { .. }, _, Some(t)) => self.check_approval(t, &mut events),
            (Action::IsolateNode { .. }, Some(n), _) => {
                self.privileged(Privileged::Isolate, n, None, &mut events, &mut costs)
            }
            (Action::RestoreNode { .. }, Some(n), _) => {
                self.privileged(Privileged::Restore, n, None, &mut events, &mut costs)
            }
            (Action::PatchNode { cve, .. }, Some(n), _) => self.privileged(
                Privileged::Patch,
                n,
                Some(cve.trim()),
                &mut events,
                &mut costs,
            ),
            _ => {}
        }
        self.refresh_states();
        if self.outcome.is_none() {
            self.advance_attackers(&mut events);
            self.refresh_states();
            if self.step >= self.params.max_steps {
                events.push(Event {
                    kind: EventKind::SlaBreach {
                        max_steps: self.params.max_steps,
                    },
                    reward: rules.sla_breach,
                    cost: 0.0,
                });
                self.outcome = Some(Outcome::Truncated);
            }
        }

        let reward: f64 = events.iter().map(|e| e.reward).sum();
        let cost = costs.total();
        self.episode_return += reward;
        self.episode_cost += cost;
        if let (Some(outcome), true) = (self.outcome, self.options.curriculum) {
            if let Some(first) = self.threats.first() {
                let class = self.cves[first.cve].class;
                self.curriculum
                    .record(class, outcome == Outcome::Success, self.step);
            }
        }
        Ok(Step {
            observation: self.observation(),
            reward,
            cost,
            terminated: matches!(self.outcome, Some(o) if o != Outcome::Truncated),
            truncated: self.outcome == Some(Outcome::Truncated),
            info: self.info(events, costs),
        })
    }

    /// The full hidden state, for debugging, replays and teaching.
    pub fn state(&self) -> State {
        State {
            scenario: self.scenario.name().to_string(),
            seed: self.seed,
            level: self.level,
            step: self.step,
            outcome: self.outcome,
            uptime: self.uptime,
            episode_return: self.episode_return,
            episode_cost: self.episode_cost,
            threats: self
                .threats
                .iter()
                .map(|t| ThreatState {
                    node: self.names[t.node].to_string(),
                    cve: self.cves[t.cve].id.clone(),
                    class: self.cves[t.cve].class,
                    lateral_from: t.from.map(|f| self.names[f].to_string()),
                    attacker_ip: t.attacker.to_string(),
                    contained: t.contained,
                })
                .collect(),
            red_herrings: self
                .herrings
                .iter()
                .map(|h| self.names[h.node].to_string())
                .collect(),
            curriculum: self.curriculum.clone(),
        }
    }

    fn node_index(&self, tool: &'static str, name: &str) -> Result<usize, StepError> {
        if name.trim().is_empty() {
            return Err(StepError::EmptyField {
                tool,
                field: "node",
            });
        }
        self.scenario
            .index_of(name)
            .ok_or_else(|| StepError::UnknownNode {
                tool,
                node: name.to_string(),
                known: self.names.iter().map(|n| n.to_string()).collect(),
            })
    }

    fn ticket_index(&self, id: &str) -> Result<usize, StepError> {
        if id.trim().is_empty() {
            return Err(StepError::EmptyField {
                tool: "check_approval",
                field: "ticket",
            });
        }
        self.tickets
            .iter()
            .position(|t| t.id.eq_ignore_ascii_case(id.trim()))
            .ok_or_else(|| StepError::UnknownTicket {
                ticket: id.to_string(),
                known: self.tickets.iter().map(|t| t.id.to_string()).collect(),
            })
    }

    // ---- episode set-up -------------------------------------------------------------------

    fn draw_threat_target(&mut self) -> Option<(usize, usize)> {
        let taken = self.threats.iter().fold(0u64, |mask, t| mask | 1 << t.node);
        fn free(pairs: &[(usize, usize)], taken: u64) -> impl Iterator<Item = &(usize, usize)> {
            pairs.iter().filter(move |(n, _)| taken >> n & 1 == 0)
        }
        let learner = if self.options.curriculum {
            self.curriculum.class_weights()
        } else {
            [1.0; 5]
        };
        let mut weights = [0.0; 5];
        for class in ThreatClass::ALL {
            let i = class.index();
            if free(&self.pairs[i], taken).next().is_some() {
                weights[i] = learner[i] * self.scenario.class_weight(class);
            }
        }
        if weights.iter().all(|w| *w <= 0.0) {
            return None;
        }
        let class = self.rng.weighted(&weights);
        let count = free(&self.pairs[class], taken).count();
        let k = self.rng.below(count);
        free(&self.pairs[class], taken).nth(k).copied()
    }

    fn external_ip(&mut self) -> Ip {
        // Documentation ranges (RFC 5737): realistic, never anyone's real address.
        let net = *self.rng.pick(&[[203u8, 0, 113], [198, 51, 100]]);
        Ip::new(net[0], net[1], net[2], 2 + self.rng.below(252) as u8)
    }

    fn internal_ip(node: usize) -> Ip {
        Ip::new(10, 0, 1, 10 + node as u8)
    }

    fn new_threat(&mut self, node: usize, cve: usize, from: Option<usize>) -> Threat {
        let attacker = match from {
            Some(f) => Env::internal_ip(f),
            None => self.external_ip(),
        };
        Threat {
            node,
            cve,
            from,
            attacker,
            c2: Ip::new(192, 0, 2, 2 + self.rng.below(252) as u8),
            role: ROLES[self.rng.below(ROLES.len())],
            process: PROCESSES[self.rng.below(PROCESSES.len())],
            indicator: self.rng.below(self.cves[cve].indicators.len().max(1)),
            since: self.step,
            spread: false,
            contained: None,
            alert: usize::MAX,
        }
    }

    fn raise(
        &mut self,
        node: usize,
        kind: AlertKind,
        severity: Severity,
        src: Ip,
        cve: Option<Arc<Cve>>,
    ) -> usize {
        let id = self.alerts.len();
        let jitter = self.rng.below(STEP_SECONDS as usize) as u64;
        self.alerts.push(Alert {
            id: id as u32 + 1,
            step: self.step,
            timestamp: EPOCH + u64::from(self.step) * STEP_SECONDS + jitter,
            severity,
            host: self.names[node].clone(),
            source_ip: src,
            kind,
            cve,
        });
        self.alert_open.push(true);
        id
    }

    // ---- actions --------------------------------------------------------------------------

    fn query(&mut self, node: usize, events: &mut Vec<Event>) {
        let scenario = self.scenario.clone();
        let rules = scenario.rules();
        let shown_before = self.evidence[node].shows_compromise();
        let now = EPOCH + u64::from(self.step) * STEP_SECONDS;
        let host = self.names[node].clone();
        let mut lines: Vec<LogEvent> = vec![
            LogEvent::HttpRequest {
                src: self.external_ip(),
                path: ROUTINE_PATHS[self.rng.below(ROUTINE_PATHS.len())],
                status: 200,
            },
            LogEvent::HealthCheck {
                latency_ms: 3 + self.rng.below(40) as u32,
            },
        ];
        let ev = &mut self.evidence[node];
        ev.queried = true;
        for t in self
            .threats
            .iter()
            .filter(|t| t.node == node && t.contained != Some(Privileged::Patch))
        {
            let cve = &self.cves[t.cve];
            match t.from {
                Some(from) => lines.push(LogEvent::LateralLogin {
                    from: self.names[from].clone(),
                    src: t.attacker,
                    role: t.role,
                }),
                None => {
                    lines.push(LogEvent::ExploitAttempt {
                        src: t.attacker,
                        cve: cve.clone(),
                        indicator: t.indicator,
                    });
                    ev.add_cve(&self.cve_ids[t.cve]);
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
        for h in self.herrings.iter_mut().filter(|h| h.node == node) {
            herring_first |= !h.queried;
            h.queried = true;
            lines.push(match (h.decoy, &h.kind) {
                (Some(cve), _) => LogEvent::BlockedExploit {
                    src: h.src,
                    cve: self.cves[cve].clone(),
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
        self.rng.shuffle(&mut lines);
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
        self.logs = Some(LogQuery {
            node: host.clone(),
            lines,
        });

        let shows_now = self.evidence[node].shows_compromise();
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

    fn file_ticket(
        &mut self,
        node: usize,
        action: Privileged,
        justification: &str,
        events: &mut Vec<Event>,
    ) {
        let rules = self.scenario.rules();
        let name = self.names[node].clone();
        let chars = justification.trim().chars().count();
        if chars < rules.min_justification_chars {
            events.push(Event {
                kind: EventKind::TicketTooShort {
                    node: name,
                    chars,
                    min: rules.min_justification_chars,
                },
                reward: rules.ticket_too_short,
                cost: 0.0,
            });
            return;
        }
        if !self.evidence[node].queried {
            events.push(Event {
                kind: EventKind::TicketWithoutInvestigation { node: name.clone() },
                reward: rules.ticket_without_investigation,
                cost: 0.0,
            });
        }
        let approver = self.rng.below(rules.approvers.len());
        let role = &rules.approvers[approver];
        let radius: Vec<Arc<str>> = self
            .scenario
            .blast_radius(node)
            .into_iter()
            .map(|i| self.names[i].clone())
            .collect();
        let node_alerts: Vec<u32> = self
            .alerts
            .iter()
            .filter(|a| a.host == name)
            .map(|a| a.id)
            .collect();
        let verdict = self.judge.review(&ReviewRequest {
            node: &name,
            action,
            justification,
            evidence: &self.evidence[node],
            node_alerts: &node_alerts,
            blast_radius: &radius,
            role: &role.role,
            bar: role.bar,
        });
        let id: Arc<str> = Arc::from(format!("INC-{:04}", self.tickets.len() + 1));
        let ready_at = self.step + role.review_steps;
        events.push(Event {
            kind: EventKind::TicketFiled {
                ticket: id.clone(),
                node: name,
                action,
                approver: self.roles[approver].clone(),
                ready_at,
            },
            reward: 0.0,
            cost: 0.0,
        });
        self.tickets.push(Ticket {
            id,
            node,
            action,
            justification: Arc::from(justification),
            approver,
            filed_at: self.step,
            ready_at,
            verdict,
            delivered: false,
            used: false,
            investigated_first: self.evidence[node].queried,
        });
    }

    fn check_approval(&mut self, t: usize, events: &mut Vec<Event>) {
        let rules = self.scenario.rules();
        let node_compromised = self
            .threats
            .iter()
            .any(|th| th.node == self.tickets[t].node && th.contained != Some(Privileged::Patch));
        let ticket = &mut self.tickets[t];
        let (kind, reward) = if ticket.delivered {
            (
                EventKind::NothingNewOnTicket {
                    ticket: ticket.id.clone(),
                },
                rules.check_approval_nothing,
            )
        } else if self.step < ticket.ready_at {
            (
                EventKind::StillUnderReview {
                    ticket: ticket.id.clone(),
                    ready_at: ticket.ready_at,
                },
                rules.check_approval_nothing,
            )
        } else {
            ticket.delivered = true;
            let v = &ticket.verdict;
            let verdict_reward = match (node_compromised, v.approved) {
                (false, _) => rules.ticket_clean_node,
                (true, true) => rules.ticket_approved_scale * v.score,
                (true, false) => rules.ticket_denied_base + rules.ticket_denied_scale * v.score,
            };
            (
                EventKind::VerdictDelivered {
                    ticket: ticket.id.clone(),
                    approved: v.approved,
                    score: v.score,
                    node_compromised,
                },
                rules.check_approval_delivered + verdict_reward,
            )
        };
        events.push(Event {
            kind,
            reward,
            cost: 0.0,
        });
    }

    fn privileged(
        &mut self,
        action: Privileged,
        node: usize,
        cve: Option<&str>,
        events: &mut Vec<Event>,
        costs: &mut CostBreakdown,
    ) {
        let scenario = self.scenario.clone();
        let rules = scenario.rules();
        let name = self.names[node].clone();
        let isolated = self.isolated >> node & 1 == 1;
        let pointless = match action {
            Privileged::Isolate if isolated => Some("the node is already isolated"),
            Privileged::Restore if !isolated => Some("the node is not isolated"),
            _ => None,
        };
        if let Some(why) = pointless {
            events.push(Event {
                kind: EventKind::NoEffect {
                    action: Arc::from(format!("{} {name}", action.as_str())),
                    why,
                },
                reward: rules.no_effect,
                cost: 0.0,
            });
            return;
        }

        let ticket = self.tickets.iter().position(|t| {
            t.node == node && t.action == action && t.delivered && t.verdict.approved && !t.used
        });
        let proposal = Proposal {
            action,
            node: name.to_string(),
            protected: self.scenario.services()[node].protected,
            approved_ticket: ticket.is_some(),
            isolated_count: self.isolated.count_ones() as usize,
            max_concurrent_isolations: rules.max_concurrent_isolations,
            investigated: self.evidence[node].queried,
        };
        let decision = self.gate.check(&proposal);
        if let Some(&first) = decision.violations.first() {
            for (k, &rule) in decision.violations.iter().enumerate() {
                let (penalty, cost) = match rule {
                    Rule::NoApprovedTicket => (rules.no_ticket, rules.cost_no_ticket),
                    Rule::ProtectedNode => (rules.protected_node, rules.cost_protected_node),
                    Rule::ConcurrentIsolations => (
                        rules.concurrent_isolations,
                        rules.cost_concurrent_isolations,
                    ),
                    Rule::NotInvestigated => (rules.not_investigated, rules.cost_not_investigated),
                };
                costs.add(rule, cost);
                // Like seed 000, the first broken rule sets the penalty; every broken rule costs.
                events.push(Event {
                    kind: EventKind::Violation {
                        rule,
                        action,
                        node: name.clone(),
                        blocked: true,
                    },
                    reward: if k == 0 { penalty } else { 0.0 },
                    cost,
                });
            }
            if first == Rule::NoApprovedTicket {
                self.outcome = Some(Outcome::Violation);
            }
            return;
        }
        if let Some(t) = ticket {
            self.tickets[t].used = true;
        }

        match action {
            Privileged::Isolate => {
                let before = self.states.clone();
                self.isolated |= 1 << node;
                self.refresh_states();
                let offline: Vec<Arc<str>> = (0..self.names.len())
                    .filter(|&i| i != node && self.states[i].is_down() && !before[i].is_down())
                    .map(|i| self.names[i].clone())
                    .collect();
                events.push(Event {
                    kind: EventKind::Isolated {
                        node: name.clone(),
                        offline,
                    },
                    reward: 0.0,
                    cost: 0.0,
                });
                let mut contained = false;
                for t in self
                    .threats
                    .iter_mut()
                    .filter(|t| t.node == node && t.contained.is_none())
                {
                    t.contained = Some(Privileged::Isolate);
                    self.alert_open[t.alert] = false;
                    contained = true;
                }
                if contained {
                    self.after_containment(node, Privileged::Isolate, events);
                } else {
                    events.push(Event {
                        kind: EventKind::WrongNode { node: name },
                        reward: rules.wrong_node,
                        cost: 0.0,
                    });
                    self.outcome = Some(Outcome::WrongNode);
                }
            }
            Privileged::Patch => {
                let cve = cve.unwrap_or_default();
                let mut was_active = false;
                let mut fixed = false;
                for t in self.threats.iter_mut().filter(|t| {
                    t.node == node && t.from.is_none() && t.contained != Some(Privileged::Patch)
                }) {
                    if self.cve_ids[t.cve].eq_ignore_ascii_case(cve) {
                        was_active |= t.contained.is_none();
                        t.contained = Some(Privileged::Patch);
                        self.alert_open[t.alert] = false;
                        fixed = true;
                    }
                }
                let has_threat = self
                    .threats
                    .iter()
                    .any(|t| t.node == node && t.contained != Some(Privileged::Patch));
                if was_active {
                    self.refresh_states();
                    self.after_containment(node, Privileged::Patch, events);
                } else if fixed {
                    events.push(Event {
                        kind: EventKind::PatchedClean { node: name },
                        reward: 0.0,
                        cost: 0.0,
                    });
                } else if has_threat {
                    events.push(Event {
                        kind: EventKind::PatchedWrongCve {
                            node: name,
                            cve: Arc::from(cve),
                        },
                        reward: rules.patch_wrong_cve,
                        cost: 0.0,
                    });
                } else {
                    events.push(Event {
                        kind: EventKind::PatchedClean { node: name },
                        reward: rules.no_effect,
                        cost: 0.0,
                    });
                }
            }
            Privileged::Restore => {
                self.isolated &= !(1 << node);
                let mut back = false;
                for t in self
                    .threats
                    .iter_mut()
                    .filter(|t| t.node == node && t.contained == Some(Privileged::Isolate))
                {
                    t.contained = None;
                    t.since = self.step;
                    t.spread = false;
                    self.alert_open[t.alert] = true;
                    back = true;
                }
                events.push(Event {
                    kind: EventKind::Restored {
                        node: name,
                        still_compromised: back,
                    },
                    reward: if back {
                        rules.restore_compromised
                    } else {
                        rules.restore_clean
                    },
                    cost: 0.0,
                });
            }
        }
    }

    /// Seed 000's isolation results: outage below the uptime floor, success on the last
    /// threat, a partial reward otherwise.
    fn after_containment(&mut self, node: usize, how: Privileged, events: &mut Vec<Event>) {
        let scenario = self.scenario.clone();
        let rules = scenario.rules();
        self.refresh_states();
        let remaining = self
            .threats
            .iter()
            .filter(|t| t.contained.is_none())
            .count();
        events.push(Event {
            kind: EventKind::Contained {
                node: self.names[node].clone(),
                how,
                remaining,
            },
            reward: if remaining > 0 && self.uptime >= rules.min_uptime {
                rules.contain_partial
            } else {
                0.0
            },
            cost: 0.0,
        });
        if self.uptime < rules.min_uptime {
            events.push(Event {
                kind: EventKind::Outage {
                    uptime: self.uptime,
                    floor: rules.min_uptime,
                },
                reward: rules.outage,
                cost: 0.0,
            });
            self.outcome = Some(Outcome::Outage);
        } else if remaining == 0 {
            let phase = self.phase_score(events);
            let steps_left = self.params.max_steps.saturating_sub(self.step);
            events.push(Event {
                kind: EventKind::Success {
                    phase_score: phase,
                    steps_left,
                },
                reward: rules.success_base
                    + rules.success_phase_scale * phase
                    + rules.success_time_bonus * steps_left as f64,
                cost: 0.0,
            });
            self.outcome = Some(Outcome::Success);
        }
    }

    /// How by-the-book the episode was, in [0, 1] (seed 000 asks an LLM for this): the share of
    /// threats investigated before their ticket, the share contained under a ticket approved on
    /// the first try, and whether the episode kept a zero cost, averaged.
    fn phase_score(&self, events: &[Event]) -> f64 {
        let nodes: Vec<usize> = self.threats.iter().map(|t| t.node).collect();
        let n = nodes.len().max(1) as f64;
        let first_ticket = |node: usize| self.tickets.iter().find(|t| t.node == node);
        let investigated_first = nodes
            .iter()
            .filter(|&&node| first_ticket(node).is_some_and(|t| t.investigated_first))
            .count() as f64;
        let first_try = nodes
            .iter()
            .filter(|&&node| first_ticket(node).is_some_and(|t| t.verdict.approved))
            .count() as f64;
        let step_cost: f64 = events.iter().map(|e| e.cost).sum();
        let clean = if self.episode_cost + step_cost == 0.0 {
            1.0
        } else {
            0.0
        };
        (investigated_first / n + first_try / n + clean) / 3.0
    }

    // ---- the world moving on ----------------------------------------------------------------

    fn advance_attackers(&mut self, events: &mut Vec<Event>) {
        if self.params.spread_after > 0 {
            for i in 0..self.threats.len() {
                let t = &self.threats[i];
                if t.contained.is_some()
                    || t.spread
                    || self.step < t.since + self.params.spread_after
                    || self.states[t.node] != ServiceState::Compromised
                {
                    continue;
                }
                let from = t.node;
                self.threats[i].spread = true;
                let targets: Vec<usize> = self.scenario.upstream[from]
                    .iter()
                    .chain(&self.scenario.downstream[from])
                    .copied()
                    .filter(|&n| {
                        !self.scenario.services()[n].protected
                            && !self.states[n].is_down()
                            && !self
                                .threats
                                .iter()
                                .any(|t| t.node == n && t.contained != Some(Privileged::Patch))
                    })
                    .collect();
                if targets.is_empty() {
                    continue;
                }
                let to = *self.rng.pick(&targets);
                let mut threat = self.new_threat(to, self.threats[i].cve, Some(from));
                threat.c2 = self.threats[i].c2;
                let cve = self.cves[threat.cve].clone();
                threat.alert = self.raise(
                    to,
                    AlertKind::LateralMovement {
                        from: self.names[from].clone(),
                    },
                    Severity::Critical,
                    threat.attacker,
                    Some(cve),
                );
                self.threats.push(threat);
                events.push(Event {
                    kind: EventKind::LateralMovement {
                        from: self.names[from].clone(),
                        to: self.names[to].clone(),
                    },
                    reward: 0.0,
                    cost: 0.0,
                });
            }
        }
        if self.rng.chance(self.params.noise_per_step) {
            let node = self.rng.below(self.names.len());
            let kind = self
                .rng
                .pick(&[
                    AlertKind::ConfigReload,
                    AlertKind::CertificateRenewed,
                    AlertKind::BackupSlow,
                ])
                .clone();
            let severity = if self.rng.chance(0.5) {
                Severity::Info
            } else {
                Severity::Low
            };
            self.raise(node, kind, severity, Env::internal_ip(node), None);
        }
        for (a, open) in self.alerts.iter().zip(self.alert_open.iter_mut()) {
            if a.kind.is_noise() && self.step >= a.step + NOISE_OPEN_STEPS {
                *open = false;
            }
        }
    }

    fn refresh_states(&mut self) {
        let s = &self.scenario;
        let compromised = self
            .threats
            .iter()
            .filter(|t| t.contained.is_none())
            .fold(0u64, |mask, t| mask | 1 << t.node);
        let mut down = 0.0;
        for &i in &s.topo_order {
            let up = &s.upstream[i];
            let state = if self.isolated >> i & 1 == 1 {
                ServiceState::Isolated
            } else if up.iter().any(|&u| self.states[u].is_down()) {
                ServiceState::Offline
            } else if compromised >> i & 1 == 1 {
                ServiceState::Compromised
            } else if up
                .iter()
                .any(|&u| self.states[u] == ServiceState::Compromised)
            {
                ServiceState::Degraded
            } else {
                ServiceState::Healthy
            };
            if state.is_down() {
                down += s.file.services[i].uptime_weight;
            }
            self.states[i] = state;
        }
        self.uptime = (100.0 - down).clamp(0.0, 100.0);
    }

    // ---- what the agent sees ----------------------------------------------------------------

    fn observation(&self) -> Observation {
        let services = self.scenario.services();
        Observation {
            scenario: self.scenario_name.clone(),
            level: self.level,
            step: self.step,
            max_steps: self.params.max_steps,
            uptime: self.uptime,
            services: self
                .names
                .iter()
                .zip(&self.states)
                .zip(services)
                .map(|((id, &state), svc)| ServiceView {
                    id: id.clone(),
                    state,
                    protected: svc.protected,
                })
                .collect(),
            alerts: self
                .alerts
                .iter()
                .zip(&self.alert_open)
                .filter(|(_, o)| **o)
                .map(|(a, _)| a.clone())
                .collect(),
            tickets: self.tickets.iter().map(|t| self.ticket_view(t)).collect(),
            logs: self.logs.clone(),
        }
    }

    fn ticket_view(&self, t: &Ticket) -> TicketView {
        TicketView {
            id: t.id.clone(),
            node: self.names[t.node].clone(),
            action: t.action,
            justification: t.justification.clone(),
            approver: self.roles[t.approver].clone(),
            status: t.status(),
            filed_at: t.filed_at,
            ready_at: t.ready_at,
            score: t.delivered.then_some(t.verdict.score),
            reason: t.delivered.then(|| t.verdict.reason.clone()),
        }
    }

    /// The action mask for the current state.
    pub fn action_mask(&self) -> ActionMask {
        let all = if self.names.len() == 64 {
            u64::MAX
        } else {
            (1u64 << self.names.len()) - 1
        };
        let mut patch_cves: Vec<Arc<str>> = Vec::new();
        for e in &self.evidence {
            for c in &e.cves {
                if !patch_cves.contains(c) {
                    patch_cves.push(c.clone());
                }
            }
        }
        ActionMask {
            names: self.names.clone(),
            query: all,
            file_ticket: all,
            isolate: all & !self.isolated,
            restore: self.isolated,
            patch: if patch_cves.is_empty() { 0 } else { all },
            check: self
                .tickets
                .iter()
                .filter(|t| !t.delivered)
                .map(|t| t.id.clone())
                .collect(),
            patch_cves,
        }
    }

    fn info(&self, events: Vec<Event>, cost_breakdown: CostBreakdown) -> Info {
        Info {
            action_mask: self.action_mask(),
            cost_breakdown,
            events,
            outcome: self.outcome,
            episode_return: self.episode_return,
            episode_cost: self.episode_cost,
            threats_remaining: self
                .threats
                .iter()
                .filter(|t| t.contained.is_none())
                .count(),
            steps_remaining: self.params.max_steps.saturating_sub(self.step),
        }
    }
}

/// The hidden state of an episode, from [`Env::state`].
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct State {
    pub scenario: String,
    pub seed: u64,
    pub level: Level,
    pub step: u32,
    pub outcome: Option<Outcome>,
    pub uptime: f64,
    pub episode_return: f64,
    pub episode_cost: f64,
    pub threats: Vec<ThreatState>,
    pub red_herrings: Vec<String>,
    pub curriculum: Curriculum,
}

/// One threat in [`State`].
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ThreatState {
    pub node: String,
    pub cve: String,
    pub class: ThreatClass,
    pub lateral_from: Option<String>,
    pub attacker_ip: String,
    pub contained: Option<Privileged>,
}
