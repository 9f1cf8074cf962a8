//! The agent's actions and their JSON form.

use serde::{Deserialize, Serialize};
use std::fmt;

/// What a ticket asks permission for: the three privileged actions.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Privileged {
    Isolate,
    Restore,
    Patch,
}

impl Privileged {
    /// All three, in a fixed order.
    pub const ALL: [Privileged; 3] = [Privileged::Isolate, Privileged::Restore, Privileged::Patch];

    /// The name used in JSON and text.
    pub fn as_str(self) -> &'static str {
        match self {
            Privileged::Isolate => "isolate",
            Privileged::Restore => "restore",
            Privileged::Patch => "patch",
        }
    }
}

/// One action. JSON: `{"tool": "isolate_node", "node": "payment"}`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(tag = "tool", rename_all = "snake_case", deny_unknown_fields)]
pub enum Action {
    /// Read a node's SIEM logs (investigate).
    QuerySiemLogs { node: String },
    /// Ask for permission to run a privileged action on a node, with a justification.
    FileTicket {
        node: String,
        action: Privileged,
        justification: String,
    },
    /// Ask whether a ticket's review is done.
    CheckApproval { ticket: String },
    /// Cut a node off the network (privileged): its dependents go offline.
    IsolateNode { node: String },
    /// Bring an isolated node back (privileged).
    RestoreNode { node: String },
    /// Patch a node against a CVE in place (privileged): no downtime.
    PatchNode { node: String, cve: String },
    /// Do nothing this step.
    Wait,
}

impl Action {
    /// The tool name, as in JSON.
    pub fn tool(&self) -> &'static str {
        match self {
            Action::QuerySiemLogs { .. } => "query_siem_logs",
            Action::FileTicket { .. } => "file_ticket",
            Action::CheckApproval { .. } => "check_approval",
            Action::IsolateNode { .. } => "isolate_node",
            Action::RestoreNode { .. } => "restore_node",
            Action::PatchNode { .. } => "patch_node",
            Action::Wait => "wait",
        }
    }

    /// The node acted on, if any.
    pub fn node(&self) -> Option<&str> {
        match self {
            Action::QuerySiemLogs { node }
            | Action::FileTicket { node, .. }
            | Action::IsolateNode { node }
            | Action::RestoreNode { node }
            | Action::PatchNode { node, .. } => Some(node),
            Action::CheckApproval { .. } | Action::Wait => None,
        }
    }

    /// The privileged action this is, if it is one.
    pub fn privileged(&self) -> Option<Privileged> {
        match self {
            Action::IsolateNode { .. } => Some(Privileged::Isolate),
            Action::RestoreNode { .. } => Some(Privileged::Restore),
            Action::PatchNode { .. } => Some(Privileged::Patch),
            _ => None,
        }
    }

    /// Parses an action from JSON, with an error naming what is wrong.
    pub fn from_json(text: &str) -> Result<Action, String> {
        serde_json::from_str(text).map_err(|e| format!("action: {e}"))
    }
}

impl fmt::Display for Action {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Action::QuerySiemLogs { node } => write!(f, "query_siem_logs({node})"),
            Action::FileTicket { node, action, .. } => {
                write!(f, "file_ticket({node}, {})", action.as_str())
            }
            Action::CheckApproval { ticket } => write!(f, "check_approval({ticket})"),
            Action::IsolateNode { node } => write!(f, "isolate_node({node})"),
            Action::RestoreNode { node } => write!(f, "restore_node({node})"),
            Action::PatchNode { node, cve } => write!(f, "patch_node({node}, {cve})"),
            Action::Wait => write!(f, "wait"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_round_trip_and_errors() {
        let a = Action::FileTicket {
            node: "payment".into(),
            action: Privileged::Isolate,
            justification: "x".into(),
        };
        let json = serde_json::to_string(&a).unwrap();
        assert_eq!(
            json,
            r#"{"tool":"file_ticket","node":"payment","action":"isolate","justification":"x"}"#
        );
        assert_eq!(Action::from_json(&json).unwrap(), a);
        assert_eq!(
            Action::from_json(r#"{"tool":"wait"}"#).unwrap(),
            Action::Wait
        );
        let e = Action::from_json(r#"{"tool":"reboot"}"#).unwrap_err();
        assert!(e.contains("unknown variant `reboot`"), "{e}");
        let e = Action::from_json(r#"{"tool":"isolate_node"}"#).unwrap_err();
        assert!(e.contains("missing field `node`"), "{e}");
    }
}
