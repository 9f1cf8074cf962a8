//! A Web Worker the page starts on first use, for each of its clients (training, the arena,
//! Rego): the loader script started, its messages and its crash handed to the client, messages
//! posted once it has said it is ready, and the worker terminated with its handle.

use gloo_events::{EventListener, EventListenerOptions};
use gloo_timers::callback::Timeout;
use leptos::prelude::*;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{ErrorEvent, MessageEvent, Worker};

/// A started worker and its listeners (removed with it). Dropping it terminates the worker.
pub struct WorkerHandle {
    worker: Worker,
    /// The worker has said it takes messages.
    ready: bool,
    _on_message: EventListener,
    _on_error: EventListener,
}

impl WorkerHandle {
    /// Starts the worker whose loader script is `url` (`name` says which, if it cannot start):
    /// `on_message` gets each message's data; `on_crash` what the browser said when the worker
    /// crashed or could not load (it may say nothing: empty).
    pub fn start(
        url: &str,
        name: &str,
        on_message: impl Fn(JsValue) + 'static,
        on_crash: impl Fn(String) + 'static,
    ) -> Result<WorkerHandle, String> {
        let worker =
            Worker::new(url).map_err(|e| format!("the {name} worker could not start: {e:?}"))?;
        let on_message = EventListener::new(&worker, "message", move |event| {
            if let Some(event) = event.dyn_ref::<MessageEvent>() {
                on_message(event.data());
            }
        });
        // Not passive: the error is handled here, so the browser does not report it again.
        let options = EventListenerOptions::enable_prevent_default();
        let on_error = EventListener::new_with_options(&worker, "error", options, move |event| {
            event.prevent_default();
            let message = event.dyn_ref::<ErrorEvent>().map(ErrorEvent::message);
            on_crash(message.unwrap_or_default());
        });
        Ok(WorkerHandle {
            worker,
            ready: false,
            _on_message: on_message,
            _on_error: on_error,
        })
    }

    /// Whether the worker has said it takes messages.
    pub fn ready(&self) -> bool {
        self.ready
    }

    /// The worker has said it takes messages.
    pub fn set_ready(&mut self) {
        self.ready = true;
    }

    /// Posts `message` if the worker is ready. Returns whether it was posted.
    pub fn post(&self, message: &JsValue) -> bool {
        self.ready && self.worker.post_message(message).is_ok()
    }
}

impl Drop for WorkerHandle {
    fn drop(&mut self) {
        self.worker.terminate();
    }
}

/// Drops a crashed worker's handle in a task of its own: not from inside its error listener,
/// which the handle owns.
pub fn drop_later(handle: Option<WorkerHandle>) {
    Timeout::new(0, move || drop(handle)).forget();
}

/// What the browser said of a crash, or that the loader script did not load when it said
/// nothing.
pub fn crash_reason(message: String, url: &str) -> String {
    if message.is_empty() {
        format!("could not load {url}")
    } else {
        message
    }
}

/// A worker started by the first message that needs it, that message kept until the worker
/// says it is ready. A cheap handle; the worker goes with the owner that made it.
#[derive(Clone, Copy)]
pub struct LazyWorker {
    handle: StoredValue<Option<WorkerHandle>, LocalStorage>,
    /// A message waiting for the worker to load, as the JSON text to post.
    pending: StoredValue<Option<String>>,
}

impl Default for LazyWorker {
    fn default() -> Self {
        LazyWorker {
            handle: StoredValue::new_local(None),
            pending: StoredValue::new(None),
        }
    }
}

impl LazyWorker {
    /// Whether a worker has been started (and not crashed since).
    pub fn started(&self) -> bool {
        self.handle.with_value(Option::is_some)
    }

    /// Posts `text` to a worker that is ready. Returns whether it was posted.
    pub fn post(&self, text: &str) -> bool {
        let message = JsValue::from_str(text);
        self.handle
            .with_value(|w| w.as_ref().is_some_and(|w| w.post(&message)))
    }

    /// Keeps `text` for the worker once it is ready (replacing a message kept before),
    /// starting one by `start` if there is none; the error says why it could not start.
    pub fn post_when_ready(
        &self,
        text: String,
        start: impl FnOnce() -> Result<WorkerHandle, String>,
    ) -> Result<(), String> {
        self.pending.set_value(Some(text));
        if !self.started() {
            match start() {
                Ok(handle) => self.handle.set_value(Some(handle)),
                Err(e) => {
                    self.pending.set_value(None);
                    return Err(e);
                }
            }
        }
        Ok(())
    }

    /// The worker said it is ready: the message kept, if any, is posted. Returns whether one
    /// was.
    pub fn ready(&self) -> bool {
        self.handle.update_value(|w| {
            if let Some(w) = w {
                w.set_ready();
            }
        });
        match self.pending.try_update_value(Option::take).flatten() {
            Some(text) => self.post(&text),
            None => false,
        }
    }

    /// Forgets the message kept for the worker. Returns whether there was one.
    pub fn forget_pending(&self) -> bool {
        self.pending
            .try_update_value(Option::take)
            .flatten()
            .is_some()
    }

    /// The worker crashed or could not load: it is dropped, with the message kept for it;
    /// the next message starts a fresh one.
    pub fn crashed(&self) {
        let mut crashed = None;
        self.handle.update_value(|w| crashed = w.take());
        drop_later(crashed);
        self.pending.set_value(None);
    }

    /// Stops the worker now (a page that goes takes its worker with it).
    pub fn stop(&self) {
        self.handle.update_value(|w| drop(w.take()));
    }
}
