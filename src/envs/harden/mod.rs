//! The hardening loop (seed 001, ZT-RL): each cycle, telemetry updates a digital twin, a
//! proposal goes through a Rego gate and the twin's forecast, and runs only if both pass. Its
//! session (plain Rust), its state on the page, and its panels.

pub mod actions;
pub mod adapter;
pub mod caption;
pub mod chart;
pub mod charts;
pub mod controls;
pub mod desk;
pub mod exposures;
pub mod hud;
pub mod learned;
pub mod page;
pub mod picture;
pub mod policy_panel;
pub mod policy_view;
pub mod session;
pub mod settings;
pub mod story;
#[cfg(test)]
mod training_tests;

use crate::shell::env_tabs::EnvTab;
use leptos::prelude::*;

/// The hardening page's id in links and storage keys.
pub const ENV: &str = "harden";

/// Its tab in the header, which mounts its page.
pub const TAB: EnvTab = EnvTab::new(ENV, "Hardening", || {
    view! { <page::HardenPage /> }.into_any()
});
