//! The SRE gym's example policies, shipped in the page: `assets/policies/`, trained by the CLI
//! (see the README). A link names one by its file name without `.json`
//! (`policy=classic-q-lagrangian`), so a trained agent plays in any browser.

use crate::learning::bundled::{first_for, BUNDLED_SOURCE};

/// The example policies of `assets/policies/`, trained by the CLI (see the README). The first
/// one of a scenario is the one that plays it when a link asks for `agent=policy` and the
/// browser keeps no policy for it.
pub const BUNDLED: [(&str, &str); 4] = [
    (
        "classic-q-lagrangian.json",
        include_str!("../../../assets/policies/classic-q-lagrangian.json"),
    ),
    (
        "classic-q.json",
        include_str!("../../../assets/policies/classic-q.json"),
    ),
    (
        "classic-bandit.json",
        include_str!("../../../assets/policies/classic-bandit.json"),
    ),
    (
        "enterprise-q-lagrangian.json",
        include_str!("../../../assets/policies/enterprise-q-lagrangian.json"),
    ),
];

/// The name a link gives a bundled file: `classic-q-lagrangian` for `classic-q-lagrangian.json`.
pub fn link_name(file: &str) -> &str {
    file.strip_suffix(".json").unwrap_or(file)
}

/// The bundled policy a link names (`classic-q-lagrangian`, or the file name with `.json`):
/// its file name and text.
pub fn find(name: &str) -> Option<(&'static str, &'static str)> {
    let name = link_name(name);
    BUNDLED
        .into_iter()
        .find(|(file, _)| link_name(file) == name)
}

/// The names links may use, for messages: `classic-q-lagrangian, classic-q, …`.
pub fn names() -> String {
    BUNDLED
        .iter()
        .map(|(file, _)| link_name(file))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The scenario a bundled policy was trained on: the start of its name, up to the first `-`
/// (checked against each file's own `scenario` field by the tests).
pub fn scenario_of(name: &str) -> &str {
    let name = link_name(name);
    name.split_once('-').map_or(name, |(scenario, _)| scenario)
}

/// The bundled policy that plays `scenario` by default, if there is one.
pub fn for_scenario(scenario: &str) -> Option<(&'static str, &'static str)> {
    first_for(&BUNDLED, scenario)
}

/// The link name of the bundled policy a tab's policy came from (its source is
/// `bundled classic-q.json`), if it came from one.
pub fn from_source(source: &str) -> Option<&str> {
    let file = source.strip_prefix(BUNDLED_SOURCE)?;
    find(file).map(|(file, _)| link_name(file))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::envs::sre::adapter::LoadedPolicy;

    #[test]
    fn every_bundled_policy_loads_for_its_scenario() {
        for (name, text) in BUNDLED {
            let scenario = name.split('-').next().unwrap();
            let loaded = LoadedPolicy::from_file(name, text, scenario).unwrap();
            assert_eq!(loaded.policy.scenario, scenario);
            assert!(loaded.summary().ends_with(name));
        }
    }

    fn bundled_for(scenario: &str) -> Vec<&'static str> {
        crate::learning::bundled::bundled_for(&BUNDLED, scenario)
    }

    #[test]
    fn bundled_policies_are_offered_for_their_scenario_only() {
        assert_eq!(
            bundled_for("classic"),
            [
                "classic-q-lagrangian.json",
                "classic-q.json",
                "classic-bandit.json"
            ]
        );
        assert_eq!(bundled_for("enterprise"), ["enterprise-q-lagrangian.json"]);
        assert!(
            bundled_for("class").is_empty(),
            "a prefix is not a scenario"
        );
        for name in bundled_for("classic") {
            let text = BUNDLED.iter().find(|(n, _)| *n == name).unwrap().1;
            assert!(LoadedPolicy::from_file(name, text, "classic").is_ok());
        }
    }
    use ztgym::policy::Policy;

    #[test]
    fn names_are_file_names_without_json_and_their_prefix_is_the_scenario() {
        for (file, text) in BUNDLED {
            let policy = Policy::parse(file, text, None).unwrap();
            assert_eq!(scenario_of(file), policy.scenario, "{file}");
            assert_eq!(find(link_name(file)).unwrap().0, file);
            assert_eq!(find(file).unwrap().0, file, "the .json name works too");
        }
        assert_eq!(
            find("classic-q-lagrangian").unwrap().0,
            "classic-q-lagrangian.json"
        );
        assert_eq!(find("mars-q"), None);
        assert!(
            names().starts_with("classic-q-lagrangian, classic-q,"),
            "{}",
            names()
        );
    }

    #[test]
    fn a_scenario_is_played_by_its_first_bundled_policy() {
        assert_eq!(
            for_scenario("classic").unwrap().0,
            "classic-q-lagrangian.json"
        );
        assert_eq!(
            for_scenario("enterprise").unwrap().0,
            "enterprise-q-lagrangian.json"
        );
        assert_eq!(for_scenario("multitenant"), None);
    }

    #[test]
    fn a_bundled_policys_source_names_it() {
        assert_eq!(from_source("bundled classic-q.json"), Some("classic-q"));
        assert_eq!(from_source("classic-q.json"), None);
    }
}
