//! The run's controls: Play, Pause, Step, Reset, New seed; then the environment's settings
//! (its children), speed and keep going, the environment's exports and the share link with a
//! Copy button, folded behind a Settings button on a narrow screen.

use leptos::prelude::*;

use super::playable::Playable;
use super::player::use_player;
use super::speed::Speed;
use crate::shell::copy_button::CopyButton;

#[component]
pub fn RunControls<P: Playable>(
    run: P,
    /// The environment's exports, after the transport buttons.
    #[prop(into)]
    exports: ViewFn,
    /// The environment's settings, before the speed.
    children: Children,
) -> impl IntoView {
    let player = use_player();
    let share_link = move || {
        let base = window().location().href().unwrap_or_default();
        let base = base.split('#').next().unwrap_or_default().to_string();
        format!("{base}#{}", run.share_hash())
    };
    // On a narrow screen the settings, exports and link fold away under the transport, so the
    // stage comes first; a wide screen always shows them.
    let narrow = window()
        .match_media("(max-width: 900px)")
        .ok()
        .flatten()
        .is_some_and(|m| m.matches());
    let open = RwSignal::new(!narrow);
    view! {
        <section class="run-controls" aria-label="Run settings">
            <div class="control-row transport">
                <Show
                    when=move || player.playing.get()
                    fallback=move || {
                        view! {
                            <button class="primary" on:click=move |_| player.play(run) title="Play (space)">
                                "Play"
                            </button>
                        }
                    }
                >
                    <button class="primary" on:click=move |_| player.pause(run) title="Pause (space)">
                        "Pause"
                    </button>
                </Show>
                <button on:click=move |_| player.step(run) title="One agent step (n)">
                    "Step"
                </button>
                <button on:click=move |_| player.reset(run) title="Same seed, from the start (r)">
                    "Reset"
                </button>
                <button on:click=move |_| player.new_seed(run)>"New seed"</button>
                <button
                    class="settings-toggle"
                    aria-controls="run-settings"
                    aria-expanded=move || open.get().to_string()
                    on:click=move |_| open.update(|o| *o = !*o)
                >
                    "Settings"
                </button>
            </div>
            <div id="run-settings" class="run-settings" class:open=move || open.get()>
                <div class="control-row">
                    {children()}
                    <label>
                        "Speed"
                        <select
                            prop:value=move || player.speed.get().as_str()
                            on:change=move |ev| {
                                if let Some(speed) = Speed::parse(&event_target_value(&ev)) {
                                    player.speed.set(speed);
                                    run.write_hash();
                                }
                            }
                        >
                            {Speed::ALL
                                .iter()
                                .map(|v| view! { <option value=v.as_str()>{v.label()}</option> })
                                .collect_view()}
                        </select>
                    </label>
                    <label class="check">
                        <input type="checkbox" bind:checked=player.keep_going />
                        "Keep going"
                    </label>
                </div>
                <div class="control-row">
                    {exports.run()}
                    <label class="share">
                        "Share link"
                        <input
                            type="text"
                            readonly
                            data-testid="share-link"
                            prop:value=share_link
                            on:focus=move |ev| {
                                use wasm_bindgen::JsCast;
                                if let Some(input) = ev
                                    .target()
                                    .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
                                {
                                    input.select();
                                }
                            }
                        />
                    </label>
                    <CopyButton text=Signal::derive(share_link) label="Copy the share link" test_id="copy-share-link" />
                </div>
            </div>
        </section>
    }
}
