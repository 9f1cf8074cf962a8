//! The player's keyboard shortcuts: Space play/pause, `n` one agent step, `r` reset. They stay
//! out of the way while the person types.

use super::playable::Playable;
use super::player::Player;
use leptos::ev;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// Listens for the shortcuts while the calling component is mounted.
pub fn use_shortcuts(player: Player, run: impl Playable) {
    let listener = window_event_listener(ev::keydown, move |e: web_sys::KeyboardEvent| {
        if e.ctrl_key() || e.meta_key() || e.alt_key() || typing_in_a_field(&e) {
            return;
        }
        match e.key().as_str() {
            " " => {
                e.prevent_default();
                player.toggle_play(run);
            }
            "n" => player.step(run),
            "r" => player.reset(run),
            _ => {}
        }
    });
    on_cleanup(move || listener.remove());
}

/// Shortcuts stay out of the way while the person types.
fn typing_in_a_field(e: &web_sys::KeyboardEvent) -> bool {
    e.target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        .is_some_and(|el| {
            matches!(el.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT")
                || el.closest("summary").ok().flatten().is_some() && e.key() == " "
        })
}
