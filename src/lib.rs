//! The ztgym playground: a client-side leptos app. Components only; the simulation rules live in
//! the `ztgym` crate.

pub mod app;
pub mod build_info;
pub mod components;
pub mod download;
pub mod evidence;
pub mod layout;
pub mod policy_store;
pub mod session;
pub mod state;
pub mod training;
pub mod url_state;

pub use app::App;
