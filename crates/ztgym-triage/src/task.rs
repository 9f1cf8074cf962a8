//! The three tasks by id, for reset options, the learners and the command line.

use serde::{Deserialize, Serialize};

/// A task: L1 `basic_security`, L2 `trust_management`, L3 `adversarial_drift`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum TaskId {
    L1,
    L2,
    L3,
}

impl TaskId {
    pub const ALL: [TaskId; 3] = [TaskId::L1, TaskId::L2, TaskId::L3];

    /// `L1`, `L2`, `L3`.
    pub fn as_str(self) -> &'static str {
        match self {
            TaskId::L1 => "L1",
            TaskId::L2 => "L2",
            TaskId::L3 => "L3",
        }
    }

    /// The seed's task name.
    pub fn name(self) -> &'static str {
        match self {
            TaskId::L1 => "basic_security",
            TaskId::L2 => "trust_management",
            TaskId::L3 => "adversarial_drift",
        }
    }

    /// A task by id (`L2`, `l2`) or seed name (`trust_management`).
    pub fn parse(key: &str) -> Result<TaskId, String> {
        TaskId::ALL
            .into_iter()
            .find(|t| t.as_str().eq_ignore_ascii_case(key) || t.name() == key)
            .ok_or_else(|| {
                format!(
                    "task: unknown task {key:?} (known: L1 basic_security, L2 trust_management, \
                     L3 adversarial_drift)"
                )
            })
    }
}

impl ztgym_core::learn::Variant for TaskId {
    const ALL: &'static [TaskId] = &TaskId::ALL;

    fn as_str(self) -> &'static str {
        TaskId::as_str(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tasks_parse_by_id_and_seed_name_and_match_the_rules() {
        for t in TaskId::ALL {
            assert_eq!(TaskId::parse(t.as_str()), Ok(t));
            assert_eq!(TaskId::parse(t.name()), Ok(t));
            assert_eq!(
                crate::rules::Rules::builtin()
                    .task(t.as_str())
                    .unwrap()
                    .name,
                t.name()
            );
        }
        assert!(TaskId::parse("L4")
            .unwrap_err()
            .contains("adversarial_drift"));
    }
}
