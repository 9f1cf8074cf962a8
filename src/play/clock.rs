//! The player's clock: the page's time in milliseconds, when the last timed step was taken,
//! and the window over which steps per second are measured at maximum speed.

use leptos::prelude::window;

/// Milliseconds from the page's clock.
pub fn now_ms() -> f64 {
    window().performance().map_or(0.0, |p| p.now())
}

/// Steps per second are measured over windows of this many milliseconds.
const WINDOW_MS: f64 = 500.0;

#[derive(Clone, Copy, Default)]
pub struct Clock {
    pub last_step_ms: f64,
    window_start_ms: f64,
    window_steps: u64,
}

impl Clock {
    /// A clock started now.
    pub fn start(now: f64) -> Clock {
        Clock {
            last_step_ms: 0.0,
            window_start_ms: now,
            window_steps: 0,
        }
    }

    /// Counts `steps` taken at `now`; at the end of a window, returns its steps per second.
    pub fn count(&mut self, steps: usize, now: f64) -> Option<f64> {
        self.window_steps += steps as u64;
        let elapsed = now - self.window_start_ms;
        if elapsed < WINDOW_MS {
            return None;
        }
        let rate = self.window_steps as f64 * 1000.0 / elapsed;
        self.window_start_ms = now;
        self.window_steps = 0;
        Some(rate)
    }
}
