//! What the three feed readers share: the import's result, one parsed item, the
//! score filter and final validation, and the per-item rules (ids, scores, class defaults).

use super::catalog::{check_score, is_valid_cve_id, CveCatalog, MIN_CVSS};
use super::{Cve, ThreatClass};
use serde_json::{Map, Value};
use std::collections::BTreeMap;
use ztgym_core::json::{
    expect_array, expect_number, expect_str, index, join, quote, require, Problem,
};

/// The result of [`import_feed`](super::import_feed): the usable entries and an account of
/// what was left out.
#[derive(Clone, Debug, PartialEq)]
pub struct FeedImport {
    /// The entries kept, in feed order.
    pub catalog: CveCatalog,
    /// How many entries were kept (equals `catalog.len()`).
    pub kept: usize,
    /// How many entries were dropped because their score is below [`MIN_CVSS`].
    pub dropped_low_score: usize,
    /// Entries dropped for lack of a score or of any known tag, each with a reason naming it.
    pub dropped_unusable: Vec<String>,
}

/// One feed entry after parsing, before the score filter.
pub(super) enum Parsed {
    Entry(Box<Cve>),
    LowScore,
    Unusable(String),
}

/// A feed's entries after parsing.
pub(super) struct ParsedFeed {
    pub(super) items: Vec<Parsed>,
    /// Where the entries live, for the "nothing usable" error.
    pub(super) whole: &'static str,
}

/// Keeps the entries at or above [`MIN_CVSS`], counts the others, and checks the catalog rules
/// on what is kept.
pub(super) fn finish(parsed: ParsedFeed) -> Result<FeedImport, Problem> {
    let mut entries = Vec::new();
    let mut dropped_low_score = 0;
    let mut dropped_unusable = Vec::new();
    for item in parsed.items {
        match item {
            Parsed::Entry(cve) => entries.push(*cve),
            Parsed::LowScore => dropped_low_score += 1,
            Parsed::Unusable(reason) => dropped_unusable.push(reason),
        }
    }
    if entries.is_empty() {
        return Err(Problem::new(
            parsed.whole,
            format!(
                "no entries with CVSS >= {MIN_CVSS} ({dropped_low_score} below the threshold, {} unusable)",
                dropped_unusable.len()
            ),
        ));
    }
    let catalog = CveCatalog::checked(entries)?;
    Ok(FeedImport {
        kept: catalog.len(),
        catalog,
        dropped_low_score,
        dropped_unusable,
    })
}

/// The ids seen so far in a feed, each with where it was first seen.
pub(super) type SeenIds = BTreeMap<String, String>;

/// Parses one item of a feed's JSON array: value, index, ids seen so far.
pub(super) type ItemParser = fn(&Value, usize, &mut SeenIds) -> Result<Parsed, Problem>;

/// The parsed items of the JSON array under `key`, ids checked for duplicates across items.
pub(super) fn parse_items(
    obj: &Map<String, Value>,
    key: &'static str,
    parse_item: ItemParser,
) -> Result<ParsedFeed, Problem> {
    let list = expect_array(require(obj, "", key)?, key)?;
    let mut seen = SeenIds::new();
    let mut items = Vec::with_capacity(list.len());
    for (i, v) in list.iter().enumerate() {
        items.push(parse_item(v, i, &mut seen)?);
    }
    Ok(ParsedFeed { items, whole: key })
}

/// The `id` member of the JSON object at `base` (the feed item at `item`): present, a
/// well-formed CVE id, and not seen before. Feed ids are compared and stored upper-case
/// (`cve-2021-44228` is accepted).
pub(super) fn item_id(
    obj: &Map<String, Value>,
    base: &str,
    item: &str,
    seen: &mut SeenIds,
) -> Result<String, Problem> {
    let path = join(base, "id");
    let raw = expect_str(require(obj, base, "id")?, &path, "the CVE id")?;
    let id = normalize_id(raw);
    if !is_valid_cve_id(&id) {
        return Err(Problem::new(
            path,
            format!("malformed CVE id {}", quote(raw)),
        ));
    }
    check_duplicate(seen, &id, item, &path)?;
    Ok(id)
}

/// An id as feeds are compared: trimmed and upper-case.
pub(super) fn normalize_id(id: &str) -> String {
    id.trim().to_ascii_uppercase()
}

/// Records an id seen at `location` and fails at `id_location` on a repeat.
pub(super) fn check_duplicate(
    seen: &mut SeenIds,
    id: &str,
    location: &str,
    id_location: &str,
) -> Result<(), Problem> {
    if let Some(first) = seen.get(id) {
        return Err(Problem::new(
            id_location,
            format!("duplicate CVE id {} (first seen at {first})", quote(id)),
        ));
    }
    seen.insert(id.to_string(), location.to_string());
    Ok(())
}

/// A JSON base score: a number in `[0, 10]`.
pub(super) fn json_score(v: &Value, path: &str) -> Result<f64, Problem> {
    let score = expect_number(v, path, "the CVSS base score")?;
    check_score(path, score)?;
    Ok(score)
}

/// The strings of the JSON array `v` at `path`, each one `what`.
pub(super) fn json_strings<'v>(
    v: &'v Value,
    path: &str,
    what: &str,
) -> Result<Vec<&'v str>, Problem> {
    let list = expect_array(v, path)?;
    let mut out = Vec::with_capacity(list.len());
    for (j, s) in list.iter().enumerate() {
        out.push(expect_str(s, &index(path, j), what)?);
    }
    Ok(out)
}

/// Default technique for imported entries: privilege escalation is T1068, anything reached
/// from outside is T1190 (Exploit Public-Facing Application).
pub(super) fn default_technique(class: ThreatClass) -> &'static str {
    match class {
        ThreatClass::PrivilegeEscalation => "T1068",
        _ => "T1190",
    }
}

/// Feeds carry no log indicators, so imported entries get a generic one for their class.
pub(super) fn default_indicators(class: ThreatClass) -> Vec<String> {
    let s = match class {
        ThreatClass::Rce => "/bin/sh -c",
        ThreatClass::AuthBypass => "admin session without login",
        ThreatClass::Injection => "%27%20OR%201%3D1",
        ThreatClass::PrivilegeEscalation => "uid=0(root)",
        ThreatClass::DataExposure => "../../etc/passwd",
    };
    vec![s.to_string()]
}

/// The message for a class name that is not one of [`ThreatClass::ALL`].
pub(super) fn unknown_class(text: &str) -> String {
    format!(
        "unknown threat class {} (expected one of rce, auth_bypass, injection, privilege_escalation, data_exposure)",
        quote(text)
    )
}

#[cfg(test)]
mod tests {
    use super::super::{is_valid_technique, FeedError};
    use super::*;

    #[test]
    fn feed_error_display() {
        let e = FeedError {
            source: "feed.json".into(),
            location: "line 7".into(),
            problem: "oops".into(),
        };
        assert_eq!(e.to_string(), "feed.json: line 7: oops");
        let boxed: Box<dyn std::error::Error> = Box::new(e);
        assert_eq!(boxed.to_string(), "feed.json: line 7: oops");
    }

    #[test]
    fn class_defaults() {
        for class in ThreatClass::ALL {
            let technique = default_technique(class);
            assert!(is_valid_technique(technique), "{technique}");
            assert_eq!(default_indicators(class).len(), 1);
        }
        assert_eq!(default_technique(ThreatClass::PrivilegeEscalation), "T1068");
        assert_eq!(normalize_id(" cve-2021-44228 "), "CVE-2021-44228");
    }
}
