//! The training worker's side: receives the page's messages, trains in slices, and yields
//! between slices (through a `MessageChannel`, which, unlike `setTimeout(0)`, is not clamped
//! to 4 ms) so a Stop is heard within one slice.

use super::job::TrainingLoop;
use super::protocol::{FromWorker, ToWorker};
use std::cell::{Cell, RefCell};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{DedicatedWorkerGlobalScope, MessageChannel, MessageEvent};

thread_local! {
    static TRAINING: RefCell<TrainingLoop> = RefCell::new(TrainingLoop::default());
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

fn post(reply: &FromWorker) {
    let _ = scope().post_message(&JsValue::from_str(&reply.to_json()));
}

/// Starts listening; call once from the worker's `main`.
pub fn run() {
    let channel = MessageChannel::new().expect("workers have MessageChannel");
    let on_yield = Closure::<dyn FnMut(MessageEvent)>::new(|_: MessageEvent| slice());
    channel
        .port2()
        .set_onmessage(Some(on_yield.as_ref().unchecked_ref()));
    on_yield.forget();
    YIELD.with(|y| *y.borrow_mut() = Some(channel));

    let on_message = Closure::<dyn FnMut(MessageEvent)>::new(|event: MessageEvent| {
        let text = event.data().as_string().unwrap_or_default();
        let (replies, schedule) = match ToWorker::from_json(&text) {
            Ok(message) => TRAINING.with(|t| t.borrow_mut().handle(message, now_ms())),
            Err(message) => (vec![FromWorker::Failed { message }], false),
        };
        replies.iter().for_each(post);
        if schedule {
            schedule_slice(0.0);
        }
    });
    scope().set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    on_message.forget();
    post(&FromWorker::Ready);
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
        let callback = Closure::once_into_js(slice);
        let _ = scope().set_timeout_with_callback_and_timeout_and_arguments_0(
            callback.unchecked_ref(),
            delay_ms as i32,
        );
    }
}

fn slice() {
    SCHEDULED.with(|s| s.set(false));
    let result = TRAINING.with(|t| t.borrow_mut().work(&mut now_ms));
    result.replies.iter().for_each(post);
    if let Some(delay) = result.next_in_ms {
        schedule_slice(delay);
    }
}
