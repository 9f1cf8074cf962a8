//! The environments of the facade's table: listing them for Python, making one by id.

use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::PyDict;
use ztgym::core::learn::numeric::NumericEnv;
use ztgym::core::spec::{find, NumericRequest};
use ztgym::registry::ENVS;

/// Makes environment `env` as the request names it (`ValueError` naming what is unknown).
pub(crate) fn make(
    env: &str,
    scenario: Option<&str>,
    level: Option<&str>,
    gate: Option<&str>,
) -> PyResult<Box<dyn NumericEnv>> {
    let spec = find(ENVS, env).map_err(PyValueError::new_err)?;
    let request = NumericRequest {
        scenario,
        level,
        gate,
    };
    spec.numeric(&request).map_err(PyValueError::new_err)
}

/// The environments: id, name, seed system, summary, scenarios, default scenario, agents.
#[pyfunction]
pub fn environments(py: Python<'_>) -> PyResult<Vec<Bound<'_, PyDict>>> {
    ENVS.iter()
        .map(|spec| {
            let d = PyDict::new(py);
            let info = spec.info();
            d.set_item("id", info.id)?;
            d.set_item("name", info.name)?;
            d.set_item("seed", info.seed)?;
            d.set_item("summary", info.summary)?;
            d.set_item("scenarios", spec.scenarios())?;
            d.set_item("default_scenario", spec.default_scenario())?;
            d.set_item("agents", spec.agents().to_vec())?;
            Ok(d)
        })
        .collect()
}
