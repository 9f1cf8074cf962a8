//! The messages between the page and the arena worker, as JSON text (as the training worker's).

use super::job::ArenaRequest;
use super::ranking::ArenaResult;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use wasm_bindgen::JsValue;

/// From the page to the worker.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ToArena {
    /// Forget any arena and play this one.
    Start { request: ArenaRequest },
    /// Stop the arena being played.
    Cancel,
}

/// From the worker to the page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum FromArena {
    /// The worker has loaded and takes messages.
    Ready,
    /// Episodes played so far, and in all.
    Progress { played: usize, total: usize },
    /// Every episode played: their figures, for the page to rank.
    Finished { result: ArenaResult },
    /// The arena was stopped as asked.
    Cancelled,
    /// The arena could not be played (a message says why); the worker keeps running.
    Failed { message: String },
}

/// The value posted for `message`.
pub fn to_js(message: &impl Serialize) -> JsValue {
    JsValue::from_str(&serde_json::to_string(message).expect("messages always serialize"))
}

/// A message the other side posted.
pub fn from_js<M: DeserializeOwned>(value: &JsValue) -> Result<M, String> {
    let text = value.as_string().unwrap_or_default();
    serde_json::from_str(&text).map_err(|e| format!("arena worker: unreadable message: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::arena::job::AgentSpec;

    #[test]
    fn messages_read_back_as_written() {
        let start = ToArena::Start {
            request: ArenaRequest {
                env: "triage".into(),
                scenario: "L1".into(),
                agents: vec![
                    AgentSpec::Builtin {
                        name: "random".into(),
                    },
                    AgentSpec::Policy {
                        label: "p.json".into(),
                        text: "{}".into(),
                    },
                ],
                seeds: vec![0, 1],
            },
        };
        let text = serde_json::to_string(&start).unwrap();
        assert_eq!(serde_json::from_str::<ToArena>(&text).unwrap(), start);
        let progress = FromArena::Progress {
            played: 3,
            total: 9,
        };
        let text = serde_json::to_string(&progress).unwrap();
        assert_eq!(text, r#"{"type":"progress","played":3,"total":9}"#);
    }
}
