//! The SRE gym (seed 000): its session, its state and its panels.

pub mod action_panel;
pub mod alerts_panel;
pub mod episode_panel;
pub mod evidence;
pub mod gym;
pub mod hud;
pub mod layout;
pub mod run_settings;
pub mod service_graph_panel;
pub mod session;
pub mod tickets_panel;
