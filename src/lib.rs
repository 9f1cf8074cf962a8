//! The ztgym playground: a client-side leptos app. Components only; the simulation rules live in
//! the `ztgym` crate.

pub mod app;
pub mod arena;
pub mod envs;
pub mod learning;
pub mod play;
pub mod rego;
pub mod shell;

pub use app::App;
