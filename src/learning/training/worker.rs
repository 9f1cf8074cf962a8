//! The training worker's side: receives the page's messages, trains in slices, and yields
//! between slices (through a `MessageChannel`, which, unlike `setTimeout(0)`, is not clamped
//! to 4 ms) so a Stop is heard within one slice.

use super::job::TrainingLoop;
use super::protocol::{Addressed, FromWorker, ToWorkerOf};
use super::trainers::Trains;
use gloo_events::EventListener;
use gloo_timers::callback::Timeout;
use std::cell::{Cell, RefCell};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{DedicatedWorkerGlobalScope, MessageChannel, MessageEvent};

thread_local! {
    /// Set by [`run`] with the environments the worker trains.
    static TRAINING: RefCell<TrainingLoop> = RefCell::new(TrainingLoop::new(Vec::new()));
    /// A slice is already scheduled: never run two chains of slices at once.
    static SCHEDULED: Cell<bool> = const { Cell::new(false) };
    static YIELD: RefCell<Option<MessageChannel>> = const { RefCell::new(None) };
}

fn scope() -> DedicatedWorkerGlobalScope {
    js_sys::global().unchecked_into()
}

fn now_ms() -> f64 {
    js_sys::Date::now()
}

/// Posts a reply about `env` (empty: about no environment in particular).
fn post(env: &str, reply: FromWorker) {
    let reply = Addressed::new(env, reply);
    let _ = scope().post_message(&reply.to_js());
}

/// Starts listening, training the environments of `trains`; call once from the worker's
/// `main`.
pub fn run(trains: Vec<Trains>) {
    TRAINING.with(|t| *t.borrow_mut() = TrainingLoop::new(trains));
    let channel = MessageChannel::new().expect("workers have MessageChannel");
    EventListener::new(&channel.port2(), "message", |_| slice()).forget();
    // A port listened to with addEventListener only delivers once started.
    channel.port2().start();
    YIELD.with(|y| *y.borrow_mut() = Some(channel));

    EventListener::new(&scope(), "message", |event| {
        let data = event
            .dyn_ref::<MessageEvent>()
            .map_or(JsValue::UNDEFINED, MessageEvent::data);
        // The level is read as the environment the message names reads it (job.rs).
        let (env, replies, schedule) =
            match Addressed::<ToWorkerOf<serde_json::Value>>::from_js(&data) {
                Ok(Addressed { env, message }) => {
                    let (replies, schedule) =
                        TRAINING.with(|t| t.borrow_mut().handle_for(&env, message, now_ms()));
                    (env, replies, schedule)
                }
                Err(message) => (String::new(), vec![FromWorker::Failed { message }], false),
            };
        replies.into_iter().for_each(|r| post(&env, r));
        if schedule {
            schedule_slice(0.0);
        }
    })
    .forget();
    post("", FromWorker::Ready);
}

fn schedule_slice(delay_ms: f64) {
    if SCHEDULED.with(|s| s.replace(true)) {
        return;
    }
    if delay_ms <= 0.0 {
        YIELD.with(|y| {
            if let Some(channel) = y.borrow().as_ref() {
                let _ = channel.port1().post_message(&JsValue::NULL);
            }
        });
    } else {
        Timeout::new(delay_ms as u32, slice).forget();
    }
}

fn slice() {
    SCHEDULED.with(|s| s.set(false));
    let (env, result) = TRAINING.with(|t| {
        let mut t = t.borrow_mut();
        let result = t.work(&mut now_ms);
        (t.env().unwrap_or_default().to_string(), result)
    });
    result.replies.into_iter().for_each(|r| post(&env, r));
    if let Some(delay) = result.next_in_ms {
        schedule_slice(delay);
    }
}
