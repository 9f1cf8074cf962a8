//! Help: keyboard shortcuts, the theme switch, and a short guided intro on the first visit.

use leptos::prelude::*;

const INTRO_KEY: &str = "ztgym.intro.dismissed";
const THEME_KEY: &str = "ztgym.theme";

fn storage() -> Option<web_sys::Storage> {
    window().local_storage().ok().flatten()
}

/// Applies a theme (`light`, `dark`, or `` for the system's) to the page.
pub fn apply_theme(theme: &str) {
    if let Some(root) = document().document_element() {
        let _ = match theme {
            "" => root.remove_attribute("data-theme"),
            t => root.set_attribute("data-theme", t),
        };
    }
}

/// The saved theme, applied at start.
pub fn restore_theme() {
    if let Some(theme) = storage().and_then(|s| s.get_item(THEME_KEY).ok().flatten()) {
        apply_theme(&theme);
    }
}

#[component]
pub fn HelpPanel() -> impl IntoView {
    let dark = RwSignal::new(
        document()
            .document_element()
            .and_then(|r| r.get_attribute("data-theme"))
            .map(|t| t == "dark")
            .unwrap_or_else(|| {
                window()
                    .match_media("(prefers-color-scheme: dark)")
                    .ok()
                    .flatten()
                    .is_some_and(|m| m.matches())
            }),
    );
    view! {
        <div class="help-bar">
            <details class="help">
                <summary>"Help & shortcuts"</summary>
                <dl class="shortcuts">
                    <dt><kbd>"Space"</kbd></dt>
                    <dd>"Play / pause the agent"</dd>
                    <dt><kbd>"n"</kbd></dt>
                    <dd>"One agent step"</dd>
                    <dt><kbd>"r"</kbd></dt>
                    <dd>"Reset the episode (same seed)"</dd>
                </dl>
                <p>
                    "Isolating, patching or restoring a node needs an approved change ticket for that node and action: without one it costs -20 and ends the episode. Investigate first, cite what you found, wait for the verdict, then act."
                </p>
            </details>
            <button
                class="theme-toggle"
                aria-pressed=move || dark.get().to_string()
                on:click=move |_| {
                    let next = !dark.get_untracked();
                    dark.set(next);
                    let theme = if next { "dark" } else { "light" };
                    apply_theme(theme);
                    if let Some(s) = storage() {
                        let _ = s.set_item(THEME_KEY, theme);
                    }
                }
            >
                {move || if dark.get() { "Light theme" } else { "Dark theme" }}
            </button>
        </div>
    }
}

#[component]
pub fn Intro() -> impl IntoView {
    let seen = storage()
        .and_then(|s| s.get_item(INTRO_KEY).ok().flatten())
        .is_some();
    let open = RwSignal::new(!seen);
    view! {
        <Show when=move || open.get()>
            <aside class="intro" aria-label="Introduction" data-testid="intro">
                <h2>"Welcome to Zero Trust Gym"</h2>
                <ol>
                    <li>"Alerts stream in on the right. Click a service in the graph to target it, then Investigate its logs."</li>
                    <li>"Found a compromise? Cite the evidence (the Cite buttons), name the blast radius and a rollback plan, and File ticket."</li>
                    <li>"Check approval once the review is done, then Isolate or Patch. Acting without an approved ticket costs -20 and ends the episode."</li>
                    <li>"Or pick an agent (Random, SOP operator) and press Play to watch one."</li>
                </ol>
                <button
                    class="primary"
                    on:click=move |_| {
                        open.set(false);
                        if let Some(s) = storage() {
                            let _ = s.set_item(INTRO_KEY, "1");
                        }
                    }
                >
                    "Got it"
                </button>
            </aside>
        </Show>
    }
}
