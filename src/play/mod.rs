//! The player, for any environment: one generic run ([`run::Run`]) and the state handle every
//! page keeps ([`state::PageState`]), the clock and speed, the frame loop that plays an agent,
//! the run controls and keyboard shortcuts, the replay slider, fresh seeds, and a trajectory
//! file replayed and verified ([`verified_replay`]). An environment
//! plugs in by implementing [`page_session::PageSession`] on its session.

pub mod agent_choice;
pub mod clock;
pub mod decider;
pub mod hud_cells;
pub mod lesson_box;
#[cfg(test)]
pub mod lesson_drill;
pub mod link_fields;
pub mod link_settings;
pub mod page_frame;
pub mod page_session;
pub mod playable;
pub mod player;
pub mod replay;
pub mod run;
pub mod run_controls;
pub mod run_exports;
pub mod seed_input;
pub mod seeds;
pub mod shortcuts;
pub mod speed;
pub mod state;
#[cfg(test)]
pub mod test_asserts;
pub mod verified_replay;
#[cfg(test)]
mod verified_replay_tests;
