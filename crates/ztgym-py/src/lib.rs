//! `ztgym._native`: the environments of the facade's table for Python. Every environment is
//! reached through the table ([`ztgym::registry::ENVS`]) by id; nothing here names one.
//!
//! - `single::Single`: one environment as numbers (observation vector, mask, reward, cost);
//! - `vector::Vector`: N of them stepped in Rust with the GIL released, into numpy arrays;
//! - `session::Session`: one environment driven by concrete actions as JSON text;
//! - `command::command`: the command line's environment commands in-process (train, eval);
//! - `trajectory::TrajectoryWriter`: a session that records the trajectory file, and
//!   `trajectory::verify_trajectory`, which replays one.
//!
//! Every error is a Python exception naming what was wrong (`ValueError` for a bad value,
//! `RuntimeError` for a call in the wrong state); nothing here panics on a caller's input.

mod command;
mod environments;
mod owned;
mod seeds;
mod session;
mod single;
mod trajectory;
mod vector;

use pyo3::prelude::*;

#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(environments::environments, m)?)?;
    m.add_function(wrap_pyfunction!(command::command, m)?)?;
    m.add_class::<single::Single>()?;
    m.add_class::<vector::Vector>()?;
    m.add_class::<session::Session>()?;
    m.add_class::<trajectory::TrajectoryWriter>()?;
    m.add_function(wrap_pyfunction!(trajectory::verify_trajectory, m)?)?;
    Ok(())
}
