//! The SRE gym as a neural-network trainer plays it (the core's [`Numeric`]): the executor's
//! seven abstract actions, their mask from the gate, and the observation vector.
//!
//! The vector has [`OBSERVATION_LEN`] entries for every scenario, in three groups:
//!
//! 1. `global.*` ([`Global`]): the step as a share of the budget, the steps left, uptime and
//!    its margin over the floor, isolations against their limit, counts of alerts and tickets
//!    by status, whether this step showed logs, the level (one-hot).
//! 2. `learner.*`: the learners' features one-hot ([`crate::features`], no bias), e.g.
//!    `learner.ticket=isolate_ready`.
//! 3. `node0.*` to `node15.*` ([`Node`], [`MAX_NODES`] blocks in scenario order, zero past
//!    the scenario's last node, `present` telling which are real): the service's state
//!    (one-hot), protection, uptime weight, blast radius; its open alerts (count, top
//!    severity, kinds, CVSS); what its logs showed per the executor's case file (read, alerts
//!    unread since, CVEs, lateral login, indicators); its latest ticket (status one-hot,
//!    action, judge score), approved unused tickets per action; whether it is the abstract
//!    actions' suspect, `to_ticket` or `to_contain` target.
//!
//! Every entry is in `[0, 1]` except `global.uptime_margin`, in `[-1, 1]` (the core's
//! [`bounds`](ztgym_core::learn::numeric::bounds)); counts are divided by a scale and
//! clamped. A scenario of more than [`MAX_NODES`] services is refused by [`make`].

use crate::action::Privileged;
use crate::adapter::{AbstractAction, Executor, ACTIONS};
use crate::casefile::Casefile;
use crate::curriculum::Level;
use crate::cve::CveCatalog;
use crate::features::FEATURES;
use crate::gate::{BuiltinGate, Gate, Proposal};
use crate::judge::OfflineJudge;
use crate::observation::{Observation, ServiceState, TicketStatus};
use crate::scenario_arg::load_scenario;
use crate::Env;
use tally::Tally;
use ztgym_core::learn::numeric::{
    flag, one_hot_len, share, signed, unit, write_one_hot, Numeric, NumericEnv, NumericOf,
};
use ztgym_core::learn::{ActionSet, Adapter};
use ztgym_core::observation_block;
use ztgym_core::spec::{parse_level, NumericRequest};

mod tally;

/// The most services a scenario played from Python may have: the largest built-in one
/// (enterprise) has 14.
pub const MAX_NODES: usize = tally::NODES;
/// The steps left are divided by this (the longest level's budget is 15).
const STEPS_SCALE: f64 = 16.0;
/// Alert and ticket counts of the whole estate are divided by this.
const ESTATE_COUNT_SCALE: usize = 16;
/// Alert and ticket counts of one node are divided by this.
const NODE_COUNT_SCALE: usize = 4;
/// A node's indicators are divided by this.
const INDICATOR_SCALE: usize = 8;

observation_block! {
    /// The whole estate's entries, first in the vector.
    pub enum Global {
        StepFraction = "global.step_fraction",
        StepsLeft = "global.steps_left",
        Uptime = "global.uptime",
        UptimeMargin = "global.uptime_margin",
        MinUptime = "global.min_uptime",
        Isolated = "global.isolated_of_limit",
        AtIsolationLimit = "global.isolation_limit_reached",
        IsolationLimit = "global.isolation_limit",
        Nodes = "global.nodes",
        Alerts = "global.alerts",
        ThreatAlerts = "global.threat_alerts",
        TicketsPending = "global.tickets_pending",
        TicketsApproved = "global.tickets_approved",
        TicketsDenied = "global.tickets_denied",
        TicketsUsed = "global.tickets_used",
        LogsShown = "global.logs_shown",
        Warmup = "global.level.warmup",
        Beginner = "global.level.beginner",
        Intermediate = "global.level.intermediate",
        Advanced = "global.level.advanced",
        Expert = "global.level.expert",
    }
}

observation_block! {
    /// One node's entries (named `node<i>.` and these).
    pub enum Node {
        Present = "present",
        Healthy = "state.healthy",
        Degraded = "state.degraded",
        Compromised = "state.compromised",
        IsolatedState = "state.isolated",
        Offline = "state.offline",
        Protected = "protected",
        UptimeWeight = "uptime_weight",
        BlastRadius = "blast_radius",
        Alert = "alert.present",
        AlertCount = "alert.count",
        AlertSeverity = "alert.max_severity",
        AlertThreat = "alert.threat",
        AlertExploit = "alert.exploit",
        AlertLateral = "alert.lateral",
        AlertSuspicious = "alert.suspicious",
        AlertRoutine = "alert.routine",
        AlertCvss = "alert.max_cvss",
        LogsShown = "logs_shown",
        Read = "read",
        UnreadAlerts = "unread_alerts",
        CveSeen = "cve_seen",
        LateralSeen = "lateral_seen",
        Indicators = "indicators",
        Uncontained = "uncontained",
        IsolationKeepsUptime = "isolation_keeps_uptime",
        TicketPending = "ticket.pending",
        TicketReady = "ticket.ready",
        TicketApproved = "ticket.approved",
        TicketDenied = "ticket.denied",
        TicketUsed = "ticket.used",
        TicketPatch = "ticket.patch",
        TicketScore = "ticket.score",
        Tickets = "tickets",
        ApprovedIsolate = "approved.isolate",
        ApprovedPatch = "approved.patch",
        Suspect = "target.suspect",
        ToTicket = "target.to_ticket",
        ToContain = "target.to_contain",
    }
}

/// Where the learners' one-hot features start.
const LEARNER_AT: usize = Global::LEN;
/// The learners' one-hot features' length.
const LEARNER_LEN: usize = one_hot_len(&FEATURES);
/// Where node 0's block starts.
const NODES_AT: usize = LEARNER_AT + LEARNER_LEN;
/// The observation vector's length, the same for every scenario.
pub const OBSERVATION_LEN: usize = NODES_AT + MAX_NODES * Node::LEN;

impl Numeric for Executor {
    /// Only isolating and patching send something privileged: their proposals, judged by the
    /// environment's own gate (so a Rego gate masks what it would refuse).
    fn allowed_now(&self, env: &Env, observation: &Observation) -> ActionSet {
        let mut set = ActionSet::all(ACTIONS);
        for choice in [AbstractAction::Isolate, AbstractAction::Patch] {
            let refused = self
                .proposal(choice, observation)
                .is_some_and(|p| !env.gate().allows(&p));
            if refused {
                set.remove(choice.index());
            }
        }
        set
    }

    fn observation_names() -> Vec<String> {
        let mut names: Vec<String> = Global::NAMES.iter().map(|n| n.to_string()).collect();
        names.extend(
            FEATURES
                .iter()
                .flat_map(|f| f.values.iter().map(|v| format!("learner.{}={v}", f.name))),
        );
        for i in 0..MAX_NODES {
            names.extend(Node::NAMES.iter().map(|n| format!("node{i}.{n}")));
        }
        names
    }

    fn encode(&self, state: usize, obs: &Observation, out: &mut [f32]) {
        out.fill(0.0);
        let Some(out) = out.get_mut(..OBSERVATION_LEN) else {
            return;
        };
        let tally = Tally::of(obs);
        encode_global(self, obs, &tally, out);
        write_one_hot(&FEATURES, state, &mut out[LEARNER_AT..NODES_AT]);
        let (_, nodes) = out.split_at_mut(NODES_AT);
        for (i, block) in nodes
            .chunks_exact_mut(Node::LEN)
            .take(obs.services.len())
            .enumerate()
        {
            encode_node(self, obs, &tally, i, block);
        }
    }
}

fn encode_global(executor: &Executor, obs: &Observation, tally: &Tally, out: &mut [f32]) {
    let rules = executor.scenario().rules();
    let mut put = |field: Global, value: f32| out[field.at()] = value;
    let max_steps = f64::from(obs.max_steps.max(1));
    put(Global::StepFraction, unit(f64::from(obs.step) / max_steps));
    put(
        Global::StepsLeft,
        unit(f64::from(obs.max_steps.saturating_sub(obs.step)) / STEPS_SCALE),
    );
    put(Global::Uptime, unit(obs.uptime / 100.0));
    put(
        Global::UptimeMargin,
        signed((obs.uptime - rules.min_uptime) / 100.0),
    );
    put(Global::MinUptime, unit(rules.min_uptime / 100.0));
    let (isolated, limit) = (tally.isolated, rules.max_concurrent_isolations);
    put(
        Global::Isolated,
        if limit == 0 {
            flag(isolated > 0)
        } else {
            share(isolated, limit)
        },
    );
    put(Global::AtIsolationLimit, flag(isolated >= limit));
    put(Global::IsolationLimit, share(limit, MAX_NODES));
    put(Global::Nodes, share(obs.services.len(), MAX_NODES));
    put(Global::Alerts, share(obs.alerts.len(), ESTATE_COUNT_SCALE));
    let threats = obs.alerts.iter().filter(|a| a.kind.is_threat()).count();
    put(Global::ThreatAlerts, share(threats, ESTATE_COUNT_SCALE));
    let mut by_status = [0; 4];
    for t in &obs.tickets {
        by_status[match t.status {
            TicketStatus::Pending => 0,
            TicketStatus::Approved => 1,
            TicketStatus::Denied => 2,
            TicketStatus::Used => 3,
        }] += 1;
    }
    for (field, n) in [
        Global::TicketsPending,
        Global::TicketsApproved,
        Global::TicketsDenied,
        Global::TicketsUsed,
    ]
    .into_iter()
    .zip(by_status)
    {
        put(field, share(n, ESTATE_COUNT_SCALE));
    }
    put(Global::LogsShown, flag(obs.logs.is_some()));
    let level = match obs.level {
        Level::Warmup => Global::Warmup,
        Level::Beginner => Global::Beginner,
        Level::Intermediate => Global::Intermediate,
        Level::Advanced => Global::Advanced,
        Level::Expert => Global::Expert,
    };
    put(level, 1.0);
}

fn encode_node(executor: &Executor, obs: &Observation, tally: &Tally, i: usize, out: &mut [f32]) {
    let scenario = executor.scenario();
    let (Some(view), Some(service), Some(alerts), Some(tickets)) = (
        obs.services.get(i),
        scenario.services().get(i),
        tally.alerts.get(i),
        tally.tickets.get(i),
    ) else {
        return;
    };
    let mut put = |field: Node, value: f32| out[field.at()] = value;
    put(Node::Present, 1.0);
    put(
        match view.state {
            ServiceState::Healthy => Node::Healthy,
            ServiceState::Degraded => Node::Degraded,
            ServiceState::Compromised => Node::Compromised,
            ServiceState::Isolated => Node::IsolatedState,
            ServiceState::Offline => Node::Offline,
        },
        1.0,
    );
    put(Node::Protected, flag(view.protected));
    put(Node::UptimeWeight, unit(service.uptime_weight / 100.0));
    put(
        Node::BlastRadius,
        share(scenario.radius(i).len(), MAX_NODES),
    );

    put(Node::Alert, flag(alerts.count > 0));
    put(Node::AlertCount, share(alerts.count, NODE_COUNT_SCALE));
    put(
        Node::AlertSeverity,
        alerts.severity.map_or(0.0, |s| f32::from(s.score()) / 99.0),
    );
    put(Node::AlertThreat, flag(alerts.threat));
    put(Node::AlertExploit, flag(alerts.exploit));
    put(Node::AlertLateral, flag(alerts.lateral));
    put(Node::AlertSuspicious, flag(alerts.suspicious));
    put(Node::AlertRoutine, flag(alerts.routine));
    put(Node::AlertCvss, unit(alerts.cvss / 10.0));

    let notes = executor.casefile().notes(i);
    put(
        Node::LogsShown,
        flag(obs.logs.as_ref().is_some_and(|q| q.node == view.id)),
    );
    put(Node::Read, flag(notes.read));
    put(Node::UnreadAlerts, flag(alerts.serious > notes.alerts_seen));
    put(Node::CveSeen, flag(!notes.cves.is_empty()));
    put(Node::LateralSeen, flag(notes.lateral));
    put(
        Node::Indicators,
        share(notes.indicators.len(), INDICATOR_SCALE),
    );
    // As `Casefile::uncontained`: not isolated, and a threat alert on it is open.
    put(
        Node::Uncontained,
        flag(view.state != ServiceState::Isolated && alerts.threat),
    );
    put(
        Node::IsolationKeepsUptime,
        flag(Casefile::isolation_keeps_uptime_with(
            scenario,
            obs,
            i,
            tally.isolated,
        )),
    );

    put(Node::Tickets, share(tickets.count, NODE_COUNT_SCALE));
    put(Node::ApprovedIsolate, flag(tickets.approved_isolate));
    put(Node::ApprovedPatch, flag(tickets.approved_patch));
    if let Some(t) = tickets.latest {
        let status = match t.status {
            TicketStatus::Pending if obs.step + 1 >= t.ready_at => Node::TicketReady,
            TicketStatus::Pending => Node::TicketPending,
            TicketStatus::Approved => Node::TicketApproved,
            TicketStatus::Denied => Node::TicketDenied,
            TicketStatus::Used => Node::TicketUsed,
        };
        put(status, 1.0);
        put(Node::TicketPatch, flag(t.action == Privileged::Patch));
        put(Node::TicketScore, t.score.map_or(0.0, unit));
    }

    let targets = executor.targets();
    put(Node::Suspect, flag(targets.suspect == Some(i)));
    put(Node::ToTicket, flag(targets.to_ticket() == Some(i)));
    put(Node::ToContain, flag(targets.to_contain() == Some(i)));
}

/// The environment a request names: its scenario (built-in or file), level and gate.
pub fn make(id: &'static str, request: &NumericRequest) -> Result<Box<dyn NumericEnv>, String> {
    let scenario = load_scenario(request.scenario.unwrap_or("classic"))?;
    let nodes = scenario.services().len();
    if nodes > MAX_NODES {
        return Err(format!(
            "scenario {}: {nodes} services, but the numeric observation has room for at most \
             {MAX_NODES}",
            scenario.name()
        ));
    }
    let level = request.level.map(parse_level::<Level>).transpose()?;
    let env = Env::with_parts(
        scenario.clone(),
        CveCatalog::builtin(),
        Box::new(OfflineJudge),
        gate(request.gate)?,
    )?;
    Ok(NumericOf::boxed(
        id,
        env,
        Executor::new(&scenario),
        <Executor as Adapter>::options(level),
    ))
}

#[cfg(feature = "rego")]
fn gate(path: Option<&str>) -> Result<Box<dyn Gate<Proposal>>, String> {
    path.map_or(Ok(Box::new(BuiltinGate)), |p| {
        crate::rego_gate::load(p).map_err(|e| format!("gate: {e}"))
    })
}

#[cfg(not(feature = "rego"))]
fn gate(path: Option<&str>) -> Result<Box<dyn Gate<Proposal>>, String> {
    match path {
        None => Ok(Box::new(BuiltinGate)),
        Some(_) => Err("gate: this build has no Rego engine".into()),
    }
}
