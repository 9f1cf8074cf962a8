//! What the page keeps in the browser's local storage, through gloo-storage: values are JSON,
//! and what belongs to an environment is kept under a key naming it (`ztgym.sre.policy`).
//!
//! Storage may be off (a browser setting, some private modes): then nothing is kept and nothing
//! fails. The logic that reads and writes goes through [`Store`], so it is tested natively on
//! a map.

use gloo_storage::{LocalStorage, Storage};
use serde::de::DeserializeOwned;
use serde::Serialize;

thread_local! {
    /// Problems found in stored values since the page started, waiting to be shown once.
    static PROBLEMS: std::cell::RefCell<Vec<String>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// Notes a stored value that was found bad and removed, for the page to report once.
pub fn report_problem(problem: String) {
    PROBLEMS.with(|p| p.borrow_mut().push(problem));
}

/// The problems noted so far, each handed out once.
pub fn take_problems() -> Vec<String> {
    PROBLEMS.with(|p| std::mem::take(&mut *p.borrow_mut()))
}

/// The text under `key` if it is at most `max` bytes; a larger value is removed (only that
/// key) and named in the error.
pub fn text_within(
    store: &mut impl Store,
    key: &str,
    max: usize,
) -> Result<Option<String>, String> {
    match store.text(key) {
        Some(text) if text.len() > max => {
            store.remove(key);
            Err(format!(
                "the value saved under {key} is {} KB, more than the {} KB allowed; it was removed",
                text.len() / 1024,
                max / 1024
            ))
        }
        other => Ok(other),
    }
}

/// The key of an environment's `name`: `ztgym.{env}.{name}`.
pub fn env_key(env: &str, name: &str) -> String {
    format!("ztgym.{env}.{name}")
}

/// A key-value store of text: the browser's local storage, or a map in tests.
pub trait Store {
    /// The text under `key`, as stored.
    fn text(&self, key: &str) -> Option<String>;
    /// Keeps `text` under `key`; false if the store refused it (full, or off).
    fn set_text(&mut self, key: &str, text: &str) -> bool;
    fn remove(&mut self, key: &str);

    /// The JSON value under `key`, if there is one and it reads as a `T`.
    fn get<T: DeserializeOwned>(&self, key: &str) -> Option<T> {
        serde_json::from_str(&self.text(key)?).ok()
    }

    /// Keeps `value` as JSON under `key`; false if the store refused it.
    fn set<T: Serialize>(&mut self, key: &str, value: &T) -> bool {
        serde_json::to_string(value).is_ok_and(|text| self.set_text(key, &text))
    }
}

/// The browser's local storage, where the browser allows it.
pub struct Local(());

impl Local {
    /// `None` where the browser keeps nothing for the page (gloo-storage would throw there).
    pub fn open() -> Option<Local> {
        let window = web_sys::window()?;
        window.local_storage().ok().flatten().map(|_| Local(()))
    }
}

impl Store for Local {
    fn text(&self, key: &str) -> Option<String> {
        LocalStorage::raw().get_item(key).ok().flatten()
    }

    fn set_text(&mut self, key: &str, text: &str) -> bool {
        LocalStorage::raw().set_item(key, text).is_ok()
    }

    fn remove(&mut self, key: &str) {
        LocalStorage::delete(key);
    }

    fn get<T: DeserializeOwned>(&self, key: &str) -> Option<T> {
        LocalStorage::get(key).ok()
    }

    fn set<T: Serialize>(&mut self, key: &str, value: &T) -> bool {
        LocalStorage::set(key, value).is_ok()
    }
}

/// A store in memory, for tests of what goes through [`Store`].
#[cfg(test)]
#[derive(Default, Debug)]
pub struct Memory(pub std::collections::BTreeMap<String, String>);

#[cfg(test)]
impl Store for Memory {
    fn text(&self, key: &str) -> Option<String> {
        self.0.get(key).cloned()
    }

    fn set_text(&mut self, key: &str, text: &str) -> bool {
        self.0.insert(key.to_string(), text.to_string());
        true
    }

    fn remove(&mut self, key: &str) {
        self.0.remove(key);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_name_the_environment() {
        assert_eq!(env_key("sre", "policy"), "ztgym.sre.policy");
    }

    #[test]
    fn values_are_json() {
        let mut store = Memory::default();
        assert!(store.set("k", &"dark"));
        assert_eq!(store.text("k").as_deref(), Some("\"dark\""));
        assert_eq!(store.get::<String>("k").as_deref(), Some("dark"));
        store.set_text("raw", "dark");
        assert_eq!(store.get::<String>("raw"), None, "raw text is not JSON");
    }

    #[test]
    fn an_oversize_value_is_removed_alone() {
        let mut store = Memory::default();
        store.set_text("big", &"x".repeat(2048));
        store.set_text("other", "kept");
        assert_eq!(
            text_within(&mut store, "other", 1024),
            Ok(Some("kept".into()))
        );
        let e = text_within(&mut store, "big", 1024).unwrap_err();
        assert!(e.contains("big") && e.contains("removed"), "{e}");
        assert_eq!(store.0.keys().collect::<Vec<_>>(), ["other"]);
    }

    #[test]
    fn problems_are_handed_out_once() {
        report_problem("one".into());
        assert_eq!(take_problems(), ["one"]);
        assert!(take_problems().is_empty());
    }
}
