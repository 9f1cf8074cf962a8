//! `ztgym._native`: the environments of the facade's table for Python. Every environment is
//! reached through the table ([`ztgym::registry::ENVS`]) by id; nothing here names one.
//!
//! - [`single::Single`]: one environment as numbers (observation vector, mask, reward, cost);
//! - [`vector::Vector`]: N of them stepped in Rust with the GIL released, into numpy arrays;
//! - [`session::Session`]: one environment driven by concrete actions as JSON text;
//! - [`command::command`]: the command line's environment commands in-process (train, eval).
//!
//! Every error is a Python exception naming what was wrong (`ValueError` for a bad value,
//! `RuntimeError` for a call in the wrong state); nothing here panics on a caller's input.

mod command;
mod seeds;
mod session;
mod single;
mod vector;

use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::PyDict;
use std::sync::{Mutex, PoisonError};
use ztgym::core::learn::numeric::NumericEnv;
use ztgym::core::spec::{find, NumericRequest};
use ztgym::registry::ENVS;

/// A value a Python object owns and reaches only through `&mut self` (PyO3 lends one caller
/// at a time), so no lock is ever taken; the mutex only makes the object `Sync` as PyO3 asks.
pub(crate) struct Owned<T>(Mutex<T>);

impl<T> Owned<T> {
    pub(crate) fn new(value: T) -> Owned<T> {
        Owned(Mutex::new(value))
    }

    pub(crate) fn get(&mut self) -> &mut T {
        self.0.get_mut().unwrap_or_else(PoisonError::into_inner)
    }
}

/// Makes environment `env` as the request names it (`ValueError` naming what is unknown).
fn make(
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
fn environments(py: Python<'_>) -> PyResult<Vec<Bound<'_, PyDict>>> {
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

#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(environments, m)?)?;
    m.add_function(wrap_pyfunction!(command::command, m)?)?;
    m.add_class::<single::Single>()?;
    m.add_class::<vector::Vector>()?;
    m.add_class::<session::Session>()?;
    Ok(())
}
