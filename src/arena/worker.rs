//! The arena worker's side: plays the arena the page asks for in slices of about
//! [`SLICE_MS`], reports progress after each, and yields between slices (through a
//! `MessageChannel`, as the training worker does) so a Cancel is heard within one slice.

use super::job::{start, ArenaJob, Arenas};
use super::protocol::{from_js, to_js, FromArena, ToArena};
use gloo_events::EventListener;
use std::cell::{Cell, RefCell};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{DedicatedWorkerGlobalScope, MessageChannel, MessageEvent};

/// About how long a slice plays before the worker reports and listens again.
pub const SLICE_MS: f64 = 40.0;

thread_local! {
    static ARENAS: RefCell<Vec<Arenas>> = const { RefCell::new(Vec::new()) };
    static JOB: RefCell<Option<Box<dyn ArenaJob>>> = RefCell::new(None);
    static SCHEDULED: Cell<bool> = const { Cell::new(false) };
    static YIELD: RefCell<Option<MessageChannel>> = const { RefCell::new(None) };
}

fn post(message: FromArena) {
    let scope: DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let _ = scope.post_message(&to_js(&message));
}

/// Starts listening, playing the environments of `arenas`; call once from the worker's `main`.
pub fn run(arenas: Vec<Arenas>) {
    ARENAS.with(|a| *a.borrow_mut() = arenas);
    let channel = MessageChannel::new().expect("workers have MessageChannel");
    EventListener::new(&channel.port2(), "message", |_| slice()).forget();
    channel.port2().start();
    YIELD.with(|y| *y.borrow_mut() = Some(channel));
    let scope: DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    EventListener::new(&scope, "message", |event| {
        let data = event
            .dyn_ref::<MessageEvent>()
            .map_or(JsValue::UNDEFINED, MessageEvent::data);
        match from_js::<ToArena>(&data) {
            Ok(ToArena::Start { request }) => {
                let job = ARENAS.with(|a| start(&a.borrow(), &request));
                match job {
                    Ok(job) => {
                        let (played, total) = job.progress();
                        JOB.with(|j| *j.borrow_mut() = Some(job));
                        post(FromArena::Progress { played, total });
                        schedule();
                    }
                    Err(message) => {
                        JOB.with(|j| *j.borrow_mut() = None);
                        post(FromArena::Failed { message });
                    }
                }
            }
            Ok(ToArena::Cancel) => {
                JOB.with(|j| *j.borrow_mut() = None);
                post(FromArena::Cancelled);
            }
            Err(message) => post(FromArena::Failed { message }),
        }
    })
    .forget();
    post(FromArena::Ready);
}

fn schedule() {
    if SCHEDULED.with(|s| s.replace(true)) {
        return;
    }
    YIELD.with(|y| {
        if let Some(channel) = y.borrow().as_ref() {
            let _ = channel.port1().post_message(&JsValue::NULL);
        }
    });
}

fn slice() {
    SCHEDULED.with(|s| s.set(false));
    let until = js_sys::Date::now() + SLICE_MS;
    let reply = JOB.with(|j| {
        let mut j = j.borrow_mut();
        let job = j.as_mut()?;
        let mut finished = false;
        while !finished && js_sys::Date::now() < until {
            finished = job.run(1);
        }
        let reply = if finished {
            FromArena::Finished {
                result: job.result(),
            }
        } else {
            let (played, total) = job.progress();
            FromArena::Progress { played, total }
        };
        if finished {
            *j = None;
        }
        Some((reply, !finished))
    });
    if let Some((reply, more)) = reply {
        post(reply);
        if more {
            schedule();
        }
    }
}
