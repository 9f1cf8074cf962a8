//! One environment as numbers: what the Python package's Gymnasium environment wraps.

use crate::environments::make;
use crate::owned::Owned;
use crate::seeds;
use numpy::{PyArray1, ToPyArray};
use pyo3::exceptions::{PyRuntimeError, PyValueError};
use pyo3::prelude::*;
use ztgym::core::learn::numeric::bounds;
use ztgym::core::learn::numeric::{NumericEnv, Outcome};

/// `Single(env, scenario=None, level=None, gate=None)`: environment `env` (an id of
/// `environments()`) on a scenario (a built-in name or a scenario file), a level and a gate (a
/// Rego file).
#[pyclass(module = "ztgym._native")]
pub struct Single {
    inner: Owned<Inner>,
    seed: u64,
}

struct Inner {
    env: Option<Box<dyn NumericEnv>>,
    observation: Vec<f32>,
    mask: Vec<u8>,
}

/// What `reset` returns: observation, mask.
type ResetPair<'py> = (Bound<'py, PyArray1<f32>>, Bound<'py, PyArray1<u8>>);

/// What `step` returns: observation, mask, reward, cost, terminated, truncated.
type StepTuple<'py> = (
    Bound<'py, PyArray1<f32>>,
    Bound<'py, PyArray1<u8>>,
    f64,
    f64,
    bool,
    bool,
);

impl Inner {
    fn env(&mut self) -> PyResult<&mut dyn NumericEnv> {
        match &mut self.env {
            Some(env) => Ok(env.as_mut()),
            None => Err(PyRuntimeError::new_err("the environment is closed")),
        }
    }

    fn step(&mut self, action: i64) -> PyResult<Outcome> {
        let env = match &mut self.env {
            Some(env) => env,
            None => return Err(PyRuntimeError::new_err("the environment is closed")),
        };
        let n = env.actions().len();
        let choice = usize::try_from(action)
            .ok()
            .filter(|&a| a < n)
            .ok_or_else(|| {
                PyValueError::new_err(format!(
                    "action {action} is out of range: {} has {n} actions (0..{n})",
                    env.id()
                ))
            })?;
        env.step(choice, &mut self.observation, &mut self.mask)
            .map_err(PyRuntimeError::new_err)
    }
}

impl Single {
    fn env(&mut self) -> PyResult<&mut dyn NumericEnv> {
        self.inner.get().env()
    }
}

#[pymethods]
impl Single {
    #[new]
    #[pyo3(signature = (env, scenario=None, level=None, gate=None))]
    fn new(
        env: &str,
        scenario: Option<&str>,
        level: Option<&str>,
        gate: Option<&str>,
    ) -> PyResult<Single> {
        let env = make(env, scenario, level, gate)?;
        Ok(Single {
            inner: Owned::new(Inner {
                observation: vec![0.0; env.observation_len()],
                mask: vec![0; env.actions().len()],
                env: Some(env),
            }),
            seed: 0,
        })
    }

    /// The environment's id.
    #[getter]
    fn id(&mut self) -> PyResult<&'static str> {
        Ok(self.env()?.id())
    }

    /// The scenario (or task) played.
    #[getter]
    fn scenario(&mut self) -> PyResult<String> {
        Ok(self.env()?.scenario().to_string())
    }

    /// The discrete actions' names, in order.
    #[getter]
    fn actions(&mut self) -> PyResult<Vec<&'static str>> {
        Ok(self.env()?.actions().to_vec())
    }

    /// Each observation entry's `(low, high)`, from its name (the core's `bounds`).
    #[getter]
    fn observation_bounds(&mut self) -> PyResult<Vec<(f32, f32)>> {
        Ok(self
            .env()?
            .observation_names()
            .iter()
            .map(|n| bounds(n))
            .collect())
    }

    /// The observation vector's entries, named.
    #[getter]
    fn observation_names(&mut self) -> PyResult<Vec<String>> {
        Ok(self.env()?.observation_names())
    }

    /// Starts an episode on `seed` (the next seed of the last episode's when `None`):
    /// `(observation, mask)`.
    #[pyo3(signature = (seed=None))]
    fn reset<'py>(&mut self, py: Python<'py>, seed: Option<u64>) -> PyResult<ResetPair<'py>> {
        self.seed = seed.unwrap_or_else(|| seeds::next(self.seed));
        let seed = self.seed;
        let inner = self.inner.get();
        let env = inner.env.as_deref_mut();
        let env = env.ok_or_else(|| PyRuntimeError::new_err("the environment is closed"))?;
        env.reset(seed, &mut inner.observation, &mut inner.mask);
        Ok((inner.observation.to_pyarray(py), inner.mask.to_pyarray(py)))
    }

    /// Plays action `action` (an index into `actions`): `(observation, mask, reward, cost,
    /// terminated, truncated)`. `ValueError` for an action out of range; `RuntimeError` before
    /// `reset`, after the episode ended, or once closed.
    fn step<'py>(&mut self, py: Python<'py>, action: i64) -> PyResult<StepTuple<'py>> {
        let inner = self.inner.get();
        let out = inner.step(action)?;
        Ok((
            inner.observation.to_pyarray(py),
            inner.mask.to_pyarray(py),
            out.reward,
            out.cost,
            out.terminated,
            out.truncated,
        ))
    }

    /// The seed the episode was reset with.
    #[getter]
    fn seed(&self) -> u64 {
        self.seed
    }

    /// The last observation as text for a language model.
    fn prompt(&mut self) -> PyResult<String> {
        Ok(self.env()?.prompt())
    }

    /// The last observation as JSON text.
    fn observation_json(&mut self) -> PyResult<String> {
        Ok(self.env()?.observation_json().to_string())
    }

    /// The last info as JSON text.
    fn info_json(&mut self) -> PyResult<String> {
        Ok(self.env()?.info_json().to_string())
    }

    /// The concrete action the last step sent, as JSON text (`null` before the first).
    fn action_json(&mut self) -> PyResult<String> {
        Ok(self.env()?.action_json().to_string())
    }

    /// The episode's figures: `(return, cost, steps, success)`.
    fn totals(&mut self) -> PyResult<(f64, f64, u32, bool)> {
        let t = self.env()?.totals();
        Ok((t.episode_return, t.episode_cost, t.steps, t.success))
    }

    /// Frees the environment; any later call raises `RuntimeError`.
    fn close(&mut self) {
        self.inner.get().env = None;
    }
}
