//! The settings a page's link carries, as the state handle reads and writes them: the fields
//! every link has (seed, agent, speed), the rest each environment's own.

use super::decider::{Agents, Decider};
use super::speed::Speed;
use crate::shell::url_hash::Link;

/// The settings a page's link carries.
pub trait LinkSettings: Clone + PartialEq + 'static {
    /// The agents of its Agent select.
    const DECIDERS: &'static Agents;

    fn seed(&self) -> u64;
    fn set_seed(&mut self, seed: u64);
    fn agent(&self) -> Decider;
    fn set_agent(&mut self, agent: Decider);
    fn speed(&self) -> Speed;
    fn set_speed(&mut self, speed: Speed);
    /// The link, without `#`.
    fn to_hash(&self) -> String;
    /// Reads a link's fields, each problem named and its default used instead.
    fn from_hash(hash: &str) -> (Self, Vec<String>);
    /// The settings the arena ranks on: the same scenario with every other option at its
    /// default, as `ztgym eval` plays it without options (seed, agent and speed kept).
    fn ranked(&self) -> Self;
    /// Reads `key=value` if it is one of the fields every link has (`seed`, `agent`,
    /// `speed`; a bad value is added to `problems`). Returns whether it was.
    fn read_run_field(&mut self, key: &str, value: &str, problems: &mut Vec<String>) -> bool;
}

/// Implements [`LinkSettings`] for a settings type with fields `seed`, `agent` and `speed` and
/// inherent `to_hash`, `from_hash` and `ranked`; `$deciders` is the [`crate::play::decider::Agents`] of
/// its Agent select.
#[macro_export]
macro_rules! link_settings {
    ($settings:ty, $deciders:expr) => {
        impl $crate::play::link_settings::LinkSettings for $settings {
            const DECIDERS: &'static $crate::play::decider::Agents = &$deciders;

            fn seed(&self) -> u64 {
                self.seed
            }

            fn set_seed(&mut self, seed: u64) {
                self.seed = seed;
            }

            fn agent(&self) -> $crate::play::decider::Decider {
                self.agent
            }

            fn set_agent(&mut self, agent: $crate::play::decider::Decider) {
                self.agent = agent;
            }

            fn speed(&self) -> $crate::play::speed::Speed {
                self.speed
            }

            fn set_speed(&mut self, speed: $crate::play::speed::Speed) {
                self.speed = speed;
            }

            fn to_hash(&self) -> String {
                <$settings>::to_hash(self)
            }

            fn from_hash(hash: &str) -> ($settings, Vec<String>) {
                <$settings>::from_hash(hash)
            }

            fn ranked(&self) -> $settings {
                <$settings>::ranked(self)
            }

            fn read_run_field(
                &mut self,
                key: &str,
                value: &str,
                problems: &mut Vec<String>,
            ) -> bool {
                let mut run = $crate::play::link_fields::RunFields {
                    seed: &mut self.seed,
                    agent: &mut self.agent,
                    speed: &mut self.speed,
                };
                run.read(key, value, &$deciders, problems)
            }
        }
    };
}

/// Reads a hash (with or without `#`): settings from their defaults, the fields every link has
/// read here and the others by `own` (a bad value or an unknown key is added to the
/// problems); the problems start with the link's version and environment. `lesson=` is the
/// lesson box's, not the run's (see [`super::lesson_box`]): left alone.
pub fn read_link<S: LinkSettings + Default>(
    hash: &str,
    mut own: impl FnMut(&mut S, &str, String, &mut Vec<String>),
) -> (S, Vec<String>) {
    let mut s = S::default();
    let link = Link::parse(hash);
    let mut problems = link.problems;
    for (key, value) in link.fields {
        // A lesson is the lesson engine's; an arena's fields are the arena panel's
        // (crate::arena::link).
        if key == "lesson" || crate::arena::link::is_arena_field(&key) {
            continue;
        }
        if !s.read_run_field(&key, &value, &mut problems) {
            own(&mut s, &key, value, &mut problems);
        }
    }
    (s, problems)
}

/// Reads a link's `show=` (only `hostile` is known; anything else is a problem): whether it
/// asks for the hostile specimen.
pub fn read_show(value: &str, problems: &mut Vec<String>) -> bool {
    if value == "hostile" {
        return true;
    }
    problems.push(format!("show {value:?}: only \"hostile\" is known"));
    false
}
