//! Policies shipped with the page (`assets/policies/`), for any environment: the Learned policy
//! panel and the arena offer those of the scenario on screen, and the first of them plays the
//! `Policy` agent in a browser that keeps no policy for the scenario, so a link asking for
//! `agent=policy` plays a trained agent anywhere.

use super::adapters::PageAdapter;
use super::policy_store::{LoadedPolicyOf, TabPolicyOf};

/// How a bundled policy's source starts, so the Bundled control can show which one is loaded
/// (and a file of the same name chosen from disk is not mistaken for it). Links naming a bundled
/// policy load it under the same source (`envs::sre::bundled_policies::SOURCE_PREFIX`).
pub const BUNDLED_SOURCE: &str = "bundled ";

/// The policies of `bundled` trained on `scenario`. Their file names start with the scenario's
/// (`classic-q.json`), which `policy_store`'s tests hold them to; no parsing needed.
pub fn bundled_for(bundled: &[(&'static str, &'static str)], scenario: &str) -> Vec<&'static str> {
    bundled
        .iter()
        .map(|(name, _)| *name)
        .filter(|name| {
            name.strip_prefix(scenario)
                .is_some_and(|rest| rest.starts_with('-'))
        })
        .collect()
}

/// Makes the first bundled policy of `scenario` the tab's for this visit when the tab holds
/// none for it and the browser keeps none for it either (what an earlier visit kept stays
/// kept). Returns what to tell the person, or
/// nothing when the tab's own policy plays or none is bundled for the scenario.
pub fn stand_in<A: PageAdapter>(
    tab: TabPolicyOf<A>,
    bundled: &'static [(&'static str, &'static str)],
    scenario: &str,
) -> Option<String> {
    let holds_one = tab
        .source_and_scenario()
        .is_some_and(|(_, trained_on)| trained_on == scenario);
    if holds_one || tab.show_kept_for(scenario) {
        return None;
    }
    let file = *bundled_for(bundled, scenario).first()?;
    let (_, text) = bundled.iter().find(|(name, _)| *name == file)?;
    let mut loaded = LoadedPolicyOf::<A>::from_file(file, text, scenario).ok()?;
    loaded.source = format!("{BUNDLED_SOURCE}{file}");
    tab.show(loaded);
    Some(format!(
        "No policy for {scenario} is kept in this browser: the one bundled with the page \
         ({file}) plays."
    ))
}
