//! The page's keyboard shortcuts: Space play/pause, `n` one agent step, `r` reset, and the keys
//! an environment gives its action buttons (`data-key`). None of them fires while the focus is
//! on a control (a field, a button, a link, a slider), so Space presses the focused button and
//! typing types; a node of the picture is not such a control for letters: pick a node, then
//! press the action's key.

use super::playable::Playable;
use super::player::Player;
use leptos::ev;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// Listens for the shortcuts while the calling component is mounted.
pub fn use_shortcuts(player: Player, run: impl Playable) {
    let listener = window_event_listener(ev::keydown, move |e: web_sys::KeyboardEvent| {
        if e.ctrl_key() || e.meta_key() || e.alt_key() || e.repeat() {
            return;
        }
        let key = e.key();
        let target = e
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok());
        if target
            .as_ref()
            .is_some_and(|el| on_a_control(el, key.chars().count() == 1 && key != " "))
        {
            return;
        }
        match key.as_str() {
            " " => {
                e.prevent_default();
                player.toggle_play(run);
            }
            "n" => player.step(run),
            "r" => player.reset(run),
            k => {
                if press_action_key(k) {
                    e.prevent_default();
                }
            }
        }
    });
    on_cleanup(move || listener.remove());
}

/// Whether the focus is on a control that takes the key itself. With `letter`, a node of the
/// picture (`.node`) does not count: letters act on the node just picked.
fn on_a_control(el: &web_sys::Element, letter: bool) -> bool {
    if matches!(el.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT") {
        return true;
    }
    if el
        .dyn_ref::<web_sys::HtmlElement>()
        .is_some_and(|h| h.is_content_editable())
    {
        return true;
    }
    if letter && el.closest(".node").ok().flatten().is_some() {
        return false;
    }
    el.closest("button, a[href], summary, [role=button], [role=slider], [role=tab]")
        .ok()
        .flatten()
        .is_some()
}

/// Clicks the enabled button whose `data-key` is `key`, if there is one.
fn press_action_key(key: &str) -> bool {
    if key.chars().count() != 1 || !key.chars().all(|c| c.is_ascii_lowercase()) {
        return false;
    }
    let button = document()
        .query_selector(&format!("button[data-key=\"{key}\"]"))
        .ok()
        .flatten()
        .and_then(|b| b.dyn_into::<web_sys::HtmlElement>().ok());
    match button {
        Some(b) if !b.has_attribute("disabled") => {
            b.click();
            true
        }
        _ => false,
    }
}
