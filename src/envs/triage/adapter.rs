//! Message triage's learners as the learning panels and the training worker reach them: its
//! adapter ([`Triage`]) finds a task by name, and the worker trains it on one.

use super::id::ENV;
use crate::learning::adapters::PageAdapter;
use crate::learning::training::trainers::{start_on, Trains};
use ztgym::triage::{TaskId, Triage};

/// Message triage: its tasks, by id or by the seed's name (`L1`, `basic_security`).
impl PageAdapter for Triage {
    const ENV: &'static str = ENV;

    fn builtin(name: &str) -> Result<TaskId, String> {
        TaskId::parse(name)
    }
}

/// How the training worker trains message triage.
pub const TRAINS: Trains = Trains {
    env: ENV,
    start: start_on::<Triage>,
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tasks_are_found_by_name_and_unknown_ones_named() {
        assert_eq!(Triage::builtin("basic_security"), Ok(TaskId::L1));
        let e = Triage::builtin("classic").unwrap_err();
        assert!(e.contains("classic") && e.contains("L1"), "{e}");
    }
}
