//! The hardening loop as the learners see it (the core's [`Adapter`]): five features of the
//! observation, the scenario's actions as the abstract actions (each the candidate the
//! observation carries), and the gate's verdict on each for the optional mask. Seed 001's seven
//! actions are [`HardenAdapter`]; a twin with workloads (use case 2) adds the pod security
//! actions ([`PodAdapter`], see [`for_scenario`]).

use crate::compliance::CONTROL_ACTIONS;
use crate::env::{HardenEnv, Observation, Options, Stage};
use crate::pipeline::PIPELINE_ACTIONS;
use crate::scenario::{Scenario, ACTIONS};
use crate::tenant::TENANT_ACTIONS;
use crate::twin::POD_ACTIONS;
use crate::waf::WAF_ACTIONS;
use crate::Action;
use std::marker::PhantomData;
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

/// Seed 001's features with the fourth, `identity_gap`, replaced by a use case's own gap (a
/// candidate change of that kind still cuts risk).
const fn features_with_gap(name: &'static str) -> [FeatureSpec; 5] {
    [
        FEATURES[0],
        FEATURES[1],
        FEATURES[2],
        FeatureSpec {
            name,
            values: LEVELS,
        },
        FEATURES[4],
    ]
}

/// Seed 001's seven actions followed by a use case's own (`M` = 7 + `N`).
const fn seed_actions_and<const N: usize, const M: usize>(
    extra: [&'static str; N],
) -> [&'static str; M] {
    assert!(
        M == ACTIONS.len() + N,
        "M is the seven seed actions plus the extra ones"
    );
    let mut all = [""; M];
    let mut i = 0;
    while i < M {
        all[i] = if i < ACTIONS.len() {
            ACTIONS[i]
        } else {
            extra[i - ACTIONS.len()]
        };
        i += 1;
    }
    all
}

/// The pod security scenarios' features: `identity_gap` becomes `posture_gap` (a candidate
/// pod security change still cuts risk).
pub const POD_FEATURES: [FeatureSpec; 5] = features_with_gap("posture_gap");

/// An action set the learners play: its actions and features, and which actions' candidates
/// make the fourth feature's gap.
pub trait Kinds: Clone + std::fmt::Debug {
    const ACTIONS: &'static [&'static str];
    const FEATURES: &'static [FeatureSpec];
    const GAP: &'static [&'static str];
}

/// Seed 001's seven actions.
#[derive(Clone, Debug)]
pub struct Seed;

impl Kinds for Seed {
    const ACTIONS: &'static [&'static str] = &ACTIONS;
    const FEATURES: &'static [FeatureSpec] = &FEATURES;
    const GAP: &'static [&'static str] = &["enforce_mfa", "reduce_token_ttl"];
}

const WITH_PODS: [&str; 10] = seed_actions_and(POD_ACTIONS);

/// Seed 001's seven actions and the three pod security ones (use case 2).
#[derive(Clone, Debug)]
pub struct Pods;

impl Kinds for Pods {
    const ACTIONS: &'static [&'static str] = &WITH_PODS;
    const FEATURES: &'static [FeatureSpec] = &POD_FEATURES;
    const GAP: &'static [&'static str] = &POD_ACTIONS;
}

/// The WAF scenarios' features: the fourth is `defense_gap` (a candidate WAF change still
/// cuts risk).
pub const WAF_FEATURES: [FeatureSpec; 5] = features_with_gap("defense_gap");

const WITH_WAF: [&str; 10] = seed_actions_and(WAF_ACTIONS);

/// Seed 001's seven actions and the three WAF ones (use case 4).
#[derive(Clone, Debug)]
pub struct Waf;

impl Kinds for Waf {
    const ACTIONS: &'static [&'static str] = &WITH_WAF;
    const FEATURES: &'static [FeatureSpec] = &WAF_FEATURES;
    const GAP: &'static [&'static str] = &WAF_ACTIONS;
}

/// The pipeline scenarios' features: the fourth is `supply_gap` (a candidate pipeline change
/// still cuts risk).
pub const PIPELINE_FEATURES: [FeatureSpec; 5] = features_with_gap("supply_gap");

const WITH_PIPELINES: [&str; 11] = seed_actions_and(PIPELINE_ACTIONS);

/// Seed 001's seven actions and the four supply chain ones (use case 7).
#[derive(Clone, Debug)]
pub struct Pipelines;

impl Kinds for Pipelines {
    const ACTIONS: &'static [&'static str] = &WITH_PIPELINES;
    const FEATURES: &'static [FeatureSpec] = &PIPELINE_FEATURES;
    const GAP: &'static [&'static str] = &PIPELINE_ACTIONS;
}

/// The tenant scenarios' features: the fourth is `boundary_gap` (a candidate tenant change
/// still cuts risk).
pub const TENANT_FEATURES: [FeatureSpec; 5] = features_with_gap("boundary_gap");

const WITH_TENANTS: [&str; 10] = seed_actions_and(TENANT_ACTIONS);

/// Seed 001's seven actions and the three tenant isolation ones (use case 9).
#[derive(Clone, Debug)]
pub struct Tenants;

impl Kinds for Tenants {
    const ACTIONS: &'static [&'static str] = &WITH_TENANTS;
    const FEATURES: &'static [FeatureSpec] = &TENANT_FEATURES;
    const GAP: &'static [&'static str] = &TENANT_ACTIONS;
}

/// The compliance scenarios' features: the fourth is `compliance_gap` (a candidate control
/// change still cuts risk).
pub const CONTROL_FEATURES: [FeatureSpec; 5] = features_with_gap("compliance_gap");

const WITH_CONTROLS: [&str; 11] = seed_actions_and(CONTROL_ACTIONS);

/// Seed 001's seven actions and the four compliance ones (use case 6).
#[derive(Clone, Debug)]
pub struct Controls;

impl Kinds for Controls {
    const ACTIONS: &'static [&'static str] = &WITH_CONTROLS;
    const FEATURES: &'static [FeatureSpec] = &CONTROL_FEATURES;
    const GAP: &'static [&'static str] = &CONTROL_ACTIONS;
}

/// The adapter. Its choices need only the observation; it keeps the scenario's budgets for
/// the numeric observation ([`crate::numeric`]), which shows them beside it.
#[derive(Clone, Debug)]
pub struct HardenAdapterOf<K: Kinds> {
    max_cycles: u32,
    target_risk: f64,
    breakage_budgets: [f64; 3],
    kinds: PhantomData<K>,
}

impl<K: Kinds> HardenAdapterOf<K> {
    /// The scenario's cycle budget.
    pub fn max_cycles(&self) -> u32 {
        self.max_cycles
    }

    /// The risk score at or below which an episode succeeds.
    pub fn target_risk(&self) -> f64 {
        self.target_risk
    }

    /// The breakage a change may forecast and still pass, in `stage`.
    pub fn breakage_budget(&self, stage: Stage) -> f64 {
        self.breakage_budgets[stage as usize]
    }
}

/// The adapter of seed 001's actions.
pub type HardenAdapter = HardenAdapterOf<Seed>;
/// The adapter of a twin with workloads.
pub type PodAdapter = HardenAdapterOf<Pods>;
/// The adapter of a twin with WAF rules.
pub type WafAdapter = HardenAdapterOf<Waf>;
/// The adapter of a twin with pipelines.
pub type PipelineAdapter = HardenAdapterOf<Pipelines>;
/// The adapter of a twin with tenants.
pub type TenantAdapter = HardenAdapterOf<Tenants>;
/// The adapter of a twin with compliance controls.
pub type ControlAdapter = HardenAdapterOf<Controls>;

/// The action set a scenario's learners play.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ActionSetOf {
    Seed,
    Pods,
    Waf,
    Pipelines,
    Tenants,
    Controls,
}

/// Which adapter plays `scenario`: [`PodAdapter`] when its twin has workloads, [`WafAdapter`]
/// when it has WAF rules (a scenario has one or the other).
pub fn for_scenario(scenario: &Scenario) -> ActionSetOf {
    if !scenario.twin.workloads.is_empty() {
        ActionSetOf::Pods
    } else if !scenario.twin.waf.is_empty() {
        ActionSetOf::Waf
    } else if !scenario.twin.pipelines.is_empty() {
        ActionSetOf::Pipelines
    } else if !scenario.twin.tenants.is_empty() {
        ActionSetOf::Tenants
    } else if !scenario.twin.controls.is_empty() {
        ActionSetOf::Controls
    } else {
        ActionSetOf::Seed
    }
}

fn index<K: Kinds>(o: &Observation) -> usize {
    let risk = match o.risk_score {
        r if r < 40.0 => 0,
        r if r < 70.0 => 1,
        r if r < 95.0 => 2,
        _ => 3,
    };
    let f = &o.features;
    // An identity gap (a candidate MFA or token-lifetime change still changes something), or
    // a posture gap (a pod security change does).
    let gap = o
        .candidates
        .iter()
        .any(|c| K::GAP.contains(&c.action.id.as_str()) && c.forecast.risk_delta < 0.0);
    let v = [
        risk,
        usize::from(f.public_exposure_score > 0.0),
        usize::from(f.privilege_entropy_score > 0.0),
        usize::from(gap),
        usize::from(f.failed_auth_rate_5m > 2.0 || f.anomaly_score > 0.5),
    ];
    ztgym_core::learn::adapter::state_of(K::FEATURES, &v)
}

impl<K: Kinds> Adapter for HardenAdapterOf<K> {
    type Env = HardenEnv;
    type Scenario = Scenario;
    type Level = Stage;
    const POLICY_ENV: &'static str = "harden";
    const FEATURES: &'static [FeatureSpec] = K::FEATURES;
    const ACTIONS: &'static [&'static str] = K::ACTIONS;

    fn new(scenario: &Scenario) -> Self {
        HardenAdapterOf {
            max_cycles: scenario.max_cycles,
            target_risk: scenario.target_risk,
            breakage_budgets: Stage::ALL.map(|stage| {
                scenario
                    .environments
                    .get(stage.as_str())
                    .map_or(0.0, |e| e.breakage_budget)
            }),
            kinds: PhantomData,
        }
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
        index::<K>(o)
    }
    /// The best candidate of the chosen action (allowed and passing, the largest risk cut).
    fn action(&self, choice: usize, o: &Observation) -> Action {
        let id = K::ACTIONS[choice.min(K::ACTIONS.len() - 1)];
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
        let id = K::ACTIONS[choice.min(K::ACTIONS.len() - 1)];
        o.best_of_kind(id).is_none_or(|c| !c.allowed)
    }
    fn targets(&self) -> Vec<(&'static str, Option<String>)> {
        Vec::new()
    }
}
