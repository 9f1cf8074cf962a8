//! The player: run controls.

pub mod run_controls;
