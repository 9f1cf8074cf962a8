//! The page's handle on the arena worker: the arena's status and table as signals, and the
//! messages both ways. The worker is started on the first Rank, so a visit that never ranks
//! never downloads it.

use super::job::ArenaRequest;
use super::protocol::{from_js, FromArena, ToArena};
use super::ranking::Ranking;
use gloo_events::{EventListener, EventListenerOptions};
use gloo_timers::callback::Timeout;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{ErrorEvent, MessageEvent, Worker};

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

/// The worker and its listeners (removed with it).
struct WorkerHandle {
    worker: Worker,
    ready: bool,
    _on_message: EventListener,
    _on_error: EventListener,
}

impl Drop for WorkerHandle {
    fn drop(&mut self) {
        self.worker.terminate();
    }
}

/// The arena panel's run. All fields are cheap handles.
#[derive(Clone, Copy)]
pub struct ArenaClient {
    worker: StoredValue<Option<WorkerHandle>, LocalStorage>,
    /// A Start waiting for the worker to load, as the JSON text posted.
    pending: StoredValue<Option<String>>,
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
            worker: StoredValue::new_local(None),
            pending: StoredValue::new(None),
            status: RwSignal::new(Status::Idle),
            ranking: RwSignal::new(None),
        };
        // The page's worker goes with the page (a tab switch drops the panel).
        on_cleanup(move || client.worker.update_value(|w| drop(w.take())));
        client
    }

    /// Plays `request` (a previous arena is forgotten).
    pub fn rank(&self, request: ArenaRequest) {
        let text =
            serde_json::to_string(&ToArena::Start { request }).expect("messages always serialize");
        self.ranking.set(None);
        if self.post(&text) {
            self.status.set(Status::Running(0, 0));
            return;
        }
        self.pending.set_value(Some(text));
        if self.worker.with_value(Option::is_none) {
            match self.spawn() {
                Ok(handle) => self.worker.set_value(Some(handle)),
                Err(e) => {
                    self.pending.set_value(None);
                    self.status.set(Status::Failed(e));
                    return;
                }
            }
        }
        self.status.set(Status::Loading);
    }

    /// Stops the arena under way; its progress is forgotten.
    pub fn cancel(&self) {
        self.pending.set_value(None);
        let text = serde_json::to_string(&ToArena::Cancel).expect("messages always serialize");
        self.post(&text);
        self.status.set(Status::Cancelled);
    }

    /// Posts to a worker that has loaded; `false` when there is none yet.
    fn post(&self, text: &str) -> bool {
        self.worker.with_value(|w| match w {
            Some(w) if w.ready => w
                .worker
                .post_message(&wasm_bindgen::JsValue::from_str(text))
                .is_ok(),
            _ => false,
        })
    }

    fn spawn(&self) -> Result<WorkerHandle, String> {
        let worker = Worker::new(WORKER_URL)
            .map_err(|e| format!("the arena worker could not start: {e:?}"))?;
        let this = *self;
        let on_message = EventListener::new(&worker, "message", move |event| {
            if let Some(event) = event.dyn_ref::<MessageEvent>() {
                match from_js::<FromArena>(&event.data()) {
                    Ok(reply) => this.receive(reply),
                    Err(e) => this.status.set(Status::Failed(e)),
                }
            }
        });
        let options = EventListenerOptions::enable_prevent_default();
        let on_error = EventListener::new_with_options(&worker, "error", options, move |event| {
            event.prevent_default();
            let message = event
                .dyn_ref::<ErrorEvent>()
                .map(ErrorEvent::message)
                .filter(|m| !m.is_empty())
                .unwrap_or_else(|| format!("could not load {WORKER_URL}"));
            // Dropped in a task of its own, not from inside this callback, which it owns.
            let mut crashed = None;
            this.worker.update_value(|w| crashed = w.take());
            Timeout::new(0, move || drop(crashed)).forget();
            this.pending.set_value(None);
            this.status.set(Status::Failed(format!(
                "the arena worker stopped: {message}"
            )));
        });
        Ok(WorkerHandle {
            worker,
            ready: false,
            _on_message: on_message,
            _on_error: on_error,
        })
    }

    fn receive(&self, reply: FromArena) {
        match reply {
            FromArena::Ready => {
                self.worker.update_value(|w| {
                    if let Some(w) = w {
                        w.ready = true;
                    }
                });
                if let Some(text) = self.pending.get_value() {
                    self.pending.set_value(None);
                    if self.post(&text) {
                        self.status.set(Status::Running(0, 0));
                    }
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
