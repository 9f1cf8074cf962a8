//! The player, for any environment: the clock and speed, the frame loop that plays an agent,
//! the run controls and keyboard shortcuts, the replay slider, fresh seeds. An environment
//! plugs in by implementing [`playable::Playable`].

pub mod clock;
pub mod playable;
pub mod player;
pub mod replay;
pub mod run_controls;
pub mod seeds;
pub mod shortcuts;
pub mod speed;
