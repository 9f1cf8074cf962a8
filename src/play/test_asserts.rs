//! Assertions the environments' tests share.

/// Asserts that one of `lines` contains `needle`, showing them all when none does.
#[track_caller]
pub fn assert_some_line_has(lines: &[String], needle: &str) {
    assert!(
        lines.iter().any(|l| l.contains(needle)),
        "no line has {needle:?}: {lines:#?}"
    );
}
