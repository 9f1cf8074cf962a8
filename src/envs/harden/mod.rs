//! The hardening loop (seed 001, ZT-RL): each cycle, telemetry updates a digital twin, a
//! proposal goes through a Rego gate and the twin's forecast, and runs only if both pass. Its
//! session (plain Rust), its state on the page, and its panels.

pub mod actions;
pub mod adapter;
pub mod arena;
pub mod caption;
pub mod chart;
pub mod charts;
pub mod controls;
pub mod desk;
pub mod exposures;
pub mod hud;
pub mod id;
pub mod learned;
pub mod lessons;
pub mod page;
pub mod picture;
pub mod policies;
pub mod policy_panel;
pub mod policy_view;
pub mod session;
pub mod settings;
pub mod story;
#[cfg(test)]
mod training_tests;

pub use id::ENV;

use crate::shell::env_tabs::EnvTab;
use leptos::prelude::*;
use lessons::LESSONS;

/// Its tab in the header, which mounts its page.
pub const TAB: EnvTab = EnvTab::new(ENV, "Hardening", || page::HardenPage().into_any(), &LESSONS);
