//! The page's handle on the Rego worker: one request at a time, the newest of each kind kept
//! while one runs, and a time limit. A request unanswered after [`TIME_LIMIT_MS`] means a
//! runaway policy: the worker is terminated and a new one started, and the request's answer is
//! that message. A worker that crashes (a stack overflow, or out of memory: its wasm memory
//! stops at [`WORKER_MEMORY_MIB`], see build.rs) is replaced the same way. The page's thread
//! never runs the interpreter, so it never freezes.
//!
//! The worker is started on the first request, so a visit that never opens a Rego panel never
//! downloads it.

use super::protocol::{FromRego, Problem, ToRego};
use crate::shell::worker::{drop_later, WorkerHandle};
use gloo_timers::callback::Timeout;
use leptos::prelude::*;
use std::collections::VecDeque;

/// The worker's loader script, made by trunk next to index.html (index.html, `data-bin`).
pub const WORKER_URL: &str = "./ztgym-rego-worker_loader.js";

/// How long a request may run before the worker is stopped.
pub const TIME_LIMIT_MS: u32 = 3000;

/// The ceiling of the worker's wasm memory (set at link time by build.rs).
pub const WORKER_MEMORY_MIB: u32 = 256;

/// What a request was about; a newer request of the same kind replaces one still waiting.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Tests,
    Decide,
    /// A text about to be applied, evaluated once first: one that runs away or crashes the
    /// worker is never put in force (the page's own evaluator has no time limit on memory).
    Check,
    /// A query (the workbench's Evaluate).
    Eval,
}

/// The answer to a request: the worker's reply, or why there is none.
pub type Answer = Result<FromRego, Problem>;

/// The message shown when the time limit stops a request.
pub fn runaway_message() -> String {
    format!(
        "stopped after {} s: the policy ran too long (a runaway rule?)",
        TIME_LIMIT_MS / 1000
    )
}

struct Job {
    kind: Kind,
    message: ToRego,
    done: Box<dyn FnOnce(Answer)>,
}

struct Running {
    job: Job,
    _timer: Timeout,
}

#[derive(Default)]
struct Inner {
    worker: Option<WorkerHandle>,
    next_id: u64,
    waiting: VecDeque<Job>,
    running: Option<Running>,
}

/// A cheap handle; provide one per page (or per panel).
#[derive(Clone, Copy)]
pub struct RegoClient {
    inner: StoredValue<Inner, LocalStorage>,
    /// Workers started so far (the page shows nothing of it; tests may).
    pub started: RwSignal<u32>,
}

impl Default for RegoClient {
    fn default() -> Self {
        RegoClient::new()
    }
}

impl RegoClient {
    pub fn new() -> RegoClient {
        RegoClient {
            inner: StoredValue::new_local(Inner::default()),
            started: RwSignal::new(0),
        }
    }

    /// Sends a request built from its id; `done` gets the answer (not called if a newer
    /// request of the same kind replaces this one before it runs).
    pub fn request(
        &self,
        kind: Kind,
        build: impl FnOnce(u64) -> ToRego,
        done: impl FnOnce(Answer) + 'static,
    ) {
        self.inner.update_value(|inner| {
            inner.next_id += 1;
            let message = build(inner.next_id);
            inner.waiting.retain(|j| j.kind != kind);
            inner.waiting.push_back(Job {
                kind,
                message,
                done: Box::new(done),
            });
        });
        self.pump();
    }

    /// Starts the next request if the worker is free, starting the worker if needed.
    fn pump(&self) {
        let mut failed = None;
        self.inner.update_value(|inner| {
            if inner.running.is_some() || inner.waiting.is_empty() {
                return;
            }
            let Some(handle) = inner.worker.as_ref() else {
                match self.spawn() {
                    Ok(h) => inner.worker = Some(h),
                    Err(e) => failed = Some((std::mem::take(&mut inner.waiting), e)),
                }
                return;
            };
            if !handle.ready() {
                return;
            }
            let job = inner.waiting.pop_front().expect("checked not empty");
            handle.post(&job.message.to_js());
            let id = job.message.id();
            let this = *self;
            let timer = Timeout::new(TIME_LIMIT_MS, move || this.time_out(id));
            inner.running = Some(Running { job, _timer: timer });
        });
        if let Some((jobs, e)) = failed {
            for job in jobs {
                (job.done)(Err(Problem::plain("worker", e.clone())));
            }
        }
    }

    fn spawn(&self) -> Result<WorkerHandle, String> {
        let this = *self;
        let handle = WorkerHandle::start(
            WORKER_URL,
            "Rego",
            move |data| this.receive(FromRego::from_js(&data)),
            move |message| this.crashed(message),
        )?;
        self.started.update(|n| *n += 1);
        Ok(handle)
    }

    fn receive(&self, reply: Result<FromRego, String>) {
        let id = match &reply {
            Ok(FromRego::Ready) => {
                self.inner.update_value(|inner| {
                    if let Some(h) = inner.worker.as_mut() {
                        h.set_ready();
                    }
                });
                self.pump();
                return;
            }
            Ok(FromRego::Tests { id, .. })
            | Ok(FromRego::Decision { id, .. })
            | Ok(FromRego::Output { id, .. })
            | Ok(FromRego::Failed { id, .. }) => Some(*id),
            Ok(FromRego::Unreadable { .. }) | Err(_) => None,
        };
        let running = self
            .inner
            .try_update_value(|inner| {
                let matches = inner
                    .running
                    .as_ref()
                    .is_some_and(|r| id.is_none_or(|id| r.job.message.id() == id));
                if matches {
                    inner.running.take()
                } else {
                    None
                }
            })
            .flatten();
        if let Some(r) = running {
            let answer = match reply {
                Ok(FromRego::Unreadable { message }) => Err(Problem::plain("worker", message)),
                Ok(reply) => Ok(reply),
                Err(message) => Err(Problem::plain("worker", message)),
            };
            (r.job.done)(answer);
        }
        self.pump();
    }

    fn time_out(&self, id: u64) {
        let stopped = self
            .inner
            .try_update_value(|inner| {
                if inner.running.as_ref().map(|r| r.job.message.id()) != Some(id) {
                    return None;
                }
                let running = inner.running.take();
                // Dropping the handle terminates the worker.
                inner.worker = None;
                running
            })
            .flatten();
        if let Some(r) = stopped {
            (r.job.done)(Err(Problem::plain("runaway", runaway_message())));
            self.restart();
        }
    }

    /// The worker failed (a crash, or it could not load): the request it ran fails with the
    /// message; if it had not loaded yet, every waiting request fails too.
    fn crashed(&self, message: String) {
        let mut dead = None;
        let mut jobs = Vec::new();
        let mut never_loaded = false;
        self.inner.update_value(|inner| {
            never_loaded = inner.worker.as_ref().is_some_and(|h| !h.ready());
            dead = inner.worker.take();
            if let Some(r) = inner.running.take() {
                jobs.push(r.job);
            }
            if never_loaded {
                jobs.extend(inner.waiting.drain(..));
            }
        });
        drop_later(dead);
        let text = if never_loaded {
            format!(
                "the Rego worker could not load ({WORKER_URL}): {}",
                if message.is_empty() {
                    "no reason given"
                } else {
                    &message
                }
            )
        } else {
            format!(
                "the policy crashed the Rego worker ({}): it ran out of memory (the worker has \
                 {WORKER_MEMORY_MIB} MiB) or of stack; a new one is started",
                if message.is_empty() {
                    "no reason given"
                } else {
                    &message
                }
            )
        };
        for job in jobs {
            (job.done)(Err(Problem::plain("crash", text.clone())));
        }
        if !never_loaded {
            self.restart();
        }
    }

    /// A new worker, started at once so the next request does not wait for it to load.
    fn restart(&self) {
        let started = self.spawn();
        self.inner.update_value(|inner| {
            if inner.worker.is_none() {
                inner.worker = started.ok();
            }
        });
        self.pump();
    }
}
