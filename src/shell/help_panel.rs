//! Help: the keyboard shortcuts, the environment's rules in a sentence, the theme switch; and a
//! short guided intro on the first visit.

use super::storage::{Local, Store};
use super::theme::ThemeToggle;
use leptos::prelude::*;

const INTRO_KEY: &str = "ztgym.intro.dismissed";

/// Help & shortcuts: every page's keys, then the environment's own (`keys`: each key and what
/// it does) and its rules in words (`rules`: a paragraph each).
#[component]
pub fn HelpPanel(
    keys: Vec<(&'static str, &'static str)>,
    rules: Vec<&'static str>,
) -> impl IntoView {
    let own_keys = keys
        .into_iter()
        .map(|(key, what)| view! { <dt><kbd>{key}</kbd></dt><dd>{what}</dd> })
        .collect_view();
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
                    {own_keys}
                </dl>
                <p class="hint">
                    "Shortcuts wait while the focus is on a control (a field, a button, a link): Tab away or click the page first."
                </p>
                {rules.into_iter().map(|rule| view! { <p>{rule}</p> }).collect_view()}
            </details>
            <ThemeToggle />
        </div>
    }
}

/// The first-visit intro: the environment's `points` and a button that puts it away for good.
#[component]
pub fn Intro(points: Vec<&'static str>) -> impl IntoView {
    let seen = Local::open().is_some_and(|s| s.text(INTRO_KEY).is_some());
    let open = RwSignal::new(!seen);
    view! {
        <Show when=move || open.get()>
            <aside class="intro" aria-label="Introduction" data-testid="intro">
                <h2>"Welcome to Zero Trust Gym"</h2>
                <ol>{points.iter().map(|point| view! { <li>{*point}</li> }).collect_view()}</ol>
                <button
                    class="primary"
                    on:click=move |_| {
                        open.set(false);
                        if let Some(mut s) = Local::open() {
                            s.set(INTRO_KEY, &true);
                        }
                    }
                >
                    "Got it"
                </button>
            </aside>
        </Show>
    }
}
