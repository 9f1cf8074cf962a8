//! The tab's policy: the one loaded or trained last. Kept in local storage, per environment, so
//! a reload (or a link naming `agent=policy`) finds it again. Generic over the environment's
//! learners' adapter.

use crate::learning::adapters::PageAdapter;
use crate::shell::notices::Notices;
use crate::shell::storage::{env_key, Local, Store};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use std::fmt;
use ztgym::core::policy::Policy;

/// Policy files larger than this are refused before parsing (the bundled ones are ~30 KB).
pub const MAX_FILE_BYTES: usize = 4 * 1024 * 1024;

/// Refuses a policy file over [`MAX_FILE_BYTES`], before it is read or parsed.
pub fn check_size(name: &str, bytes: usize) -> Result<(), String> {
    if bytes > MAX_FILE_BYTES {
        return Err(format!(
            "{name}: {} KB is too large for a policy file (at most {} KB)",
            bytes / 1024,
            MAX_FILE_BYTES / 1024
        ));
    }
    Ok(())
}

/// Refuses, in one sentence, a policy file of another environment (the file's `env`), before
/// the full check, whose list of every field that differs says nothing a person can act on.
pub fn refuse_other_env(name: &str, text: &str, env: &str) -> Result<(), String> {
    let root: Option<serde_json::Value> =
        serde_json::from_str(text.strip_prefix('\u{feff}').unwrap_or(text)).ok();
    let found = root
        .as_ref()
        .and_then(|r| r.get("env"))
        .and_then(|e| e.as_str());
    match found {
        Some(found) if found != env => Err(format!(
            "{}: this is a policy for the \"{}\" environment; this tab plays \"{env}\" policies. Load it in its own tab, or load or train a {env} policy here.",
            ztgym::core::text::shorten(name, 80),
            ztgym::core::text::shorten(found, 40),
        )),
        _ => Ok(()),
    }
}

/// Where an environment's policy is kept: `ztgym.{env}.policy`, one JSON record of the
/// policy file's text and where it came from.
const STORAGE_NAME: &str = "policy";

/// Before environments had ids, the page kept the SRE gym's policy as two raw strings.
const LEGACY_ENV: &str = "sre";
const LEGACY_TEXT: &str = "ztgym.policy.v1";
const LEGACY_SOURCE: &str = "ztgym.policy.source";

/// The record kept in storage.
#[derive(Serialize, Deserialize)]
struct Kept {
    source: String,
    text: String,
}

/// A policy of the environment `A` adapts, with where it came from, e.g. `my-policy.json` or
/// `training in this tab`.
pub struct LoadedPolicyOf<A: PageAdapter> {
    pub policy: Policy<A>,
    pub source: String,
    /// The policy file's text as loaded or trained: what export and storage keep, so neither
    /// serializes the policy again.
    pub text: String,
}

impl<A: PageAdapter> Clone for LoadedPolicyOf<A> {
    fn clone(&self) -> Self {
        LoadedPolicyOf {
            policy: self.policy.clone(),
            source: self.source.clone(),
            text: self.text.clone(),
        }
    }
}

impl<A: PageAdapter> fmt::Debug for LoadedPolicyOf<A> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LoadedPolicy")
            .field("policy", &self.policy)
            .field("source", &self.source)
            .finish_non_exhaustive()
    }
}

impl<A: PageAdapter> PartialEq for LoadedPolicyOf<A> {
    fn eq(&self, other: &Self) -> bool {
        (&self.policy, &self.source, &self.text) == (&other.policy, &other.source, &other.text)
    }
}

impl<A: PageAdapter> LoadedPolicyOf<A> {
    /// Reads a policy file for `scenario`: every problem is named with its JSON path, and a
    /// policy for another scenario is refused.
    pub fn from_file(name: &str, text: &str, scenario: &str) -> Result<LoadedPolicyOf<A>, String> {
        check_size(name, text.len())?;
        refuse_other_env(name, text, A::POLICY_ENV)?;
        let policy = Policy::parse(name, text, Some(scenario)).map_err(|e| e.to_string())?;
        Ok(LoadedPolicyOf {
            policy,
            source: name.to_string(),
            text: text.to_string(),
        })
    }

    /// The policy file the training worker sent.
    pub fn trained(text: String) -> Result<LoadedPolicyOf<A>, String> {
        let policy = Policy::parse("the trained policy", &text, None).map_err(|e| e.to_string())?;
        Ok(LoadedPolicyOf {
            policy,
            source: "training in this tab".into(),
            text,
        })
    }

    /// One line for the page: `q-lagrangian, 2000 episodes, from classic-q-lagrangian.json`.
    pub fn summary(&self) -> String {
        format!(
            "{}, {} episodes, from {}",
            self.policy.kind().as_str(),
            self.policy.training.episodes,
            self.source
        )
    }

    /// The name an export gets: `ztgym-policy-classic-q-lagrangian-2000ep.json`.
    pub fn export_name(&self) -> String {
        format!(
            "ztgym-policy-{}-{}-{}ep.json",
            self.policy.scenario,
            self.policy.kind().as_str(),
            self.policy.training.episodes
        )
    }

    /// Keeps the policy for `env`'s next visit. Storage may be full or off: then the policy
    /// only lives until the tab closes, which is said in the returned error.
    pub fn save(&self, env: &str) -> Result<(), String> {
        let mut store = Local::open().ok_or("local storage is off in this browser")?;
        self.save_in(&mut store, env)
    }

    fn save_in(&self, store: &mut impl Store, env: &str) -> Result<(), String> {
        let kept = Kept {
            source: self.source.clone(),
            text: self.text.clone(),
        };
        if store.set(&env_key(env, STORAGE_NAME), &kept) {
            Ok(())
        } else {
            Err("local storage refused the policy (full or private mode)".to_string())
        }
    }

    /// The policy saved for `env` by an earlier visit: `Ok(None)` if there is none, an error if
    /// the saved text no longer reads (it is then forgotten).
    pub fn restore(env: &str) -> Result<Option<LoadedPolicyOf<A>>, String> {
        match Local::open() {
            Some(mut store) => Self::restore_from(&mut store, env),
            None => Ok(None),
        }
    }

    /// What is stored is checked as a file would be: at most [`MAX_FILE_BYTES`] (the record
    /// with its JSON quoting), a readable record, a policy that parses, for a built-in
    /// scenario. A stored value that fails is removed (that key alone) and the error says why.
    fn restore_from(
        store: &mut impl Store,
        env: &str,
    ) -> Result<Option<LoadedPolicyOf<A>>, String> {
        let key = env_key(env, STORAGE_NAME);
        let removed = |why: String| format!("the policy saved in this browser was removed: {why}");
        let kept = match crate::shell::storage::text_within(store, &key, MAX_FILE_BYTES + 1024) {
            Err(e) => return Err(format!("the policy saved in this browser: {e}")),
            Ok(Some(text)) => match serde_json::from_str::<Kept>(&text) {
                Ok(kept) => kept,
                Err(e) => {
                    store.remove(&key);
                    return Err(removed(format!("its record does not read ({e})")));
                }
            },
            Ok(None) => match take_legacy(store, env) {
                Some(kept) => kept,
                None => return Ok(None),
            },
        };
        if kept.text.len() > MAX_FILE_BYTES {
            store.remove(&key);
            return Err(removed(format!(
                "{} KB is more than a policy file may have ({} KB)",
                kept.text.len() / 1024,
                MAX_FILE_BYTES / 1024
            )));
        }
        match Policy::parse(&kept.source, &kept.text, None) {
            Ok(policy) if A::builtin(&policy.scenario).is_err() => {
                store.remove(&key);
                Err(removed(format!(
                    "it was trained on scenario \"{}\", which this page does not have",
                    ztgym::core::text::shorten(&policy.scenario, 60)
                )))
            }
            Ok(policy) => Ok(Some(LoadedPolicyOf {
                policy,
                source: kept.source,
                text: kept.text,
            })),
            Err(e) => {
                store.remove(&key);
                Err(format!(
                    "the policy saved in this browser no longer loads: {e}"
                ))
            }
        }
    }
}

/// The SRE gym's policy as an older page kept it, moved to its new key (once: the old keys
/// are removed).
fn take_legacy(store: &mut impl Store, env: &str) -> Option<Kept> {
    if env != LEGACY_ENV {
        return None;
    }
    let text = store.text(LEGACY_TEXT)?;
    let source = store
        .text(LEGACY_SOURCE)
        .unwrap_or_else(|| "this browser's storage".into());
    let kept = Kept { source, text };
    if store.set(&env_key(env, STORAGE_NAME), &kept) {
        store.remove(LEGACY_TEXT);
        store.remove(LEGACY_SOURCE);
    }
    Some(kept)
}

/// The tab's policy for the environment on screen, shared through context: the one loaded or
/// trained last, kept in local storage. A cheap handle.
pub struct TabPolicyOf<A: PageAdapter> {
    env: &'static str,
    policy: StoredValue<Option<LoadedPolicyOf<A>>, LocalStorage>,
    /// Bumped when the policy changes.
    version: RwSignal<u64>,
}

impl<A: PageAdapter> Clone for TabPolicyOf<A> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<A: PageAdapter> Copy for TabPolicyOf<A> {}

impl<A: PageAdapter> TabPolicyOf<A> {
    /// The policy an earlier visit kept for `env`, and the problem with it if it no longer
    /// reads.
    pub fn restore(env: &'static str) -> (TabPolicyOf<A>, Option<String>) {
        let (policy, problem) = match LoadedPolicyOf::<A>::restore(env) {
            Ok(policy) => (policy, None),
            Err(e) => (None, Some(e)),
        };
        let tab = TabPolicyOf {
            env,
            policy: StoredValue::new_local(policy),
            version: RwSignal::new(0),
        };
        (tab, problem)
    }

    /// Reads the policy, tracking changes to it.
    /// Whether the tab holds a policy, tracked.
    pub fn held(self) -> Signal<bool> {
        Signal::derive(move || self.with(|p| p.is_some()))
    }

    pub fn with<T>(&self, f: impl FnOnce(Option<&LoadedPolicyOf<A>>) -> T) -> T {
        self.version.track();
        self.policy.with_value(|p| f(p.as_ref()))
    }

    /// The policy itself, without tracking.
    pub fn get_untracked(&self) -> Option<Policy<A>> {
        self.policy
            .with_value(|p| p.as_ref().map(|l| l.policy.clone()))
    }

    /// Makes `loaded` the tab's policy for this visit only (a policy a link named): what an
    /// earlier visit kept stays kept.
    pub fn show(&self, loaded: LoadedPolicyOf<A>) {
        self.policy.set_value(Some(loaded));
        self.version.update(|v| *v += 1);
    }

    /// Shows the policy an earlier visit kept if it was trained on `scenario` (the tab may show
    /// another for this visit); whether it was.
    pub fn show_kept_for(&self, scenario: &str) -> bool {
        match LoadedPolicyOf::<A>::restore(self.env) {
            Ok(Some(kept)) if kept.policy.scenario == scenario => {
                self.show(kept);
                true
            }
            _ => false,
        }
    }

    /// The source and scenario of the tab's policy, without tracking.
    pub fn source_and_scenario(&self) -> Option<(String, String)> {
        self.policy.with_value(|p| {
            p.as_ref()
                .map(|l| (l.source.clone(), l.policy.scenario.clone()))
        })
    }

    /// Makes `loaded` the tab's policy and keeps it for the next visit; the error says why it
    /// will not survive a reload.
    pub fn keep(&self, loaded: LoadedPolicyOf<A>) -> Result<(), String> {
        let saved = loaded.save(self.env);
        self.policy.set_value(Some(loaded));
        self.version.update(|v| *v += 1);
        saved
    }

    /// Keeps a trained policy as the tab's without letting it play (a person is mid-episode):
    /// `explain` shows it beside their episode, and the person is told where it is, or why it
    /// will not survive a reload.
    pub fn keep_explained(
        &self,
        loaded: LoadedPolicyOf<A>,
        explain: impl FnOnce(&Policy<A>),
        notices: Notices,
    ) {
        let summary = loaded.summary();
        let policy = loaded.policy.clone();
        let saved = self.keep(loaded);
        explain(&policy);
        match saved {
            Ok(()) => notices.info(format!(
                "The trained policy ({summary}) is kept and explained in the Learned policy \
                 panel: choose Agent: Policy to watch it play."
            )),
            Err(e) => notices.error(format!(
                "The trained policy ({summary}) is kept in this tab only: {e}."
            )),
        }
    }
}

/// What to tell a person once a policy just kept plays (`verb`: plays, decides, proposes):
/// where `saved` failed, why it will not survive a reload.
pub fn now_acts(summary: &str, verb: &str, saved: Result<(), String>) -> String {
    let acts = format!("Policy loaded ({summary}); it now {verb} as the agent.");
    match saved {
        Ok(()) => acts,
        Err(e) => format!("{acts} It will not survive a reload: {e}."),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The store tested with a real adapter's policies: the SRE gym's.
    type LoadedPolicy = LoadedPolicyOf<ztgym::learn::Executor>;
    use crate::shell::storage::Memory;

    /// Policy files to test the store with: two of the SRE gym's examples (assets/policies/).
    const BUNDLED: [(&str, &str); 2] = [
        (
            "classic-q-lagrangian.json",
            include_str!("../../assets/policies/classic-q-lagrangian.json"),
        ),
        (
            "classic-q.json",
            include_str!("../../assets/policies/classic-q.json"),
        ),
    ];

    #[test]
    fn a_policy_for_another_scenario_is_refused_by_name() {
        let (name, text) = BUNDLED[0];
        let err = LoadedPolicy::from_file(name, text, "enterprise").unwrap_err();
        assert!(err.starts_with(name) && err.contains("classic"), "{err}");
    }

    #[test]
    fn an_oversized_file_is_refused_before_parsing() {
        let text = " ".repeat(MAX_FILE_BYTES + 1);
        let err = LoadedPolicy::from_file("huge.json", &text, "classic").unwrap_err();
        assert!(
            err.contains("huge.json") && err.contains("too large"),
            "{err}"
        );
    }

    #[test]
    fn export_names_say_scenario_kind_and_episodes() {
        let (name, text) = BUNDLED[0];
        let loaded = LoadedPolicy::from_file(name, text, "classic").unwrap();
        assert_eq!(
            loaded.export_name(),
            format!(
                "ztgym-policy-classic-q-lagrangian-{}ep.json",
                loaded.policy.training.episodes
            )
        );
        assert_eq!(
            loaded.policy.to_json(),
            text,
            "export gives the file's bytes back"
        );
    }

    fn bundled(k: usize) -> LoadedPolicy {
        let (name, text) = BUNDLED[k];
        LoadedPolicy::from_file(name, text, name.split('-').next().unwrap()).unwrap()
    }

    #[test]
    fn a_kept_policy_comes_back_under_its_environments_key() {
        let mut store = Memory::default();
        let loaded = bundled(1);
        loaded.save_in(&mut store, "sre").unwrap();
        assert!(
            store.0.contains_key("ztgym.sre.policy"),
            "{:?}",
            store.0.keys()
        );
        let back = LoadedPolicy::restore_from(&mut store, "sre")
            .unwrap()
            .unwrap();
        assert_eq!(back, loaded);
        assert_eq!(LoadedPolicy::restore_from(&mut store, "triage"), Ok(None));
    }

    #[test]
    fn a_policy_kept_by_the_older_page_is_moved_to_the_new_key_once() {
        let (name, text) = BUNDLED[0];
        let mut store = Memory::default();
        store.set_text(LEGACY_TEXT, text);
        store.set_text(LEGACY_SOURCE, name);
        assert_eq!(
            LoadedPolicy::restore_from(&mut store, "triage"),
            Ok(None),
            "the old keys were the SRE gym's"
        );
        let restored = LoadedPolicy::restore_from(&mut store, "sre")
            .unwrap()
            .unwrap();
        assert_eq!(
            (restored.source.as_str(), restored.text.as_str()),
            (name, text)
        );
        assert_eq!(
            store.0.keys().collect::<Vec<_>>(),
            ["ztgym.sre.policy"],
            "old keys removed"
        );
        let again = LoadedPolicy::restore_from(&mut store, "sre")
            .unwrap()
            .unwrap();
        assert_eq!(again, restored, "read from the new key from now on");
    }

    #[test]
    fn a_kept_policy_that_no_longer_reads_is_reported_and_forgotten() {
        let mut store = Memory::default();
        store.set(
            "ztgym.sre.policy",
            &Kept {
                source: "old.json".into(),
                text: "{\"format\": \"ztgym-policy\"".into(),
            },
        );
        let err = LoadedPolicy::restore_from(&mut store, "sre").unwrap_err();
        assert!(
            err.contains("no longer loads") && err.contains("old.json"),
            "{err}"
        );
        assert!(store.0.is_empty());
    }

    fn kept(source: &str, text: &str) -> Memory {
        let mut store = Memory::default();
        store.set(
            "ztgym.sre.policy",
            &Kept {
                source: source.into(),
                text: text.into(),
            },
        );
        store.set_text("ztgym.theme", "\"dark\"");
        store
    }

    #[test]
    fn a_kept_policy_for_an_unknown_scenario_is_reported_and_removed_alone() {
        let (name, text) = BUNDLED[0];
        let mut store = kept(name, &text.replacen("\"classic\"", "\"gone\"", 1));
        let err = LoadedPolicy::restore_from(&mut store, "sre").unwrap_err();
        assert!(err.contains("removed") && err.contains("\"gone\""), "{err}");
        assert_eq!(store.0.keys().collect::<Vec<_>>(), ["ztgym.theme"]);
        assert_eq!(
            LoadedPolicy::restore_from(&mut store, "sre"),
            Ok(None),
            "once"
        );
    }

    #[test]
    fn an_oversize_kept_policy_is_reported_and_removed_alone() {
        let (name, text) = BUNDLED[0];
        // 4.5 MB: over the 4 MB a policy file may have.
        let big = format!("{text}{}", " ".repeat(MAX_FILE_BYTES + MAX_FILE_BYTES / 8));
        let mut store = kept(name, &big);
        let err = LoadedPolicy::restore_from(&mut store, "sre").unwrap_err();
        assert!(err.contains("removed") && err.contains("KB"), "{err}");
        assert_eq!(store.0.keys().collect::<Vec<_>>(), ["ztgym.theme"]);
        // Just over the cap in the policy text itself, the record being within it.
        let mut store = kept(
            name,
            &format!("{text}{}", " ".repeat(MAX_FILE_BYTES - text.len() + 1)),
        );
        let err = LoadedPolicy::restore_from(&mut store, "sre").unwrap_err();
        assert!(err.contains("more than a policy file may have"), "{err}");
        assert_eq!(store.0.keys().collect::<Vec<_>>(), ["ztgym.theme"]);
    }

    #[test]
    fn an_unreadable_record_is_reported_and_removed_alone() {
        for bad in ["not json", "{\"source\": 1}", "[]", "\"\\u001b[2J\""] {
            let mut store = Memory::default();
            store.set_text("ztgym.sre.policy", bad);
            store.set_text("ztgym.theme", "\"dark\"");
            let err = LoadedPolicy::restore_from(&mut store, "sre").unwrap_err();
            assert!(err.contains("does not read"), "{bad}: {err}");
            assert_eq!(store.0.keys().collect::<Vec<_>>(), ["ztgym.theme"], "{bad}");
        }
    }

    #[test]
    fn a_policy_of_another_environment_is_refused_in_one_sentence() {
        let (name, text) = BUNDLED[0];
        let err = LoadedPolicyOf::<ztgym::triage::Triage>::from_file(name, text, "L1").unwrap_err();
        assert_eq!(
            err,
            "classic-q-lagrangian.json: this is a policy for the \"zero-trust-sre-gym\" \
             environment; this tab plays \"message-triage\" policies. Load it in its own tab, or \
             load or train a message-triage policy here."
        );
        assert!(!err.contains('\n') && !err.contains("\\n"));
        // Its own environment's check is untouched.
        assert!(refuse_other_env(name, text, "zero-trust-sre-gym").is_ok());
        assert!(
            refuse_other_env(name, "not json", "message-triage").is_ok(),
            "the full check says why"
        );
    }
}
