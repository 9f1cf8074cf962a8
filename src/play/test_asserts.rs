//! Assertions the environments' tests share.

use super::link_settings::LinkSettings;
use std::fmt::Debug;

/// Asserts that one of `lines` contains `needle`, showing them all when none does.
#[track_caller]
pub fn assert_some_line_has(lines: &[String], needle: &str) {
    assert!(
        lines.iter().any(|l| l.contains(needle)),
        "no line has {needle:?}: {lines:#?}"
    );
}

/// Asserts that `settings` write the link `hash` and read back from it, without a problem.
#[track_caller]
pub fn assert_link_round_trips<S: LinkSettings + Debug>(settings: S, hash: &str) {
    assert_eq!(settings.to_hash(), hash);
    assert_eq!(S::from_hash(hash), (settings, vec![]));
}
