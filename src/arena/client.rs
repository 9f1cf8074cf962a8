//! The page's handle on the arena worker: the arena's status and table as signals, and the
//! messages both ways. The worker is started on the first Rank, so a visit that never ranks
//! never downloads it.

use super::job::ArenaRequest;
use super::protocol::{from_js, FromArena, ToArena};
use super::ranking::Ranking;
use crate::shell::worker::{crash_reason, LazyWorker, WorkerHandle};
use leptos::prelude::*;
use wasm_bindgen::JsValue;

/// The worker's loader script, made by trunk next to index.html (index.html, `data-bin`).
pub const WORKER_URL: &str = "./ztgym-arena-worker_loader.js";

/// Where an arena is.
#[derive(Clone, Debug, PartialEq)]
pub enum Status {
    Idle,
    /// Waiting for the worker to load.
    Loading,
    /// Episodes played, and in all.
    Running(usize, usize),
    Finished,
    Cancelled,
    Failed(String),
}

impl Status {
    /// Whether an arena is under way (Rank is then Cancel).
    pub fn busy(&self) -> bool {
        matches!(self, Status::Loading | Status::Running(..))
    }
}

/// The arena panel's run. All fields are cheap handles.
#[derive(Clone, Copy)]
pub struct ArenaClient {
    worker: LazyWorker,
    pub status: RwSignal<Status>,
    pub ranking: RwSignal<Option<Ranking>>,
}

impl Default for ArenaClient {
    fn default() -> Self {
        ArenaClient::new()
    }
}

impl ArenaClient {
    pub fn new() -> ArenaClient {
        let client = ArenaClient {
            worker: LazyWorker::default(),
            status: RwSignal::new(Status::Idle),
            ranking: RwSignal::new(None),
        };
        // The page's worker goes with the page (a tab switch drops the panel).
        on_cleanup(move || client.worker.stop());
        client
    }

    /// Plays `request` (a previous arena is forgotten).
    pub fn rank(&self, request: ArenaRequest) {
        let text =
            serde_json::to_string(&ToArena::Start { request }).expect("messages always serialize");
        self.ranking.set(None);
        if self.worker.post(&text) {
            self.status.set(Status::Running(0, 0));
            return;
        }
        match self.worker.post_when_ready(text, || self.spawn()) {
            Ok(()) => self.status.set(Status::Loading),
            Err(e) => self.status.set(Status::Failed(e)),
        }
    }

    /// Stops the arena under way; its progress is forgotten.
    pub fn cancel(&self) {
        self.worker.forget_pending();
        let text = serde_json::to_string(&ToArena::Cancel).expect("messages always serialize");
        self.worker.post(&text);
        self.status.set(Status::Cancelled);
    }

    fn spawn(&self) -> Result<WorkerHandle, String> {
        let this = *self;
        let on_message = move |data: JsValue| match from_js::<FromArena>(&data) {
            Ok(reply) => this.receive(reply),
            Err(e) => this.status.set(Status::Failed(e)),
        };
        let on_crash = move |message: String| {
            this.worker.crashed();
            let reason = crash_reason(message, WORKER_URL);
            this.status.set(Status::Failed(format!(
                "the arena worker stopped: {reason}"
            )));
        };
        WorkerHandle::start(WORKER_URL, "arena", on_message, on_crash)
    }

    fn receive(&self, reply: FromArena) {
        match reply {
            FromArena::Ready => {
                if self.worker.ready() {
                    self.status.set(Status::Running(0, 0));
                }
            }
            // After a Cancel, what the worker sent before hearing it is dropped.
            FromArena::Progress { played, total } => {
                if self.status.get_untracked().busy() {
                    self.status.set(Status::Running(played, total));
                }
            }
            FromArena::Finished { result } => {
                if self.status.get_untracked().busy() {
                    self.ranking.set(Some(result.ranking()));
                    self.status.set(Status::Finished);
                }
            }
            FromArena::Cancelled => {}
            FromArena::Failed { message } => self.status.set(Status::Failed(message)),
        }
    }
}
