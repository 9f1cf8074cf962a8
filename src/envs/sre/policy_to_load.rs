//! Which bundled policy a run loads before it starts, from its settings and the tab's policy.

use super::bundled_policies::{find, for_scenario, from_source, scenario_of};
use super::settings::{Decider, RunSettings};

/// The bundled policy a run must load before it starts, given the tab's policy (its source and
/// scenario), if any: the one the link names, unless the tab has it already; else, for the
/// `Policy` agent without a policy for the scenario, the scenario's own bundled policy. A named
/// policy of another scenario (the scenario was changed since) is not loaded.
pub fn to_load(
    settings: &RunSettings,
    tab: Option<(&str, &str)>,
) -> Option<(&'static str, &'static str)> {
    let tab_fits = tab.is_some_and(|(_, scenario)| scenario == settings.scenario);
    let named = settings
        .policy
        .as_deref()
        .filter(|name| scenario_of(name) == settings.scenario);
    match named {
        Some(name) => {
            let has_it = tab_fits && tab.and_then(|(source, _)| from_source(source)) == Some(name);
            (!has_it).then(|| find(name)).flatten()
        }
        None if settings.agent == Decider::Policy && !tab_fits => for_scenario(&settings.scenario),
        None => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_policy_to_load_is_the_named_one_or_the_scenarios_for_the_policy_agent() {
        let named = RunSettings {
            policy: Some("classic-q".into()),
            ..RunSettings::default()
        };
        assert_eq!(to_load(&named, None).unwrap().0, "classic-q.json");
        let theirs = Some(("my-file.json", "classic"));
        assert_eq!(to_load(&named, theirs).unwrap().0, "classic-q.json");
        let same = Some(("bundled classic-q.json", "classic"));
        assert_eq!(to_load(&named, same), None, "the tab has it already");
        let moved_on = RunSettings {
            scenario: "enterprise".into(),
            agent: Decider::Policy,
            ..named.clone()
        };
        assert_eq!(
            to_load(&moved_on, same).unwrap().0,
            "enterprise-q-lagrangian.json",
            "after a change of scenario, that scenario's policy"
        );

        let watch = RunSettings {
            agent: Decider::Policy,
            ..RunSettings::default()
        };
        assert_eq!(
            to_load(&watch, None).unwrap().0,
            "classic-q-lagrangian.json"
        );
        assert_eq!(
            to_load(&watch, Some(("mine.json", "enterprise")))
                .unwrap()
                .0,
            "classic-q-lagrangian.json",
            "a policy for another scenario does not play this one"
        );
        assert_eq!(to_load(&watch, theirs), None, "the tab's own policy plays");
        let none_bundled = RunSettings {
            scenario: "multitenant".into(),
            ..watch.clone()
        };
        assert_eq!(to_load(&none_bundled, None), None);
        assert_eq!(
            to_load(&RunSettings::default(), None),
            None,
            "a person plays"
        );
    }
}
