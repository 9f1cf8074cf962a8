//! The player: plays an environment's agent at the chosen speed, one animation frame at a
//! time, and carries the controls every environment shares (speed, keep going, replay). Works
//! on any [`Playable`].

use super::clock::{now_ms, Clock};
use super::playable::Playable;
use super::seeds::fresh_seed;
use super::speed::Speed;
use crate::shell::notices::Notices;
use leptos::prelude::*;

/// Wall time for a frame at maximum speed: leaves the rest of the ~16.7 ms frame for one redraw.
const MAX_SPEED_BUDGET_MS: f64 = 13.0;

/// The player's state, shared through context. All fields are cheap handles.
#[derive(Clone, Copy)]
pub struct Player {
    pub speed: RwSignal<Speed>,
    pub playing: RwSignal<bool>,
    /// At the end of an episode, go on with the next seed.
    pub keep_going: RwSignal<bool>,
    /// Showing the observation after this many steps of the episode.
    pub replay: RwSignal<Option<usize>>,
    /// Steps per second measured while playing at maximum speed.
    pub steps_per_second: RwSignal<f64>,
    clock: StoredValue<Clock>,
    notices: Notices,
}

impl Player {
    pub fn new(speed: Speed, notices: Notices) -> Player {
        Player {
            speed: RwSignal::new(speed),
            playing: RwSignal::new(false),
            keep_going: RwSignal::new(false),
            replay: RwSignal::new(None),
            steps_per_second: RwSignal::new(0.0),
            clock: StoredValue::new(Clock::default()),
            notices,
        }
    }

    /// Plays the agent until paused (or the episode ends, unless keep going).
    pub fn play(&self, run: impl Playable) {
        if !self.agent_chosen(run, "Choose an agent (", ") to play") {
            return;
        }
        if run.done() {
            run.set_seed(run.seed().wrapping_add(1));
        }
        self.replay.set(None);
        self.clock.set_value(Clock::start(now_ms()));
        self.playing.set(true);
        self.schedule(run);
    }

    pub fn pause(&self, run: impl Playable) {
        self.playing.set(false);
        run.write_hash();
    }

    pub fn toggle_play(&self, run: impl Playable) {
        if self.playing.get_untracked() {
            self.pause(run)
        } else {
            self.play(run)
        }
    }

    /// One agent step (the Step button); after the end of an episode, the next seed's first.
    pub fn step(&self, run: impl Playable) {
        if !self.agent_chosen(run, "Step plays one agent step: choose an agent (", ")") {
            return;
        }
        self.replay.set(None);
        let rolled_over = run.done();
        if rolled_over {
            run.set_seed(run.seed().wrapping_add(1));
        }
        run.run(1, false);
        run.redraw();
        if rolled_over {
            run.write_hash();
        }
    }

    /// The same episode from the start.
    pub fn reset(&self, run: impl Playable) {
        run.restart();
        self.replay.set(None);
        self.notices.clear();
    }

    /// A new episode with a seed drawn at random.
    pub fn new_seed(&self, run: impl Playable) {
        run.set_seed(fresh_seed(run.seed()));
        self.replay.set(None);
        self.notices.clear();
        run.write_hash();
    }

    /// Whether an agent plays; if not, says how to choose one (`before` and `after` frame the
    /// list of agents).
    fn agent_chosen<P: Playable>(&self, run: P, before: &str, after: &str) -> bool {
        let automated = run.automated();
        if !automated {
            self.notices.info(format!(
                "{before}{}{after}; as Human, use the action buttons.",
                P::DECIDERS.said()
            ));
        }
        automated
    }

    fn schedule(self, run: impl Playable) {
        request_animation_frame(move || self.frame(run));
    }

    /// One animation frame of play: steps as the speed allows, then one redraw.
    fn frame(self, run: impl Playable) {
        // A page left while it played (a tab, the course, a lesson link) is gone: its frame
        // stops.
        if self.playing.try_get_untracked() != Some(true) {
            return;
        }
        let speed = self.speed.get_untracked();
        let keep_going = self.keep_going.get_untracked();
        let now = now_ms();
        let mut clock = self.clock.get_value();
        let mut steps = 0;
        match speed.interval_ms() {
            Some(ms) if now - clock.last_step_ms >= f64::from(ms) => {
                steps = run.run(1, keep_going);
                clock.last_step_ms = now;
            }
            Some(_) => {}
            None if speed == Speed::Fast => steps = run.run(1, keep_going),
            None => {
                // Maximum: batches of steps until the frame's budget is spent.
                while now_ms() - now < MAX_SPEED_BUDGET_MS {
                    let n = run.run(256, keep_going);
                    steps += n;
                    if n < 256 {
                        break;
                    }
                }
            }
        }
        if let Some(rate) = clock.count(steps, now) {
            if speed == Speed::Max {
                self.steps_per_second.set(rate);
            }
        }
        self.clock.set_value(clock);
        if steps > 0 {
            run.redraw();
        }
        if run.done() && !keep_going {
            self.pause(run);
        } else {
            self.schedule(run);
        }
    }
}

/// The player from context.
pub fn use_player() -> Player {
    expect_context::<Player>()
}
