//! The SRE gym (seed 000): investigate alerts on a service graph, file change tickets, wait
//! for approval, isolate or patch. Its session (plain Rust), its state on the page, and its
//! panels.

pub mod actions;
pub mod adapter;
pub mod alerts_panel;
pub mod arena;
pub mod bundled_policies;
pub mod caption;
pub mod controls;
pub mod desk;
pub mod episode_panel;
pub mod evidence;
pub mod gate_choice;
pub mod hud;
pub mod id;
pub mod layout;
pub mod lessons;
pub mod page;
pub mod picture;
pub mod policy_to_load;
pub mod policy_view;
pub mod session;
pub mod settings;
pub mod side_material;
pub mod story;
pub mod tickets_panel;
#[cfg(test)]
mod training_tests;

pub use id::ENV;

use crate::shell::env_tabs::EnvTab;
use leptos::prelude::*;
use lessons::LESSONS;

/// Its tab in the header, which mounts its page.
pub const TAB: EnvTab = EnvTab::new(ENV, "SRE gym", || page::SrePage().into_any(), &LESSONS);
