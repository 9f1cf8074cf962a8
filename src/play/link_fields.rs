//! The fields every page's link has beside its own: `seed`, `agent` and `speed`.

use super::decider::{Agents, Decider};
use super::speed::Speed;
use crate::shell::choice_select::Choice;

/// Reads link field `field`'s `value` into `slot` if it names one of `choices`; else adds a
/// problem naming the field and the choices, and `slot` keeps its value. Returns whether it
/// was read.
pub fn read_choice<T: Choice>(
    field: &str,
    value: &str,
    choices: &[T],
    slot: &mut T,
    problems: &mut Vec<String>,
) -> bool {
    let Some(choice) = choices.iter().find(|c| c.name() == value) else {
        let names: Vec<&str> = choices.iter().map(|c| c.name()).collect();
        problems.push(format!(
            "{field} {value:?} is not one of {}",
            names.join(", ")
        ));
        return false;
    };
    *slot = *choice;
    true
}

/// A run's fields every link carries.
pub struct RunFields<'a> {
    pub seed: &'a mut u64,
    pub agent: &'a mut Decider,
    pub speed: &'a mut Speed,
}

impl RunFields<'_> {
    /// Reads `key=value` into its field if it is one of them (a bad value is added to
    /// `problems`, naming the field, and the field keeps its default). Returns whether it was.
    pub fn read(
        &mut self,
        key: &str,
        value: &str,
        agents: &'static Agents,
        problems: &mut Vec<String>,
    ) -> bool {
        match key {
            "seed" => match value.parse() {
                Ok(seed) => *self.seed = seed,
                Err(_) => problems.push(format!(
                    "seed {value:?} is not a whole number from 0 to 2^64-1"
                )),
            },
            "agent" => match Decider::parse(value, agents) {
                Some(a) => *self.agent = a,
                None => problems.push(format!(
                    "agent {value:?} is not one of {}",
                    Decider::all(agents)
                        .map(Decider::as_str)
                        .collect::<Vec<_>>()
                        .join(", ")
                )),
            },
            "speed" => match Speed::parse(value) {
                Some(v) => *self.speed = v,
                None => problems.push(format!(
                    "speed {value:?} is not one of slow, normal, fast, max"
                )),
            },
            _ => return false,
        }
        true
    }
}
