//! What the player needs of an environment's run. An environment's page implements it on its
//! state handle; the player, its controls and the keyboard shortcuts then work for it as they
//! are.

/// An environment's run as the player drives it. Implemented on a cheap `Copy` handle.
pub trait Playable: Copy + Send + Sync + 'static {
    /// The agents that can play, for the hint when a person asks for play without one, e.g.
    /// `Random, SOP operator or a loaded policy`.
    const AGENTS: &'static str;

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

/// [`Playable::run`] on a page's session, for every environment: up to `max_steps` agent
/// steps (`step` false: no agent, or its step failed); with `keep_going`, a finished episode
/// (`done`) is followed by `next_episode` (the next seed's). Returns the steps taken.
pub fn run_agent_steps<S>(
    session: &mut S,
    max_steps: usize,
    keep_going: bool,
    done: impl Fn(&S) -> bool,
    next_episode: impl Fn(&mut S),
    step: impl Fn(&mut S) -> bool,
) -> usize {
    let mut taken = 0;
    while taken < max_steps {
        if done(session) {
            if !keep_going {
                break;
            }
            next_episode(session);
        }
        if !step(session) {
            break;
        }
        taken += 1;
    }
    taken
}
