//! One environment driven by concrete actions as JSON text: what the tool methods of the
//! Python package's language-model classes send, and what replays a trajectory of the CLI.

use crate::owned::Owned;
use pyo3::exceptions::{PyRuntimeError, PyValueError};
use pyo3::prelude::*;
use serde_json::Value;
use ztgym::core::spec::{find, make, JsonEnv, StepFailure};
use ztgym::registry::ENVS;

/// `Session(env, scenario=None)`: a built-in scenario of environment `env`, played through
/// JSON (`reset`, `step`, `state` take and give JSON text).
#[pyclass(module = "ztgym._native")]
pub struct Session {
    env: Owned<Option<Box<dyn JsonEnv>>>,
}

fn parse(what: &str, text: &str) -> PyResult<Value> {
    serde_json::from_str(text).map_err(|e| PyValueError::new_err(format!("{what}: not JSON: {e}")))
}

impl Session {
    fn env(&mut self) -> PyResult<&mut Box<dyn JsonEnv>> {
        self.env
            .get()
            .as_mut()
            .ok_or_else(|| PyRuntimeError::new_err("the session is closed"))
    }
}

#[pymethods]
impl Session {
    #[new]
    #[pyo3(signature = (env, scenario=None))]
    fn new(env: &str, scenario: Option<&str>) -> PyResult<Session> {
        let spec = find(ENVS, env).map_err(PyValueError::new_err)?;
        let env = make(spec, scenario).map_err(PyValueError::new_err)?;
        Ok(Session {
            env: Owned::new(Some(env)),
        })
    }

    /// The scenario played.
    #[getter]
    fn scenario(&mut self) -> PyResult<String> {
        Ok(self.env()?.scenario().to_string())
    }

    /// Starts an episode: `{"observation", "info", "prompt"}` as JSON text.
    #[pyo3(signature = (seed, options="null"))]
    fn reset(&mut self, seed: u64, options: &str) -> PyResult<String> {
        let options = parse("options", options)?;
        let out = self
            .env()?
            .reset(seed, &options)
            .map_err(PyValueError::new_err)?;
        Ok(out.to_string())
    }

    /// Plays a concrete action (JSON text): the step as JSON text. A malformed action is a
    /// `ValueError`, a refused one (after the end, an unknown node) a `RuntimeError`; either
    /// way nothing changed.
    fn step(&mut self, action: &str) -> PyResult<String> {
        let action = parse("action", action)?;
        match self.env()?.try_step(&action) {
            Ok(out) => Ok(out.to_string()),
            Err(StepFailure::Action(m)) => Err(PyValueError::new_err(m)),
            Err(StepFailure::Refused(m)) => Err(PyRuntimeError::new_err(m)),
        }
    }

    /// The hidden state as JSON text.
    fn state(&mut self) -> PyResult<String> {
        Ok(self.env()?.state().to_string())
    }

    /// The episode's figures: `(return, cost, steps, success)`.
    fn totals(&mut self) -> PyResult<(f64, f64, u32, bool)> {
        let t = self.env()?.totals();
        Ok((t.episode_return, t.episode_cost, t.steps, t.success))
    }

    /// Frees the environment; any later call raises `RuntimeError`.
    fn close(&mut self) {
        *self.env.get() = None;
    }
}
