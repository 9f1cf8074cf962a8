//! Message triage (seed 003): decide on each message of an inbox (Allow, Block, Warn,
//! Investigate) without losing the user's trust or wearing them out. Its session (plain
//! Rust), its state on the page, and its panels.

pub mod adversary_panel;
pub mod caption;
pub mod controls;
pub mod decide_panel;
pub mod desk;
pub mod grade_panel;
pub mod hud;
pub mod inbox;
pub mod page;
pub mod policy_view;
pub mod session;
pub mod settings;
pub mod story;

use leptos::prelude::*;

/// The triage page's id in links and storage keys.
pub const ENV: &str = "triage";

/// Mounts the triage page.
pub fn page() -> AnyView {
    view! { <page::TriagePage /> }.into_any()
}
