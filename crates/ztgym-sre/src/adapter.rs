//! The SRE gym as the learners see it (the core's [`Adapter`]): the features of
//! [`crate::features`], seven abstract actions, and the deterministic executor that turns one
//! into a concrete [`Action`] by reading only the observations of the episode.
//!
//! Nothing is masked by default: isolating or patching without an approved ticket, or before
//! investigating, stays one choice away. Learning not to is the point.

use crate::action::{Action, Privileged};
use crate::casefile::Casefile;
use crate::curriculum::Level;
use crate::env::{Env, ResetOptions};
use crate::features::{self, Features, Targets, FEATURES};
use crate::gate::{BuiltinGate, Proposal};
use crate::observation::{Observation, ServiceState, TicketStatus};
use crate::scenario::Scenario;
use ztgym_core::gate::Gate;
use ztgym_core::learn::{Adapter, FeatureSpec};

/// What a learned agent chooses between.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum AbstractAction {
    /// Read the logs of the next suspect (the most severe alerting node not read since its
    /// latest alert); with none, read the node to contain again.
    Investigate,
    /// File a ticket to isolate [`Targets::to_ticket`], citing what its logs showed; `wait` if
    /// it already has a live ticket (pending, or approved and unused) or there is no such node.
    TicketIsolate,
    /// File a ticket to patch [`Targets::to_ticket`]; as `TicketIsolate` otherwise.
    TicketPatch,
    /// Ask for the verdict of a pending ticket: the ticketed compromise's if ready, else the
    /// oldest ready one, else the oldest pending one; `wait` when none is pending.
    CheckApproval,
    /// Isolate [`Targets::to_contain`].
    Isolate,
    /// Patch [`Targets::to_contain`] against the CVE its logs (or its alert) named.
    Patch,
    /// Do nothing.
    Wait,
}

/// How many abstract actions there are.
pub const ACTIONS: usize = 7;

impl AbstractAction {
    /// Every abstract action, in the order of the policy tables' columns.
    pub const ALL: [AbstractAction; ACTIONS] = [
        AbstractAction::Investigate,
        AbstractAction::TicketIsolate,
        AbstractAction::TicketPatch,
        AbstractAction::CheckApproval,
        AbstractAction::Isolate,
        AbstractAction::Patch,
        AbstractAction::Wait,
    ];

    /// The name used in policy files.
    pub fn as_str(self) -> &'static str {
        ACTION_NAMES[self.index()]
    }

    /// The position in [`AbstractAction::ALL`].
    pub fn index(self) -> usize {
        self as usize
    }

    /// Whether this action would break a zero-trust rule now, as the gate judges the privileged
    /// action it sends (a privileged action on a node without an approved ticket for that
    /// action, or that is protected, over the isolation limit or never investigated). Used for
    /// the optional action mask and to mark actions when inspecting a policy.
    pub fn breaks_rule(self, executor: &Executor, obs: &Observation) -> bool {
        executor
            .proposal(self, obs)
            .is_some_and(|p| !BuiltinGate.check(&p).allowed())
    }
}

/// Keeps the case file of the episode, finds the target, reads the features and carries out
/// abstract actions. Call [`Executor::observe`] with every observation in turn.
#[derive(Clone, Debug)]
pub struct Executor {
    scenario: Scenario,
    casefile: Casefile,
    targets: Targets,
}

impl Executor {
    /// An executor for a scenario.
    pub fn new(scenario: &Scenario) -> Executor {
        Executor {
            casefile: Casefile::new(scenario),
            scenario: scenario.clone(),
            targets: Targets::default(),
        }
    }

    /// Starts a new episode.
    pub fn reset(&mut self) {
        self.casefile.clear();
        self.targets = Targets::default();
    }

    /// Takes in an observation and returns its features.
    pub fn observe(&mut self, obs: &Observation) -> Features {
        self.casefile.observe(obs);
        self.targets = Targets::find(&self.casefile, obs);
        Features::read(&self.scenario, &self.casefile, obs, &self.targets)
    }

    /// The nodes the abstract actions act on, after the last [`Executor::observe`].
    pub fn targets(&self) -> &Targets {
        &self.targets
    }

    /// What the gate would be asked if `choice` were sent now: `None` for the actions that
    /// send nothing privileged. Built from what the agent can see (the observation and its
    /// case file), which tells exactly what the environment's gate is told.
    pub fn proposal(&self, choice: AbstractAction, obs: &Observation) -> Option<Proposal> {
        let i = self.targets.to_contain()?;
        let action = match choice {
            AbstractAction::Isolate => Privileged::Isolate,
            AbstractAction::Patch if self.can_patch(obs, i) => Privileged::Patch,
            _ => return None,
        };
        let node = &self.scenario.names[i];
        Some(Proposal {
            action,
            node: node.clone(),
            protected: self.scenario.services()[i].protected,
            approved_ticket: obs.tickets.iter().any(|t| {
                t.node == *node && t.action == action && t.status == TicketStatus::Approved
            }),
            isolated_count: obs
                .services
                .iter()
                .filter(|s| s.state == ServiceState::Isolated)
                .count(),
            max_concurrent_isolations: self.scenario.rules().max_concurrent_isolations,
            investigated: self.casefile.notes(i).read,
        })
    }

    /// A service's name.
    pub fn name(&self, i: usize) -> &str {
        &self.scenario.names[i]
    }

    /// The scenario played.
    pub fn scenario(&self) -> &Scenario {
        &self.scenario
    }

    /// The case file so far.
    pub fn casefile(&self) -> &Casefile {
        &self.casefile
    }

    /// The concrete action for an abstract one, on the observation last observed. Always
    /// well-formed: it names existing services and tickets, so `Env::step` accepts it.
    pub fn action(&self, choice: AbstractAction, obs: &Observation) -> Action {
        let name = |i: usize| String::from(&*self.scenario.names[i]);
        let ticket = |i: usize, action: Privileged| {
            // One live ticket per node, as an operator works. Without this rule the learners
            // find that re-filing on an approved node pays each new verdict again (2 + 8 x
            // score) and farm tickets instead of containing the threat.
            let live = obs.tickets.iter().any(|t| {
                t.node == obs.services[i].id
                    && matches!(t.status, TicketStatus::Pending | TicketStatus::Approved)
            });
            if live {
                return Action::Wait;
            }
            Action::FileTicket {
                node: name(i),
                action,
                justification: self.casefile.justification(&self.scenario, obs, i, action),
            }
        };
        let t = &self.targets;
        match choice {
            AbstractAction::Investigate => {
                let node = t
                    .suspect
                    .or(t.to_contain())
                    .or_else(|| {
                        obs.alerts
                            .iter()
                            .find_map(|a| obs.services.iter().position(|s| s.id == a.host))
                    })
                    .unwrap_or(0);
                Action::QuerySiemLogs { node: name(node) }
            }
            AbstractAction::TicketIsolate => t
                .to_ticket()
                .map_or(Action::Wait, |i| ticket(i, Privileged::Isolate)),
            AbstractAction::TicketPatch => t
                .to_ticket()
                .map_or(Action::Wait, |i| ticket(i, Privileged::Patch)),
            AbstractAction::CheckApproval => self.check(obs),
            AbstractAction::Isolate => t
                .to_contain()
                .map_or(Action::Wait, |i| Action::IsolateNode { node: name(i) }),
            AbstractAction::Patch => t
                .to_contain()
                .and_then(|i| Some((i, self.patch_cve(obs, i)?)))
                .map_or(Action::Wait, |(i, cve)| Action::PatchNode {
                    node: name(i),
                    cve,
                }),
            AbstractAction::Wait => Action::Wait,
        }
    }

    /// The pending ticket to check: the target's if its verdict is ready, else the oldest
    /// ready one, else the oldest pending one; `wait` when none is pending.
    fn check(&self, obs: &Observation) -> Action {
        let next_step = obs.step + 1;
        let pending = || {
            obs.tickets
                .iter()
                .filter(|t| t.status == TicketStatus::Pending)
        };
        let on_target = self
            .targets
            .ticketed
            .and_then(|i| features::latest_ticket(obs, i))
            .filter(|t| t.status == TicketStatus::Pending && next_step >= t.ready_at);
        on_target
            .or_else(|| pending().find(|t| next_step >= t.ready_at))
            .or_else(|| pending().next())
            .map_or(Action::Wait, |t| Action::CheckApproval {
                ticket: String::from(&*t.id),
            })
    }

    /// Whether [`Executor::patch_cve`] finds a CVE (asked every step by the mask: no copy).
    fn can_patch(&self, obs: &Observation, i: usize) -> bool {
        self.casefile.notes(i).first_cve().is_some()
            || obs.services.get(i).is_some_and(|s| {
                obs.alerts
                    .iter()
                    .any(|a| a.host == s.id && a.kind.is_threat() && a.cve.is_some())
            })
    }

    /// The CVE to patch service `i` against: the first its logs showed, else the one its open
    /// threat alert names.
    fn patch_cve(&self, obs: &Observation, i: usize) -> Option<String> {
        if let Some(c) = self.casefile.notes(i).first_cve() {
            return Some(c.to_string());
        }
        let id = &obs.services.get(i)?.id;
        obs.alerts
            .iter()
            .filter(|a| a.host == *id && a.kind.is_threat())
            .find_map(|a| a.cve.as_ref().map(|c| c.id.clone()))
    }
}

/// The names of [`AbstractAction::ALL`], the policy tables' columns.
const ACTION_NAMES: [&str; ACTIONS] = [
    "investigate",
    "ticket_isolate",
    "ticket_patch",
    "check_approval",
    "isolate",
    "patch",
    "wait",
];

impl Adapter for Executor {
    type Env = Env;
    type Scenario = Scenario;
    type Level = Level;
    const POLICY_ENV: &'static str = "zero-trust-sre-gym";
    const FEATURES: &'static [FeatureSpec] = &FEATURES;
    const ACTIONS: &'static [&'static str] = &ACTION_NAMES;

    fn new(scenario: &Scenario) -> Executor {
        Executor::new(scenario)
    }

    fn environment(scenario: &Scenario) -> Env {
        Env::new(scenario.clone())
    }

    fn scenario_name(scenario: &Scenario) -> &str {
        scenario.name()
    }

    fn default_level(scenario: &Scenario) -> Level {
        scenario.file.scenario.default_level
    }

    fn options(level: Option<Level>) -> ResetOptions {
        ResetOptions {
            level,
            curriculum: false,
        }
    }

    fn reset(&mut self) {
        Executor::reset(self);
    }

    fn observe(&mut self, observation: &Observation) -> usize {
        Executor::observe(self, observation).state()
    }

    fn action(&self, choice: usize, observation: &Observation) -> Action {
        Executor::action(self, AbstractAction::ALL[choice], observation)
    }

    fn breaks_rule(&self, choice: usize, observation: &Observation) -> bool {
        AbstractAction::ALL[choice].breaks_rule(self, observation)
    }

    fn targets(&self) -> Vec<(&'static str, Option<String>)> {
        let t = self.targets;
        let name = |i: Option<usize>| i.map(|i| self.name(i).to_string());
        vec![
            ("suspect", name(t.suspect)),
            ("to_ticket", name(t.to_ticket())),
            ("to_contain", name(t.to_contain())),
        ]
    }
}
