//! The command line's environment commands (`eval`, `train`, `run`, `bench`, `scenarios`)
//! in-process: what a Ray Tune trial calls to train a learner in Rust. Files a command would
//! write come back as text; nothing is written.

use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use ztgym::core::command::Args;
use ztgym::core::spec::find;
use ztgym::registry::ENVS;

/// `command(env, name, words)`: command `name` of environment `env` with options `words` (as
/// on the command line, `["--episodes", "10"]`): `(json, writes)`, the command's JSON answer
/// as text and the files it would write as `(path, text)` pairs. `ValueError` names a bad
/// option or value.
#[pyfunction]
pub fn command(
    py: Python<'_>,
    env: &str,
    name: &str,
    words: Vec<String>,
) -> PyResult<(String, Vec<(String, String)>)> {
    let spec = find(ENVS, env).map_err(PyValueError::new_err)?;
    let options = spec
        .options(name)
        .ok_or_else(|| PyValueError::new_err(ztgym::core::spec::not_available(name, spec.id())))?;
    let args = Args::parse(name, &words, options.valued, options.switches)
        .map_err(PyValueError::new_err)?;
    // A training runs for seconds or minutes: other Python threads go on meanwhile.
    let reply = py
        .detach(|| spec.command(name, &args))
        .map_err(PyValueError::new_err)?;
    Ok((reply.value.to_string(), reply.writes))
}
