//! The hardening loop as a neural-network trainer plays it (the core's [`Numeric`]): the use
//! case's action kinds, their mask from the gate, and the observation vector.
//!
//! The vector has [`OBSERVATION_LEN`] entries for every use case, in four groups:
//!
//! 1. [`Global`]: the cycle as a share of the budget, the cycles left, the risk score, the
//!    target and the margin to it, the stage's breakage budget, the stage one-hot, how many
//!    candidates there are and the share the gate allows.
//! 2. `telemetry.*`: seed 001's five telemetry features, each divided by a scale and clamped.
//! 3. `kind.<action>.*` ([`KindField`]) for each of the [`ALL_KINDS`] (seed 001's seven, then
//!    the pod, WAF, pipeline, tenant and compliance ones): whether the use case plays it, its
//!    candidates (count, share allowed, share passing the twin), and its best candidate (the
//!    one the abstract action sends: allowed, passing, risk delta, risk after, breakage,
//!    critical flows broken). A kind with no candidate now is all zero but `available`.
//! 4. `learner.*`: the learners' features one-hot, the fourth named `gap` whatever the use
//!    case calls it (`identity_gap`, `posture_gap`...).
//!
//! Every entry is in `[0, 1]` except `global.target_risk_margin` and
//! `kind.<action>.best.risk_delta`, in `[-1, 1]`.

use crate::adapter::{
    for_scenario, ActionSetOf, ControlAdapter, HardenAdapter, HardenAdapterOf, Kinds,
    PipelineAdapter, PodAdapter, TenantAdapter, WafAdapter, FEATURES,
};
use crate::compliance::CONTROL_ACTIONS;
use crate::pipeline::PIPELINE_ACTIONS;
use crate::scenario::ACTIONS;
use crate::tenant::TENANT_ACTIONS;
use crate::types::{best, Candidate, Observation};
use crate::waf::WAF_ACTIONS;
use crate::workload::POD_ACTIONS;
use crate::{HardenEnv, Scenario, Stage};
use ztgym_core::learn::numeric::{
    flag, one_hot_len, share, signed, unit, write_one_hot, Numeric, NumericEnv, NumericOf,
};
use ztgym_core::observation_block;
use ztgym_core::spec::{parse_level, NumericRequest};

/// How many action kinds there are across the use cases.
pub const KINDS: usize = ACTIONS.len()
    + POD_ACTIONS.len()
    + WAF_ACTIONS.len()
    + PIPELINE_ACTIONS.len()
    + TENANT_ACTIONS.len()
    + CONTROL_ACTIONS.len();

/// Every action kind of every use case, each with its block in the vector.
pub const ALL_KINDS: [&str; KINDS] = {
    let groups: [&[&str]; 6] = [
        &ACTIONS,
        &POD_ACTIONS,
        &WAF_ACTIONS,
        &PIPELINE_ACTIONS,
        &TENANT_ACTIONS,
        &CONTROL_ACTIONS,
    ];
    let mut all = [""; KINDS];
    let (mut g, mut n) = (0, 0);
    while g < groups.len() {
        let mut k = 0;
        while k < groups[g].len() {
            all[n] = groups[g][k];
            n += 1;
            k += 1;
        }
        g += 1;
    }
    all
};

/// The cycles left are divided by this (every built-in use case has 20).
const CYCLES_SCALE: f64 = 20.0;
/// Candidates, all told, are divided by this.
const CANDIDATE_SCALE: usize = 64;
/// One kind's candidates are divided by this.
const KIND_CANDIDATE_SCALE: usize = 8;
/// The critical flows a change breaks are divided by this.
const FLOW_SCALE: usize = 4;
/// Each telemetry feature's scale: a drift attack counts 5-50 failed logins and scores an
/// anomaly 0.3-0.9; exposures are counted; entropy and exposure are shares x 10.
const TELEMETRY: [(&str, f64); 5] = [
    ("telemetry.failed_auth_rate_5m", 50.0),
    ("telemetry.anomaly_score", 5.0),
    ("telemetry.open_inbound_ports_count", 10.0),
    ("telemetry.privilege_entropy_score", 10.0),
    ("telemetry.public_exposure_score", 10.0),
];

observation_block! {
    /// The cycle's entries, first in the vector.
    pub enum Global {
        CycleFraction = "global.cycle_fraction",
        CyclesLeft = "global.cycles_left",
        Risk = "global.risk",
        TargetRisk = "global.target_risk",
        TargetMargin = "global.target_risk_margin",
        BreakageBudget = "global.breakage_budget",
        Sandbox = "global.stage.sandbox",
        Stage = "global.stage.stage",
        Prod = "global.stage.prod",
        Candidates = "global.candidates",
        Allowed = "global.allowed",
    }
}

observation_block! {
    /// One action kind's entries (named `kind.<action>.` and these).
    pub enum KindField {
        Available = "available",
        Candidates = "candidates",
        Allowed = "allowed",
        Passing = "passing",
        BestAllowed = "best.allowed",
        BestPass = "best.pass",
        BestRiskDelta = "best.risk_delta",
        BestAfterRisk = "best.after_risk",
        BestBreakage = "best.breakage",
        BestBrokenFlows = "best.broken_flows",
    }
}

/// Where the telemetry starts.
const TELEMETRY_AT: usize = Global::LEN;
/// Where the first kind's block starts.
const KINDS_AT: usize = TELEMETRY_AT + TELEMETRY.len();
/// Where the learners' one-hot features start.
const LEARNER_AT: usize = KINDS_AT + KINDS * KindField::LEN;
/// The observation vector's length, the same for every use case.
pub const OBSERVATION_LEN: usize = LEARNER_AT + one_hot_len(&FEATURES);

impl<K: Kinds + Send + 'static> Numeric for HardenAdapterOf<K> {
    fn observation_names() -> Vec<String> {
        let mut names: Vec<String> = Global::NAMES.iter().map(|n| n.to_string()).collect();
        names.extend(TELEMETRY.iter().map(|(n, _)| n.to_string()));
        for kind in ALL_KINDS {
            names.extend(KindField::NAMES.iter().map(|n| format!("kind.{kind}.{n}")));
        }
        for (k, f) in FEATURES.iter().enumerate() {
            // The fourth feature is each use case's own gap: one name for all of them.
            let name = if k == 3 { "gap" } else { f.name };
            names.extend(f.values.iter().map(|v| format!("learner.{name}={v}")));
        }
        names
    }

    fn encode(&self, state: usize, o: &Observation, out: &mut [f32]) {
        out.fill(0.0);
        let Some(out) = out.get_mut(..OBSERVATION_LEN) else {
            return;
        };
        encode_global(self, o, out);
        let f = &o.features;
        let telemetry = [
            f.failed_auth_rate_5m,
            f.anomaly_score,
            f.open_inbound_ports_count,
            f.privilege_entropy_score,
            f.public_exposure_score,
        ];
        for ((x, (_, scale)), v) in out[TELEMETRY_AT..KINDS_AT]
            .iter_mut()
            .zip(TELEMETRY)
            .zip(telemetry)
        {
            *x = unit(v / scale);
        }
        encode_kinds::<K>(o, &mut out[KINDS_AT..LEARNER_AT]);
        write_one_hot(&FEATURES, state, &mut out[LEARNER_AT..]);
    }
}

fn encode_global<K: Kinds>(adapter: &HardenAdapterOf<K>, o: &Observation, out: &mut [f32]) {
    let mut put = |field: Global, value: f32| out[field.at()] = value;
    let max_cycles = adapter.max_cycles();
    put(
        Global::CycleFraction,
        unit(f64::from(o.cycle) / f64::from(max_cycles.max(1))),
    );
    put(
        Global::CyclesLeft,
        unit(f64::from(max_cycles.saturating_sub(o.cycle)) / CYCLES_SCALE),
    );
    put(Global::Risk, unit(o.risk_score / 100.0));
    put(Global::TargetRisk, unit(adapter.target_risk() / 100.0));
    put(
        Global::TargetMargin,
        signed((adapter.target_risk() - o.risk_score) / 100.0),
    );
    put(
        Global::BreakageBudget,
        unit(adapter.breakage_budget(o.environment)),
    );
    let stage = match o.environment {
        Stage::Sandbox => Global::Sandbox,
        Stage::Stage => Global::Stage,
        Stage::Prod => Global::Prod,
    };
    put(stage, 1.0);
    put(
        Global::Candidates,
        share(o.candidates.len(), CANDIDATE_SCALE),
    );
    let allowed = o.candidates.iter().filter(|c| c.allowed).count();
    put(Global::Allowed, share(allowed, o.candidates.len()));
}

/// Each kind's block, from one pass over the candidates.
fn encode_kinds<K: Kinds>(o: &Observation, out: &mut [f32]) {
    let mut counts = [[0usize; 3]; KINDS];
    let mut best_of: [Option<&Candidate>; KINDS] = [None; KINDS];
    for c in &o.candidates {
        let Some(k) = ALL_KINDS.iter().position(|id| *id == c.action.id) else {
            continue;
        };
        counts[k][0] += 1;
        counts[k][1] += usize::from(c.allowed);
        counts[k][2] += usize::from(c.forecast.pass);
        // `best` keeps the first of equals, as the adapter's choice does.
        best_of[k] = best(best_of[k].into_iter().chain([c]));
    }
    for (k, block) in out.chunks_exact_mut(KindField::LEN).enumerate() {
        let mut put = |field: KindField, value: f32| block[field.at()] = value;
        put(
            KindField::Available,
            flag(K::ACTIONS.contains(&ALL_KINDS[k])),
        );
        let [n, allowed, passing] = counts[k];
        put(KindField::Candidates, share(n, KIND_CANDIDATE_SCALE));
        put(KindField::Allowed, share(allowed, n));
        put(KindField::Passing, share(passing, n));
        if let Some(c) = best_of[k] {
            put(KindField::BestAllowed, flag(c.allowed));
            put(KindField::BestPass, flag(c.forecast.pass));
            put(
                KindField::BestRiskDelta,
                signed(c.forecast.risk_delta / 100.0),
            );
            put(
                KindField::BestAfterRisk,
                unit(c.forecast.after_risk / 100.0),
            );
            put(KindField::BestBreakage, unit(c.forecast.breakage_risk));
            put(
                KindField::BestBrokenFlows,
                share(c.forecast.broken_flows.len(), FLOW_SCALE),
            );
        }
    }
}

/// The environment a request names: its use case (built-in name or folder), stage (`level`)
/// and gate (a Rego file instead of the scenario's policy).
pub fn make(id: &'static str, request: &NumericRequest) -> Result<Box<dyn NumericEnv>, String> {
    let mut scenario = Scenario::load(request.scenario.unwrap_or("seed001"))
        .map_err(|e| ztgym_core::command::safe(&e.to_string()).into_owned())?;
    if let Some(path) = request.gate {
        let policy = crate::gate::gate_policy(path, Some(scenario.policy.package()))
            .map_err(|e| format!("gate: {}", ztgym_core::command::safe(&e)))?;
        scenario = scenario.with_policy(policy);
    }
    let stage = request.level.map(parse_level::<Stage>).transpose()?;
    match for_scenario(&scenario) {
        ActionSetOf::Seed => boxed::<HardenAdapter>(id, scenario, stage),
        ActionSetOf::Pods => boxed::<PodAdapter>(id, scenario, stage),
        ActionSetOf::Waf => boxed::<WafAdapter>(id, scenario, stage),
        ActionSetOf::Pipelines => boxed::<PipelineAdapter>(id, scenario, stage),
        ActionSetOf::Tenants => boxed::<TenantAdapter>(id, scenario, stage),
        ActionSetOf::Controls => boxed::<ControlAdapter>(id, scenario, stage),
    }
}

fn boxed<A>(
    id: &'static str,
    scenario: Scenario,
    stage: Option<Stage>,
) -> Result<Box<dyn NumericEnv>, String>
where
    A: Numeric<Env = HardenEnv, Scenario = Scenario, Level = Stage> + Send + 'static,
{
    let env = HardenEnv::new(scenario.clone()).map_err(|e| e.to_string())?;
    Ok(NumericOf::boxed(
        id,
        env,
        A::new(&scenario),
        A::options(stage),
    ))
}
