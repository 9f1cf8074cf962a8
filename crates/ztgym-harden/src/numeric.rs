//! The hardening loop as a neural-network trainer plays it (the core's [`Numeric`]): the use
//! case's action kinds, their mask from the gate, and the observation vector.

use crate::adapter::{
    for_scenario, ActionSetOf, ControlAdapter, HardenAdapter, HardenAdapterOf, Kinds,
    PipelineAdapter, PodAdapter, TenantAdapter, WafAdapter,
};
use crate::{HardenEnv, Scenario, Stage};
use ztgym_core::learn::numeric::{Numeric, NumericEnv, NumericOf};
use ztgym_core::spec::{parse_level, NumericRequest};
use ztgym_rego::Policy;

impl<K: Kinds + Send + 'static> Numeric for HardenAdapterOf<K> {}

/// The environment a request names: its use case (built-in name or folder), stage (`level`)
/// and gate (a Rego file instead of the scenario's policy).
pub fn make(id: &'static str, request: &NumericRequest) -> Result<Box<dyn NumericEnv>, String> {
    let mut scenario = Scenario::load(request.scenario.unwrap_or("seed001"))
        .map_err(|e| ztgym_core::command::safe(&e.to_string()).into_owned())?;
    if let Some(path) = request.gate {
        let text = ztgym_core::command::read(path, ztgym_core::fileio::Kind::Rego)?;
        let policy = Policy::load(path, &text).map_err(|e| format!("gate: {e}"))?;
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
