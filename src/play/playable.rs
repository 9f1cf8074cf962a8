//! What the player needs of an environment's run. Implemented once, on every page's state
//! handle ([`super::state::PageState`]); the player, its controls and the keyboard shortcuts
//! then work for every page as they are.

use super::decider::Agents;

/// An environment's run as the player drives it. Implemented on a cheap `Copy` handle.
pub trait Playable: Copy + Send + Sync + 'static {
    /// The agents that can play, for the hint when a person asks for play without one.
    const DECIDERS: &'static Agents;

    /// Whether an agent acts (not a person).
    fn automated(&self) -> bool;
    /// Whether the episode on screen has ended.
    fn done(&self) -> bool;
    /// The episode's seed.
    fn seed(&self) -> u64;
    /// Starts the episode of `seed`.
    fn set_seed(&self, seed: u64);
    /// Starts the same episode again.
    fn restart(&self);
    /// Plays up to `max_steps` agent steps without redrawing; with `keep_going`, a finished
    /// episode is followed by the next seed's. Returns the steps taken.
    fn run(&self, max_steps: usize, keep_going: bool) -> usize;
    /// Redraws what shows the run, after [`Playable::run`].
    fn redraw(&self);
    /// The run's link as it would be shared now, without `#` (tracked).
    fn share_hash(&self) -> String;
    /// Puts the run's link in the address bar.
    fn write_hash(&self);
}
