//! The messages between the page and the training worker. Each travels addressed to an
//! environment ([`Addressed`]), as JSON text: measured against structured values
//! (serde-wasm-bindgen, `tests/message_codec_web.rs`), JSON carries the progress message a run
//! sends every slice about 2.5 times faster, which outweighs structured values' edge on the
//! one message with the policy (see the README's benchmarks).

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use wasm_bindgen::JsValue;
use ztgym::core::learn::TrainConfig;
use ztgym::learn::{ChunkReport, TrainingMetrics};
use ztgym::Level;

/// How fast the worker trains.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Pace {
    /// As fast as the worker can.
    Full,
    /// The first curve points one at a time, spread over about two seconds so the curves can
    /// be seen forming, then as fast as the worker can. Only the reporting is paced: the
    /// episodes trained, and so the policy, are the same as at full pace.
    SlowStart,
    /// Slowed to about this many episodes per second, to watch the curves form.
    Watch(u32),
}

/// From the page to the worker, for an environment whose level type is `L` (the adapter's
/// `Level`: the SRE gym's level, a triage task). The worker reads `L` as any JSON value and
/// hands it to the environment the message is addressed to.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ToWorkerOf<L> {
    /// Forget any run and train a new policy on the built-in scenario (or task) named.
    Start {
        scenario: String,
        config: TrainConfig<L>,
        pace: Pace,
    },
    /// Pause after the current slice of work and send the policy so far.
    Stop,
    /// Go on after a stop; `more` episodes are added to the total first (to train on after
    /// finishing).
    Resume { more: u64 },
    /// Change the pace of the run.
    SetPace { pace: Pace },
}

/// The SRE gym's messages, by the name they had before every environment trained.
pub type ToWorker = ToWorkerOf<Level>;

/// From the worker to the page (the same for every environment).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum FromWorker {
    /// The worker has loaded and takes messages.
    Ready,
    /// Training went on: one curve point per fixed number of episodes.
    Progress {
        points: Vec<ChunkReport>,
        /// Averages over the last training episodes.
        metrics: TrainingMetrics,
        /// Training speed since the last start or resume, in wall time.
        episodes_per_second: f64,
    },
    /// Training stopped (asked to, or every episode trained): the policy so far, as a policy
    /// file's text.
    Paused { finished: bool, policy: String },
    /// A message could not be carried out; the worker keeps running.
    Failed { message: String },
}

impl<L: Serialize + DeserializeOwned> ToWorkerOf<L> {
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("messages always serialize")
    }

    pub fn from_json(text: &str) -> Result<ToWorkerOf<L>, String> {
        serde_json::from_str(text).map_err(|e| format!("training worker: bad message: {e}"))
    }
}

impl FromWorker {
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("messages always serialize")
    }

    pub fn from_json(text: &str) -> Result<FromWorker, String> {
        serde_json::from_str(text).map_err(|e| format!("training worker: bad reply: {e}"))
    }
}

/// A message with the id of the environment it is about (`sre`, `triage`): the page's Train panel of each
/// environment sends its messages so, and the worker answers so. An empty `env` is about no
/// environment in particular: the worker's `Ready`, its answer to a message it could not read.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Addressed<M> {
    pub env: String,
    pub message: M,
}

impl<M: Serialize + DeserializeOwned> Addressed<M> {
    pub fn new(env: &str, message: M) -> Addressed<M> {
        Addressed {
            env: env.to_string(),
            message,
        }
    }

    /// The value posted to the other side (`postMessage`).
    pub fn to_js(&self) -> JsValue {
        JsValue::from_str(&serde_json::to_string(self).expect("messages always serialize"))
    }

    /// A value the other side posted.
    pub fn from_js(value: &JsValue) -> Result<Addressed<M>, String> {
        let text = value.as_string().unwrap_or_default();
        serde_json::from_str(&text).map_err(|e| format!("training worker: unreadable message: {e}"))
    }
}
