//! Trajectory files from Python: [`TrajectoryWriter`] plays a built-in scenario through JSON
//! as [`crate::session::Session`] does and records each step in the one trajectory format
//! (the core's `trajectory`, as `ztgym run` writes it; the digests are taken here, from the
//! simulator's own values); [`verify_trajectory`] replays a file as `ztgym verify` does.

use crate::owned::Owned;
use pyo3::exceptions::{PyRuntimeError, PyValueError};
use pyo3::prelude::*;
use serde_json::Value;
use ztgym::core::spec::{find, make, JsonEnv, StepFailure};
use ztgym::core::trajectory::read::LIMITS;
use ztgym::core::trajectory::verify::verify_text;
use ztgym::core::trajectory::{file_text, Header, StepLine};
use ztgym::registry::ENVS;

/// What a writer holds: the environment, and the episode recorded since its last reset.
struct Recording {
    env: Box<dyn JsonEnv>,
    header: Option<Header>,
    steps: Vec<StepLine>,
}

/// `TrajectoryWriter(env, scenario=None, agent="python")`: a built-in scenario of environment
/// `env` played through JSON (`reset`, `step` take and give JSON text, as `Session`'s), every
/// step recorded; `text()` is the trajectory file of the episode since the last reset.
#[pyclass(module = "ztgym._native")]
pub struct TrajectoryWriter {
    recording: Owned<Recording>,
    agent: String,
}

fn parse(what: &str, text: &str) -> PyResult<Value> {
    serde_json::from_str(text).map_err(|e| PyValueError::new_err(format!("{what}: not JSON: {e}")))
}

#[pymethods]
impl TrajectoryWriter {
    #[new]
    #[pyo3(signature = (env, scenario=None, agent="python"))]
    fn new(env: &str, scenario: Option<&str>, agent: &str) -> PyResult<TrajectoryWriter> {
        let spec = find(ENVS, env).map_err(PyValueError::new_err)?;
        let env = make(spec, scenario).map_err(PyValueError::new_err)?;
        Ok(TrajectoryWriter {
            recording: Owned::new(Recording {
                env,
                header: None,
                steps: Vec::new(),
            }),
            agent: agent.to_string(),
        })
    }

    /// Starts an episode (and a new recording): `{"observation", "info", "prompt"}` as JSON.
    #[pyo3(signature = (seed, options="null"))]
    fn reset(&mut self, seed: u64, options: &str) -> PyResult<String> {
        let options = parse("options", options)?;
        let agent = self.agent.clone();
        let r = self.recording.get();
        let out = r.env.reset(seed, &options).map_err(PyValueError::new_err)?;
        r.header = Some(Header::new(
            r.env.id(),
            r.env.scenario(),
            &options,
            seed,
            &agent,
        ));
        r.steps.clear();
        Ok(out.to_string())
    }

    /// Plays a concrete action (JSON text) and records it: the step as JSON text. A malformed
    /// action is a `ValueError`, a refused one a `RuntimeError`; either way nothing changed
    /// and nothing was recorded.
    fn step(&mut self, action: &str) -> PyResult<String> {
        let action = parse("action", action)?;
        let r = self.recording.get();
        if r.header.is_none() {
            return Err(PyRuntimeError::new_err(
                "step before reset: call reset first",
            ));
        }
        let out = match r.env.try_step(&action) {
            Ok(out) => out,
            Err(StepFailure::Action(m)) => return Err(PyValueError::new_err(m)),
            Err(StepFailure::Refused(m)) => return Err(PyRuntimeError::new_err(m)),
        };
        let t = r.steps.len() as u64;
        r.steps.push(StepLine::from_json(t, &action, &out));
        Ok(out.to_string())
    }

    /// The steps recorded since the last reset.
    fn __len__(&mut self) -> usize {
        self.recording.get().steps.len()
    }

    /// The trajectory file of the episode since the last reset (JSON lines).
    fn text(&mut self) -> PyResult<String> {
        let r = self.recording.get();
        let header = r
            .header
            .as_ref()
            .ok_or_else(|| PyRuntimeError::new_err("nothing recorded: call reset first"))?;
        Ok(file_text(header, &r.steps))
    }
}

/// `verify_trajectory(text)`: the trajectory file's verdict as JSON text, as `ztgym verify
/// --json` gives it (`verified`, `complete`, `first_mismatch`, `mismatches`, ...). A file that
/// cannot be replayed is a `ValueError` naming its line and field.
#[pyfunction]
pub fn verify_trajectory(py: Python<'_>, text: &str) -> PyResult<String> {
    let verdict = py
        .detach(|| verify_text(ENVS, text, &LIMITS))
        .map_err(PyValueError::new_err)?;
    let mut value = serde_json::to_value(&verdict).unwrap_or(Value::Null);
    value["first_mismatch"] = verdict.first_mismatch().into();
    Ok(value.to_string())
}
