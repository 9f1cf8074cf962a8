//! Policies shipped with the page (`assets/policies/`), for any environment: the Learned policy
//! panel and the arena offer those of the scenario on screen, and the first of them plays the
//! `Policy` agent in a browser that keeps no policy for the scenario, so a link asking for
//! `agent=policy` plays a trained agent anywhere.

use super::adapters::PageAdapter;
use super::policy_store::{LoadedPolicyOf, TabPolicyOf};

/// How a bundled policy's source starts, so the Bundled control can show which one is loaded
/// (and a file of the same name chosen from disk is not mistaken for it), and a link can name
/// the bundled policy a tab's came from.
pub const BUNDLED_SOURCE: &str = "bundled ";

/// Whether bundled `file` was trained on `scenario`: its name starts with the scenario's
/// (`classic-q.json`), which `policy_store`'s tests hold them to; no parsing needed.
fn trained_on(file: &str, scenario: &str) -> bool {
    file.strip_prefix(scenario)
        .is_some_and(|rest| rest.starts_with('-'))
}

/// The policies of `bundled` trained on `scenario`.
pub fn bundled_for(bundled: &[(&'static str, &'static str)], scenario: &str) -> Vec<&'static str> {
    (bundled.iter())
        .map(|(name, _)| *name)
        .filter(|name| trained_on(name, scenario))
        .collect()
}

/// The first policy of `bundled` trained on `scenario` (its file name and text): the one that
/// plays it by default.
pub fn first_for(
    bundled: &[(&'static str, &'static str)],
    scenario: &str,
) -> Option<(&'static str, &'static str)> {
    bundled
        .iter()
        .copied()
        .find(|(name, _)| trained_on(name, scenario))
}

/// Makes bundled `file` (`text`) the tab's policy for this visit, its source saying it is
/// bundled; `None` if it does not read for `scenario`.
pub fn show_bundled<A: PageAdapter>(
    tab: TabPolicyOf<A>,
    (file, text): (&str, &str),
    scenario: &str,
) -> Option<()> {
    let mut loaded = LoadedPolicyOf::<A>::from_file(file, text, scenario).ok()?;
    loaded.source = format!("{BUNDLED_SOURCE}{file}");
    tab.show(loaded);
    Some(())
}

/// What the person is told when bundled `file` plays for want of a policy for `scenario` kept
/// in the browser.
pub fn stood_in_notice(scenario: &str, file: &str) -> String {
    format!(
        "No policy for {scenario} is kept in this browser: the one bundled with the page \
         ({file}) plays."
    )
}

/// Makes the first bundled policy of `scenario` the tab's for this visit when the tab holds
/// none for it and the browser keeps none for it either (what an earlier visit kept stays
/// kept). Returns what to tell the person, or nothing when the tab's own policy plays or none
/// is bundled for the scenario.
pub fn stand_in<A: PageAdapter>(
    tab: TabPolicyOf<A>,
    bundled: &[(&'static str, &'static str)],
    scenario: &str,
) -> Option<String> {
    let holds_one = tab
        .source_and_scenario()
        .is_some_and(|(_, trained_on)| trained_on == scenario);
    if holds_one || tab.show_kept_for(scenario) {
        return None;
    }
    let (file, text) = first_for(bundled, scenario)?;
    show_bundled(tab, (file, text), scenario)?;
    Some(stood_in_notice(scenario, file))
}
