//! The replay slider: walks back and forth through the finished episode. The environment's
//! panels show the step the player's `replay` names.

use super::player::use_player;
use leptos::prelude::*;

#[component]
pub fn ReplaySlider(
    /// Steps in the episode.
    #[prop(into)]
    steps: Signal<usize>,
) -> impl IntoView {
    let player = use_player();
    let at = move || player.replay.get().unwrap_or_else(|| steps.get());
    view! {
        <label class="replay">
            "Replay step"
            <input
                type="range"
                min="0"
                max=move || steps.get().to_string()
                step="1"
                aria-label="Replay step"
                prop:value=move || at().to_string()
                on:input=move |ev| {
                    let k = event_target_value(&ev).parse::<usize>().unwrap_or(0);
                    player.replay.set((k < steps.get_untracked()).then_some(k));
                }
            />
            <span data-testid="replay-position">{move || format!("{} / {}", at(), steps.get())}</span>
        </label>
    }
}
