//! The settings a page's link carries, as the state handle reads and writes them: the fields
//! every link has (seed, agent, speed), the rest each environment's own.

use super::speed::Speed;

/// The settings a page's link carries.
pub trait LinkSettings: Clone + PartialEq + 'static {
    /// The agents that can play, for the hint when a person asks for play without one, e.g.
    /// `Random, SOP operator or a loaded policy`.
    const AGENTS: &'static str;

    fn speed(&self) -> Speed;
    fn set_speed(&mut self, speed: Speed);
    /// The link, without `#`.
    fn to_hash(&self) -> String;
    /// Reads a link's fields, each problem named and its default used instead.
    fn from_hash(hash: &str) -> (Self, Vec<String>);
    /// Reads `key=value` if it is one of the fields every link has (`seed`, `agent`,
    /// `speed`; a bad value is added to `problems`). Returns whether it was.
    fn read_run_field(&mut self, key: &str, value: &str, problems: &mut Vec<String>) -> bool;
}

/// Implements [`LinkSettings`] for a settings type with fields `seed`, `agent` and `speed` and
/// inherent `to_hash` and `from_hash`; `$agents` is the hint naming the agents that can play,
/// `$deciders` the [`crate::play::decider::Agents`] of its Agent select.
#[macro_export]
macro_rules! link_settings {
    ($settings:ty, $agents:expr, $deciders:expr) => {
        impl $crate::play::link_settings::LinkSettings for $settings {
            const AGENTS: &'static str = $agents;

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
