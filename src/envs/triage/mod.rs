//! Message triage (seed 003): decide on each message of an inbox (Allow, Block, Warn,
//! Investigate) without losing the user's trust or wearing them out. Its session (plain
//! Rust), its state on the page, and its panels.

pub mod actions;
pub mod adapter;
pub mod adversary_panel;
pub mod arena;
pub mod caption;
pub mod controls;
pub mod desk;
pub mod grade_panel;
pub mod grading;
pub mod hud;
pub mod id;
pub mod lessons;
pub mod message_text;
pub mod page;
pub mod picture;
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
pub const TAB: EnvTab = EnvTab::new(ENV, "Triage", || page::TriagePage().into_any(), &LESSONS);
