//! The SRE gym as a neural-network trainer plays it (the core's [`Numeric`]): the executor's
//! seven abstract actions, their mask from the gate, and the observation vector.

use crate::adapter::{AbstractAction, Executor, ACTIONS};
use crate::cve::CveCatalog;
use crate::gate::{BuiltinGate, Gate, Proposal};
use crate::judge::OfflineJudge;
use crate::observation::Observation;
use crate::scenario_arg::load_scenario;
use crate::{Env, Level};
use ztgym_core::learn::numeric::{Numeric, NumericEnv, NumericOf};
use ztgym_core::learn::{ActionSet, Adapter};
use ztgym_core::spec::{parse_level, NumericRequest};

impl Numeric for Executor {
    /// Only isolating and patching send something privileged: their proposals, judged by the
    /// environment's own gate (so a Rego gate masks what it would refuse).
    fn allowed_now(&self, env: &Env, observation: &Observation) -> ActionSet {
        let mut set = ActionSet::all(ACTIONS);
        for choice in [AbstractAction::Isolate, AbstractAction::Patch] {
            let refused = self
                .proposal(choice, observation)
                .is_some_and(|p| !env.gate().check(&p).allowed());
            if refused {
                set.remove(choice.index());
            }
        }
        set
    }
}

/// The environment a request names: its scenario (built-in or file), level and gate.
pub fn make(id: &'static str, request: &NumericRequest) -> Result<Box<dyn NumericEnv>, String> {
    let scenario = load_scenario(request.scenario.unwrap_or("classic"))?;
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
