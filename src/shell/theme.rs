//! The colour theme: the system's, unless the person picked one with the theme button, which
//! is kept (`ztgym.theme`) for the next visit.

use super::storage::{Local, Store};
use leptos::prelude::*;

const THEME_KEY: &str = "ztgym.theme";

/// Applies a theme (`light`, `dark`, or `` for the system's) to the page.
pub fn apply_theme(theme: &str) {
    if let Some(root) = document().document_element() {
        let _ = match theme {
            "" => root.remove_attribute("data-theme"),
            t => root.set_attribute("data-theme", t),
        };
    }
}

/// The saved theme, applied at start; a bad stored value is removed and reported once.
pub fn restore_theme() {
    if let Some(theme) = Local::open().and_then(|mut s| checked_theme(&mut s)) {
        apply_theme(&theme);
    }
}

/// [`saved_theme`], removing a stored value that is not a theme (only that key) and noting it
/// for the page's next notice.
fn checked_theme(store: &mut impl Store) -> Option<String> {
    let theme = saved_theme(store);
    if theme.is_none() {
        if let Some(bad) = store.text(THEME_KEY) {
            store.remove(THEME_KEY);
            super::storage::report_problem(format!(
                "the saved theme {} is not light or dark; it was removed",
                ztgym::core::text::shorten(&bad, 40)
            ));
        }
    }
    theme
}

/// The theme kept in `store`: JSON, or the bare word pages before JSON values wrote.
fn saved_theme(store: &impl Store) -> Option<String> {
    store
        .get::<String>(THEME_KEY)
        .or_else(|| store.text(THEME_KEY))
        .filter(|t| matches!(t.as_str(), "light" | "dark"))
}

/// Whether the page shows the dark theme now (picked, or the system's).
fn dark_now() -> bool {
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
        })
}

/// The button that switches between light and dark.
#[component]
pub fn ThemeToggle() -> impl IntoView {
    let dark = RwSignal::new(dark_now());
    view! {
        <button
            class="theme-toggle"
            aria-pressed=move || dark.get().to_string()
            on:click=move |_| {
                let next = !dark.get_untracked();
                dark.set(next);
                let theme = if next { "dark" } else { "light" };
                apply_theme(theme);
                if let Some(mut s) = Local::open() {
                    s.set(THEME_KEY, &theme);
                }
            }
        >
            {move || if dark.get() { "Light theme" } else { "Dark theme" }}
        </button>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::shell::storage::Memory;

    #[test]
    fn a_theme_saved_as_json_or_as_a_bare_word_is_found() {
        let mut store = Memory::default();
        assert_eq!(saved_theme(&store), None);
        store.set_text(THEME_KEY, "dark");
        assert_eq!(
            saved_theme(&store).as_deref(),
            Some("dark"),
            "an older page's value"
        );
        store.set(THEME_KEY, &"light");
        assert_eq!(saved_theme(&store).as_deref(), Some("light"));
        store.set_text(THEME_KEY, "<script>");
        assert_eq!(saved_theme(&store), None);
    }

    #[test]
    fn a_bad_theme_is_removed_alone_and_reported_once() {
        let mut store = Memory::default();
        store.set_text(THEME_KEY, "\" onload=\"alert(1)");
        store.set_text("ztgym.sre.policy", "{}");
        crate::shell::storage::take_problems();
        assert_eq!(checked_theme(&mut store), None);
        assert_eq!(store.0.keys().collect::<Vec<_>>(), ["ztgym.sre.policy"]);
        let problems = crate::shell::storage::take_problems();
        assert_eq!(problems.len(), 1);
        assert!(problems[0].contains("not light or dark"), "{problems:?}");
        assert_eq!(checked_theme(&mut store), None);
        assert!(
            crate::shell::storage::take_problems().is_empty(),
            "reported once"
        );
        store.set(THEME_KEY, &"dark");
        assert_eq!(checked_theme(&mut store).as_deref(), Some("dark"));
    }
}
