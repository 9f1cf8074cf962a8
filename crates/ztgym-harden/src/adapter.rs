//! The hardening loop as the learners see it (the core's [`Adapter`]): five features of the
//! observation, the seven actions as the abstract actions (each the candidate the observation
//! carries), and the gate's verdict on each for the optional mask.

use crate::env::{HardenEnv, Observation, Options, Stage};
use crate::scenario::{Scenario, ACTIONS};
use crate::Action;
use ztgym_core::learn::{Adapter, FeatureSpec};

const LEVELS: &[&str] = &["none", "some"];

/// The features, first most significant.
pub const FEATURES: [FeatureSpec; 5] = [
    FeatureSpec {
        name: "risk",
        values: &["low", "medium", "high", "critical"],
    },
    FeatureSpec {
        name: "public_exposure",
        values: LEVELS,
    },
    FeatureSpec {
        name: "broad_permission",
        values: LEVELS,
    },
    FeatureSpec {
        name: "identity_gap",
        values: LEVELS,
    },
    FeatureSpec {
        name: "attack",
        values: LEVELS,
    },
];

/// The adapter (stateless: everything it needs is in the observation).
#[derive(Clone, Debug)]
pub struct HardenAdapter;

fn index(o: &Observation) -> usize {
    let risk = match o.risk_score {
        r if r < 40.0 => 0,
        r if r < 70.0 => 1,
        r if r < 95.0 => 2,
        _ => 3,
    };
    let f = &o.features;
    // An identity gap: a candidate MFA or token-lifetime change still changes something.
    let gap = o.candidates.iter().any(|c| {
        (c.action.id == "enforce_mfa" || c.action.id == "reduce_token_ttl")
            && c.forecast.risk_delta < 0.0
    });
    let v = [
        risk,
        usize::from(f.public_exposure_score > 0.0),
        usize::from(f.privilege_entropy_score > 0.0),
        usize::from(gap),
        usize::from(f.failed_auth_rate_5m > 2.0 || f.anomaly_score > 0.5),
    ];
    ztgym_core::learn::adapter::state_of(&FEATURES, &v)
}

impl Adapter for HardenAdapter {
    type Env = HardenEnv;
    type Scenario = Scenario;
    type Level = Stage;
    const POLICY_ENV: &'static str = "harden";
    const FEATURES: &'static [FeatureSpec] = &FEATURES;
    const ACTIONS: &'static [&'static str] = &ACTIONS;

    fn new(_: &Scenario) -> Self {
        HardenAdapter
    }
    fn environment(scenario: &Scenario) -> HardenEnv {
        // A scenario only loads once its policy's `allow` compiles (Scenario::parse).
        HardenEnv::new(scenario.clone()).expect("the scenario's gate compiled when it loaded")
    }
    fn scenario_name(scenario: &Scenario) -> &str {
        &scenario.name
    }
    fn default_level(_: &Scenario) -> Stage {
        Stage::Sandbox
    }
    fn options(level: Option<Stage>) -> Options {
        Options {
            environment: level.unwrap_or_default(),
            ..Options::default()
        }
    }
    fn reset(&mut self) {}
    fn observe(&mut self, o: &Observation) -> usize {
        index(o)
    }
    /// The best candidate of the chosen action (allowed and passing, the largest risk cut).
    fn action(&self, choice: usize, o: &Observation) -> Action {
        let id = ACTIONS[choice.min(ACTIONS.len() - 1)];
        o.best_of_kind(id)
            .map(|c| c.action.clone())
            .unwrap_or_else(|| Action {
                id: id.to_string(),
                params: Default::default(),
                accepted: None,
            })
    }
    /// The gate denies even the best candidate of the chosen action.
    fn breaks_rule(&self, choice: usize, o: &Observation) -> bool {
        let id = ACTIONS[choice.min(ACTIONS.len() - 1)];
        o.best_of_kind(id).is_none_or(|c| !c.allowed)
    }
    fn targets(&self) -> Vec<(&'static str, Option<String>)> {
        Vec::new()
    }
}
