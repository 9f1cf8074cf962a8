//! N environments stepped in Rust, with the GIL released and threads across cores for large N,
//! writing into numpy arrays allocated once: what the Python package's `VectorEnv` wraps.

use crate::environments::make;
use crate::owned::Owned;
use crate::seeds;
use numpy::{PyArray1, PyArray2, PyArrayMethods, PyReadonlyArray1};
use pyo3::exceptions::{PyRuntimeError, PyValueError};
use pyo3::prelude::*;
use ztgym::core::learn::numeric::bounds;
use ztgym::core::learn::numeric::NumericEnv;

/// Gymnasium's autoreset modes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Autoreset {
    /// An ended environment is reset by the next `step`, whose action for it is ignored.
    NextStep,
    /// An ended environment is reset in the same `step`; its last observation goes to
    /// `final_observation`.
    SameStep,
    /// Ended environments wait for `reset(mask)`.
    Disabled,
}

impl Autoreset {
    fn parse(name: &str) -> PyResult<Autoreset> {
        match name {
            "next_step" => Ok(Autoreset::NextStep),
            "same_step" => Ok(Autoreset::SameStep),
            "disabled" => Ok(Autoreset::Disabled),
            other => Err(PyValueError::new_err(format!(
                "autoreset_mode: unknown mode {:?} (known: next_step, same_step, disabled)",
                ztgym::core::text::shorten(other, 32)
            ))),
        }
    }
}

struct Slot {
    env: Box<dyn NumericEnv>,
    seed: u64,
    /// The episode ended and the environment waits for its reset.
    ended: bool,
}

/// The arrays a step writes, row by row (each environment's rows apart, so threads share none).
struct Rows<'a> {
    observation: &'a mut [f32],
    mask: &'a mut [u8],
    reward: &'a mut [f64],
    cost: &'a mut [f64],
    terminated: &'a mut [bool],
    truncated: &'a mut [bool],
    /// Set for the environments whose episode ended at this step, with its figures.
    episode: &'a mut [bool],
    episode_return: &'a mut [f64],
    episode_cost: &'a mut [f64],
    episode_length: &'a mut [i64],
    episode_success: &'a mut [bool],
    final_observation: &'a mut [f32],
}

impl<'a> Rows<'a> {
    /// The first `k` environments' rows, and the rest.
    fn split(self, k: usize, width: usize, actions: usize) -> (Rows<'a>, Rows<'a>) {
        let (o1, o2) = self.observation.split_at_mut(k * width);
        let (m1, m2) = self.mask.split_at_mut(k * actions);
        let (r1, r2) = self.reward.split_at_mut(k);
        let (c1, c2) = self.cost.split_at_mut(k);
        let (t1, t2) = self.terminated.split_at_mut(k);
        let (u1, u2) = self.truncated.split_at_mut(k);
        let (e1, e2) = self.episode.split_at_mut(k);
        let (er1, er2) = self.episode_return.split_at_mut(k);
        let (ec1, ec2) = self.episode_cost.split_at_mut(k);
        let (el1, el2) = self.episode_length.split_at_mut(k);
        let (es1, es2) = self.episode_success.split_at_mut(k);
        let (f1, f2) = self.final_observation.split_at_mut(k * width);
        (
            Rows {
                observation: o1,
                mask: m1,
                reward: r1,
                cost: c1,
                terminated: t1,
                truncated: u1,
                episode: e1,
                episode_return: er1,
                episode_cost: ec1,
                episode_length: el1,
                episode_success: es1,
                final_observation: f1,
            },
            Rows {
                observation: o2,
                mask: m2,
                reward: r2,
                cost: c2,
                terminated: t2,
                truncated: u2,
                episode: e2,
                episode_return: er2,
                episode_cost: ec2,
                episode_length: el2,
                episode_success: es2,
                final_observation: f2,
            },
        )
    }
}

/// Steps environments `slots` (rows `rows`) with `actions`, in mode `mode`; the number of
/// episodes that ended.
fn step_all(
    slots: &mut [Slot],
    actions: &[i64],
    rows: Rows<'_>,
    mode: Autoreset,
    width: usize,
    n_actions: usize,
) -> usize {
    let mut ended = 0;
    for (i, slot) in slots.iter_mut().enumerate() {
        let obs = &mut rows.observation[i * width..(i + 1) * width];
        let mask = &mut rows.mask[i * n_actions..(i + 1) * n_actions];
        rows.episode[i] = false;
        if slot.ended && mode == Autoreset::NextStep {
            slot.seed = seeds::next(slot.seed);
            slot.env.reset(slot.seed, obs, mask);
            slot.ended = false;
            rows.reward[i] = 0.0;
            rows.cost[i] = 0.0;
            rows.terminated[i] = false;
            rows.truncated[i] = false;
            continue;
        }
        // Checked before any environment stepped: in range, and not ended in mode Disabled.
        let choice = actions[i] as usize;
        // An error is unreachable for a checked action (nothing changes on one).
        let out = slot.env.step(choice, obs, mask).unwrap_or_default();
        rows.reward[i] = out.reward;
        rows.cost[i] = out.cost;
        rows.terminated[i] = out.terminated;
        rows.truncated[i] = out.truncated;
        if out.terminated || out.truncated {
            let t = slot.env.totals();
            ended += 1;
            rows.episode[i] = true;
            rows.episode_return[i] = t.episode_return;
            rows.episode_cost[i] = t.episode_cost;
            rows.episode_length[i] = i64::from(t.steps);
            rows.episode_success[i] = t.success;
            slot.ended = true;
            if mode == Autoreset::SameStep {
                rows.final_observation[i * width..(i + 1) * width].copy_from_slice(obs);
                slot.seed = seeds::next(slot.seed);
                slot.env.reset(slot.seed, obs, mask);
                slot.ended = false;
            }
        }
    }
    ended
}

/// Steps in `threads` threads, each over its own environments and rows; the number of
/// episodes that ended.
fn step_threads(
    slots: &mut [Slot],
    actions: &[i64],
    rows: Rows<'_>,
    mode: Autoreset,
    (width, n_actions, threads): (usize, usize, usize),
) -> usize {
    if threads <= 1 || slots.len() < 2 {
        return step_all(slots, actions, rows, mode, width, n_actions);
    }
    let per = slots.len().div_ceil(threads);
    std::thread::scope(|scope| {
        let mut slots = slots;
        let mut actions = actions;
        let mut rows = rows;
        let mut others = Vec::with_capacity(threads);
        while slots.len() > per {
            let (s1, s2) = slots.split_at_mut(per);
            let (a1, a2) = actions.split_at(per);
            let (r1, r2) = rows.split(per, width, n_actions);
            others.push(scope.spawn(move || step_all(s1, a1, r1, mode, width, n_actions)));
            (slots, actions, rows) = (s2, a2, r2);
        }
        let mine = step_all(slots, actions, rows, mode, width, n_actions);
        // A panic in a thread (a bug) goes on as if in this one: PyO3 raises it in Python.
        mine + others
            .into_iter()
            .map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
            .sum::<usize>()
    })
}

/// The arrays a step fills, allocated once.
struct Arrays {
    observation: Py<PyArray2<f32>>,
    mask: Py<PyArray2<u8>>,
    reward: Py<PyArray1<f64>>,
    cost: Py<PyArray1<f64>>,
    terminated: Py<PyArray1<bool>>,
    truncated: Py<PyArray1<bool>>,
    episode: Py<PyArray1<bool>>,
    episode_return: Py<PyArray1<f64>>,
    episode_cost: Py<PyArray1<f64>>,
    episode_length: Py<PyArray1<i64>>,
    episode_success: Py<PyArray1<bool>>,
    final_observation: Py<PyArray2<f32>>,
}

impl Arrays {
    fn new(py: Python<'_>, n: usize, width: usize, actions: usize) -> Arrays {
        Arrays {
            observation: PyArray2::zeros(py, [n, width], false).unbind(),
            mask: PyArray2::zeros(py, [n, actions], false).unbind(),
            reward: PyArray1::zeros(py, n, false).unbind(),
            cost: PyArray1::zeros(py, n, false).unbind(),
            terminated: PyArray1::from_vec(py, vec![false; n]).unbind(),
            truncated: PyArray1::from_vec(py, vec![false; n]).unbind(),
            episode: PyArray1::from_vec(py, vec![false; n]).unbind(),
            episode_return: PyArray1::zeros(py, n, false).unbind(),
            episode_cost: PyArray1::zeros(py, n, false).unbind(),
            episode_length: PyArray1::zeros(py, n, false).unbind(),
            episode_success: PyArray1::from_vec(py, vec![false; n]).unbind(),
            final_observation: PyArray2::zeros(py, [n, width], false).unbind(),
        }
    }
}

/// `Vector(env, num_envs, scenario=None, level=None, gate=None, autoreset_mode="next_step",
/// threads=None)`: `num_envs` copies of one environment (as `Single` makes it). `step` writes
/// into the same arrays each time (`arrays()` returns them); copy what you keep.
#[pyclass(module = "ztgym._native")]
pub struct Vector {
    slots: Owned<Vec<Slot>>,
    arrays: Arrays,
    mode: Autoreset,
    width: usize,
    actions: &'static [&'static str],
    threads: usize,
    closed: bool,
}

/// The arrays, in the order `arrays()` gives them.
type ArrayTuple = (
    Py<PyArray2<f32>>,
    Py<PyArray2<u8>>,
    Py<PyArray1<f64>>,
    Py<PyArray1<f64>>,
    Py<PyArray1<bool>>,
    Py<PyArray1<bool>>,
    Py<PyArray1<bool>>,
    Py<PyArray1<f64>>,
    Py<PyArray1<f64>>,
    Py<PyArray1<i64>>,
    Py<PyArray1<bool>>,
    Py<PyArray2<f32>>,
);

impl Vector {
    fn open(&self) -> PyResult<()> {
        if self.closed {
            Err(PyRuntimeError::new_err("the vector environment is closed"))
        } else {
            Ok(())
        }
    }
}

impl Arrays {
    /// Writable views of every array.
    ///
    /// # Safety
    /// The arrays are this object's own, C-contiguous and never resized; the Python wrapper
    /// hands out copies or read-only views, and no Python code runs while the views live (they
    /// live inside one call of `reset` or `step`).
    unsafe fn rows<'a>(&'a self, py: Python<'a>) -> PyResult<Rows<'a>> {
        let a = self;
        Ok(Rows {
            observation: a.observation.bind(py).as_slice_mut()?,
            mask: a.mask.bind(py).as_slice_mut()?,
            reward: a.reward.bind(py).as_slice_mut()?,
            cost: a.cost.bind(py).as_slice_mut()?,
            terminated: a.terminated.bind(py).as_slice_mut()?,
            truncated: a.truncated.bind(py).as_slice_mut()?,
            episode: a.episode.bind(py).as_slice_mut()?,
            episode_return: a.episode_return.bind(py).as_slice_mut()?,
            episode_cost: a.episode_cost.bind(py).as_slice_mut()?,
            episode_length: a.episode_length.bind(py).as_slice_mut()?,
            episode_success: a.episode_success.bind(py).as_slice_mut()?,
            final_observation: a.final_observation.bind(py).as_slice_mut()?,
        })
    }
}

#[pymethods]
impl Vector {
    #[new]
    #[pyo3(signature = (env, num_envs, scenario=None, level=None, gate=None, autoreset_mode="next_step", threads=None))]
    #[allow(clippy::too_many_arguments)]
    fn new(
        py: Python<'_>,
        env: &str,
        num_envs: usize,
        scenario: Option<&str>,
        level: Option<&str>,
        gate: Option<&str>,
        autoreset_mode: &str,
        threads: Option<usize>,
    ) -> PyResult<Vector> {
        const MAX_ENVS: usize = 1 << 20;
        if num_envs == 0 || num_envs > MAX_ENVS {
            return Err(PyValueError::new_err(format!(
                "num_envs: {num_envs} is not between 1 and {MAX_ENVS}"
            )));
        }
        let mode = Autoreset::parse(autoreset_mode)?;
        let first = make(env, scenario, level, gate)?;
        let width = first.observation_len();
        let actions = first.actions();
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        // A thread pays for itself from a few hundred environments per step.
        let threads = threads.unwrap_or(cores.min(num_envs / 256).max(1));
        if threads == 0 || threads > 256 {
            return Err(PyValueError::new_err(format!(
                "threads: {threads} is not between 1 and 256"
            )));
        }
        // Each thread's environments are copies of a prototype of its own: copies share the
        // scenario's strings (reference counted), and counts touched from two cores at once
        // would make the threads wait on each other's cache lines.
        let per = num_envs.div_ceil(threads);
        let mut slots = Vec::with_capacity(num_envs);
        let mut prototype = first;
        for i in 0..num_envs {
            if i > 0 && i % per == 0 {
                prototype = make(env, scenario, level, gate)?;
            }
            slots.push(Slot {
                env: prototype.clone_box(),
                seed: 0,
                ended: true,
            });
        }
        Ok(Vector {
            slots: Owned::new(slots),
            arrays: Arrays::new(py, num_envs, width, actions.len()),
            mode,
            width,
            actions,
            threads,
            closed: false,
        })
    }

    /// The number of environments.
    #[getter]
    fn num_envs(&mut self) -> usize {
        self.slots.get().len()
    }

    /// The discrete actions' names.
    #[getter]
    fn actions(&self) -> Vec<&'static str> {
        self.actions.to_vec()
    }

    /// Each observation entry's `(low, high)`, from its name (the core's `bounds`).
    #[getter]
    fn observation_bounds(&mut self) -> Vec<(f32, f32)> {
        self.slots.get()[0]
            .env
            .observation_names()
            .iter()
            .map(|n| bounds(n))
            .collect()
    }

    /// The observation vector's entries, named.
    #[getter]
    fn observation_names(&mut self) -> Vec<String> {
        self.slots.get()[0].env.observation_names()
    }

    /// The threads a step uses.
    #[getter]
    fn threads(&self) -> usize {
        self.threads
    }

    /// The arrays `step` and `reset` write: observation, mask, reward, cost, terminated,
    /// truncated, episode (ended at this step), its return, cost, length and success, and the
    /// final observation (mode `same_step`).
    fn arrays(&self, py: Python<'_>) -> ArrayTuple {
        let a = &self.arrays;
        (
            a.observation.clone_ref(py),
            a.mask.clone_ref(py),
            a.reward.clone_ref(py),
            a.cost.clone_ref(py),
            a.terminated.clone_ref(py),
            a.truncated.clone_ref(py),
            a.episode.clone_ref(py),
            a.episode_return.clone_ref(py),
            a.episode_cost.clone_ref(py),
            a.episode_length.clone_ref(py),
            a.episode_success.clone_ref(py),
            a.final_observation.clone_ref(py),
        )
    }

    /// Resets every environment, or those `mask` marks: environment `i` on `seed + i`, or on
    /// the next seed of its last episode's when `seed` is `None`.
    #[pyo3(signature = (seed=None, mask=None))]
    fn reset(
        &mut self,
        py: Python<'_>,
        seed: Option<u64>,
        mask: Option<PyReadonlyArray1<'_, bool>>,
    ) -> PyResult<()> {
        self.open()?;
        let n = self.slots.get().len();
        let chosen: Vec<bool> = match &mask {
            None => vec![true; n],
            Some(m) if m.len()? == n => m.as_array().iter().copied().collect(),
            Some(m) => {
                return Err(PyValueError::new_err(format!(
                    "reset_mask: {} values for {n} environments",
                    m.len()?
                )))
            }
        };
        let (width, actions) = (self.width, self.actions.len());
        // SAFETY: see `rows`; the GIL is held throughout.
        let rows = unsafe { self.arrays.rows(py)? };
        for (i, slot) in self.slots.get().iter_mut().enumerate() {
            if !chosen[i] {
                continue;
            }
            slot.seed = match seed {
                Some(s) => s.wrapping_add(i as u64),
                None => seeds::next(slot.seed),
            };
            slot.env.reset(
                slot.seed,
                &mut rows.observation[i * width..(i + 1) * width],
                &mut rows.mask[i * actions..(i + 1) * actions],
            );
            slot.ended = false;
            rows.episode[i] = false;
        }
        Ok(())
    }

    /// Steps every environment with `actions` (int64, one per environment): the number of
    /// episodes that ended. Every action is checked before any environment steps: one out of
    /// range, or (mode `disabled`) one for an environment whose episode ended, is a
    /// `ValueError` naming its index.
    fn step(&mut self, py: Python<'_>, actions: PyReadonlyArray1<'_, i64>) -> PyResult<usize> {
        self.open()?;
        let n = self.slots.get().len();
        let actions = actions.as_slice()?;
        if actions.len() != n {
            return Err(PyValueError::new_err(format!(
                "actions: {} values for {n} environments",
                actions.len()
            )));
        }
        let count = self.actions.len();
        let mode = self.mode;
        for (i, (&a, slot)) in actions.iter().zip(self.slots.get().iter()).enumerate() {
            if a < 0 || a as usize >= count {
                return Err(PyValueError::new_err(format!(
                    "actions[{i}]: {a} is out of range (0..{count})"
                )));
            }
            if slot.ended && mode != Autoreset::NextStep {
                let why = if mode == Autoreset::Disabled {
                    "its episode ended: reset it first (reset_mask)"
                } else {
                    "it was never reset"
                };
                return Err(PyValueError::new_err(format!(
                    "actions[{i}]: environment {i} cannot step: {why}"
                )));
            }
        }
        let shape = (self.width, count, self.threads);
        // SAFETY: see `rows`; the views are used only inside this call.
        let rows = unsafe { self.arrays.rows(py)? };
        let slots = self.slots.get();
        Ok(py.detach(|| step_threads(slots, actions, rows, mode, shape)))
    }

    /// The prompt of environment `index`'s last observation.
    fn prompt(&mut self, index: usize) -> PyResult<String> {
        self.open()?;
        let slots = self.slots.get();
        let n = slots.len();
        slots
            .get(index)
            .map(|s| s.env.prompt())
            .ok_or_else(|| PyValueError::new_err(format!("index {index} is not below {n}")))
    }

    /// Frees the environments; any later call raises `RuntimeError`.
    fn close(&mut self) {
        self.closed = true;
        self.slots.get().truncate(1);
    }
}
