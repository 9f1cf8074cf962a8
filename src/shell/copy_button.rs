//! A Copy button for a text (the share link, a lesson's link): writes it to the clipboard and
//! says so on the button for a moment, or says why it could not.

use gloo_timers::callback::Timeout;
use leptos::prelude::*;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsValue;

/// How long the button says "Copied" before it reads "Copy" again.
const SAID_MS: u32 = 2000;

/// What the button says.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Said {
    Copy,
    Copied,
    Failed,
}

/// A button that copies `text` (read when clicked). `label` names what is copied, for screen
/// readers: "Copy the share link".
#[component]
pub fn CopyButton(
    #[prop(into)] text: Signal<String>,
    label: &'static str,
    #[prop(optional)] test_id: &'static str,
) -> impl IntoView {
    let said = RwSignal::new(Said::Copy);
    let done = move |outcome: Said| {
        if said.is_disposed() {
            return;
        }
        said.set(outcome);
        Timeout::new(SAID_MS, move || {
            if !said.is_disposed() {
                said.set(Said::Copy);
            }
        })
        .forget();
    };
    // The clipboard's answer, made once and kept with the button (a promise may answer after
    // the button is gone: then they do nothing).
    type Answer = Closure<dyn FnMut(JsValue)>;
    let answers: StoredValue<(Answer, Answer), LocalStorage> = StoredValue::new_local((
        Closure::new(move |_: JsValue| done(Said::Copied)),
        Closure::new(move |_: JsValue| done(Said::Failed)),
    ));
    let copy = move |_| {
        let text = text.get_untracked();
        let promise = window().navigator().clipboard().write_text(&text);
        answers.with_value(|(ok, err)| {
            let _ = promise.then2(ok, err);
        });
    };
    view! {
        <button
            type="button"
            class="copy-button"
            aria-label=label
            data-testid=test_id
            data-said=move || format!("{:?}", said.get()).to_lowercase()
            on:click=copy
        >
            {move || match said.get() {
                Said::Copy => "Copy",
                Said::Copied => "Copied",
                Said::Failed => "Copy failed: select the link and copy it",
            }}
        </button>
    }
}
