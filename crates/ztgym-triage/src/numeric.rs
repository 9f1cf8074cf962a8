//! Message triage as a neural-network trainer plays it (the core's [`Numeric`]): the abstract
//! decisions, their mask, and the observation vector.

use crate::{Env, TaskId, Triage};
use ztgym_core::learn::numeric::{Numeric, NumericEnv, NumericOf};
use ztgym_core::learn::Adapter;
use ztgym_core::spec::NumericRequest;

impl Numeric for Triage {}

/// The environment a request names: its task (`scenario` or `level`: L1, L2, L3). Triage has
/// no gate file.
pub fn make(id: &'static str, request: &NumericRequest) -> Result<Box<dyn NumericEnv>, String> {
    if request.gate.is_some() {
        return Err("gate: triage has no gate to replace".into());
    }
    let task = match (request.scenario, request.level) {
        (Some(s), Some(l)) if TaskId::parse(s)? != TaskId::parse(l)? => {
            return Err(format!(
                "task: scenario {s:?} and level {l:?} name different tasks"
            ))
        }
        (Some(name), _) | (None, Some(name)) => TaskId::parse(name)?,
        (None, None) => TaskId::L1,
    };
    Ok(NumericOf::boxed(
        id,
        Env::new(task),
        Triage::new(&task),
        <Triage as Adapter>::options(None),
    ))
}
