//! The tab's policy: the one loaded or trained last. Kept in local storage so a reload (or a
//! link naming `agent=policy`) finds it again; the bundled example policies ship in the page.

use ztgym::policy::Policy;

/// The example policies of `assets/policies/`, trained by the CLI (see the README).
pub const BUNDLED: [(&str, &str); 4] = [
    (
        "classic-q-lagrangian.json",
        include_str!("../../assets/policies/classic-q-lagrangian.json"),
    ),
    (
        "classic-q.json",
        include_str!("../../assets/policies/classic-q.json"),
    ),
    (
        "classic-bandit.json",
        include_str!("../../assets/policies/classic-bandit.json"),
    ),
    (
        "enterprise-q-lagrangian.json",
        include_str!("../../assets/policies/enterprise-q-lagrangian.json"),
    ),
];

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

const STORAGE_TEXT: &str = "ztgym.policy.v1";
const STORAGE_SOURCE: &str = "ztgym.policy.source";

/// A policy with where it came from, e.g. `my-policy.json` or `training in this tab`.
#[derive(Clone, Debug, PartialEq)]
pub struct LoadedPolicy {
    pub policy: Policy,
    pub source: String,
    /// The policy file's text as loaded or trained: what export and storage keep, so neither
    /// serializes the policy again.
    pub text: String,
}

impl LoadedPolicy {
    /// Reads a policy file for `scenario`: every problem is named with its JSON path, and a
    /// policy for another scenario is refused.
    pub fn from_file(name: &str, text: &str, scenario: &str) -> Result<LoadedPolicy, String> {
        check_size(name, text.len())?;
        let policy = Policy::parse(name, text, Some(scenario)).map_err(|e| e.to_string())?;
        Ok(LoadedPolicy {
            policy,
            source: name.to_string(),
            text: text.to_string(),
        })
    }

    /// The policy file the training worker sent.
    pub fn trained(text: String) -> Result<LoadedPolicy, String> {
        let policy = Policy::parse("the trained policy", &text, None).map_err(|e| e.to_string())?;
        Ok(LoadedPolicy {
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

    /// Keeps the policy for the next visit. Storage may be full or off: then the policy
    /// only lives until the tab closes, which is said in the returned error.
    pub fn save(&self) -> Result<(), String> {
        let storage = storage().ok_or("local storage is off in this browser")?;
        storage
            .set_item(STORAGE_TEXT, &self.text)
            .and_then(|()| storage.set_item(STORAGE_SOURCE, &self.source))
            .map_err(|_| "local storage refused the policy (full or private mode)".to_string())
    }

    /// The policy saved by an earlier visit: `Ok(None)` if there is none, an error if the
    /// saved text no longer reads (it is then forgotten).
    pub fn restore() -> Result<Option<LoadedPolicy>, String> {
        let Some(storage) = storage() else {
            return Ok(None);
        };
        let Ok(Some(text)) = storage.get_item(STORAGE_TEXT) else {
            return Ok(None);
        };
        let source = storage
            .get_item(STORAGE_SOURCE)
            .ok()
            .flatten()
            .unwrap_or_else(|| "this browser's storage".into());
        match Policy::parse(&source, &text, None) {
            Ok(policy) => Ok(Some(LoadedPolicy {
                policy,
                source,
                text,
            })),
            Err(e) => {
                let _ = storage.remove_item(STORAGE_TEXT);
                Err(format!(
                    "the policy saved in this browser no longer loads: {e}"
                ))
            }
        }
    }
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_bundled_policy_loads_for_its_scenario() {
        for (name, text) in BUNDLED {
            let scenario = name.split('-').next().unwrap();
            let loaded = LoadedPolicy::from_file(name, text, scenario).unwrap();
            assert_eq!(loaded.policy.scenario, scenario);
            assert!(loaded.summary().ends_with(name));
        }
    }

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
}
