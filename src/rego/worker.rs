//! The Rego worker's side: each message from the page is handled at once by the plain-Rust
//! [`Handler`] and answered. A message that runs away (a huge comprehension, deep recursion)
//! never returns: the page stops the whole worker and starts another.

use super::handler::Handler;
use super::protocol::{FromRego, ToRego};
use gloo_events::EventListener;
use std::cell::RefCell;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{DedicatedWorkerGlobalScope, MessageEvent};

thread_local! {
    static HANDLER: RefCell<Handler> = RefCell::new(Handler::default());
}

fn scope() -> DedicatedWorkerGlobalScope {
    js_sys::global().unchecked_into()
}

fn post(reply: &FromRego) {
    let _ = scope().post_message(&reply.to_js());
}

/// Starts listening; call once from the worker's `main`.
pub fn run() {
    EventListener::new(&scope(), "message", |event| {
        let data = event
            .dyn_ref::<MessageEvent>()
            .map_or(JsValue::UNDEFINED, MessageEvent::data);
        let reply = match ToRego::from_js(&data) {
            Ok(message) => HANDLER.with(|h| h.borrow_mut().handle(message)),
            Err(message) => FromRego::Unreadable { message },
        };
        post(&reply);
    })
    .forget();
    post(&FromRego::Ready);
}
