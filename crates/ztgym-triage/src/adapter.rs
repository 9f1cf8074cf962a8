//! The triage environment as the core's learners see it: features read from the visible message
//! (the cue reader of [`crate::agents`]) and the risk score, four abstract actions (the four
//! decisions, with a reasoning naming the cues read).

use crate::agents::{is_known_domain, is_lookalike, read_cues, reasoning_for, sender_domain};
use crate::env::{Action, Decision, Env, Observation, ResetOptions};
use crate::message::{Cue, Cues};
use crate::task::TaskId;
use std::borrow::Cow;
use ztgym_core::learn::{adapter::state_of, Adapter, FeatureSpec};

/// The features, first most significant.
pub const FEATURES: [FeatureSpec; 7] = [
    FeatureSpec {
        name: "risk",
        values: &["<0.2", "0.2-0.35", "0.35-0.5", "0.5-0.65", ">=0.65"],
    },
    FeatureSpec {
        name: "sender",
        values: &["known", "lookalike", "other"],
    },
    FeatureSpec {
        name: "link",
        values: &["none", "shortened", "unknown_domain", "known_domain"],
    },
    FeatureSpec {
        name: "attachment",
        values: &["none_or_plain", "risky"],
    },
    FeatureSpec {
        name: "asks_for",
        values: &["nothing", "credentials", "money"],
    },
    FeatureSpec {
        name: "pressure",
        values: &["none", "urgency_or_authority"],
    },
    FeatureSpec {
        name: "prize",
        values: &["no", "yes"],
    },
];

/// The abstract actions' names.
pub const ACTIONS: [&str; 4] = ["allow", "block", "warn", "investigate"];

/// Confidence sent with every learned decision.
pub const CONFIDENCE: f64 = 0.9;

/// Reads features and carries out abstract actions.
#[derive(Clone, Debug)]
pub struct Triage {
    task: TaskId,
    cues: Cues,
}

impl Triage {
    /// The cues read in the observation last observed.
    pub fn cues(&self) -> Cues {
        self.cues
    }

    /// The feature values of an observation, and the cues read.
    pub fn features(obs: &Observation) -> ([usize; 7], Cues) {
        let m = &obs.message;
        let cues = read_cues(m);
        let r = obs.risk_score;
        let risk = match r {
            r if r < 0.2 => 0,
            r if r < 0.35 => 1,
            r if r < 0.5 => 2,
            r if r < 0.65 => 3,
            _ => 4,
        };
        let d = sender_domain(&m.sender);
        let sender = if is_lookalike(&d) {
            1
        } else if is_known_domain(&d) {
            0
        } else {
            2
        };
        let link = if m.links.is_empty() {
            0
        } else if cues.has(Cue::ShortenedLink) {
            1
        } else if cues.has(Cue::SuspiciousLink) {
            2
        } else {
            3
        };
        let attachment = usize::from(cues.has(Cue::RiskyAttachment));
        let asks = if cues.has(Cue::CredentialRequest) {
            1
        } else if cues.has(Cue::MoneyRequest) {
            2
        } else {
            0
        };
        let pressure = usize::from(cues.has(Cue::Urgency) || cues.has(Cue::Authority));
        let prize = usize::from(cues.has(Cue::Prize));
        (
            [risk, sender, link, attachment, asks, pressure, prize],
            cues,
        )
    }
}

impl Adapter for Triage {
    type Env = Env;
    type Scenario = TaskId;
    type Level = TaskId;
    const POLICY_ENV: &'static str = "message-triage";
    const FEATURES: &'static [FeatureSpec] = &FEATURES;
    const ACTIONS: &'static [&'static str] = &ACTIONS;

    fn new(task: &TaskId) -> Triage {
        Triage {
            task: *task,
            cues: Cues::default(),
        }
    }

    fn environment(task: &TaskId) -> Env {
        Env::new(*task)
    }

    fn scenario_name(task: &TaskId) -> &str {
        task.as_str()
    }

    fn default_level(task: &TaskId) -> TaskId {
        *task
    }

    fn options(_level: Option<TaskId>) -> ResetOptions {
        // The task is the scenario the environment was made on.
        ResetOptions {}
    }

    fn reset(&mut self) {
        self.cues = Cues::default();
    }

    fn observe(&mut self, observation: &Observation) -> usize {
        let (values, cues) = Triage::features(observation);
        self.cues = cues;
        state_of(&FEATURES, &values)
    }

    fn action(&self, choice: usize, _observation: &Observation) -> Action {
        Action {
            decision: Decision::ALL[choice.min(3)],
            confidence: CONFIDENCE,
            reasoning: Cow::Owned(reasoning_for(self.cues)),
        }
    }

    fn breaks_rule(&self, _choice: usize, _observation: &Observation) -> bool {
        // No decision breaks a rule the agent can see; blocking a legitimate message is the
        // cost channel, learned from its cost.
        false
    }

    fn targets(&self) -> Vec<(&'static str, Option<String>)> {
        let cues: Vec<&str> = self.cues.iter().map(|c| c.as_str()).collect();
        vec![
            ("task", Some(self.task.as_str().to_string())),
            ("cues", Some(cues.join(","))),
        ]
    }
}
