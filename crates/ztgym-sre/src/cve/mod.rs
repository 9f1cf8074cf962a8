//! Threats from real CVEs: the built-in catalog and the import of user-supplied feeds.
//!
//! The seed gym fetched one "live" CVE with CVSS >= 7.5 at reset time; ztgym instead ships a
//! curated catalog (`data/cve-catalog.json`, embedded at build time) of real CVEs whose NVD base
//! score is at least [`MIN_CVSS`]. Each entry carries the affected product, one of five
//! [`ThreatClass`]es, a MITRE ATT&CK technique, technology tags (from [`TAG_VOCABULARY`]) that
//! scenarios match against their services, and short log indicators used to synthesize SIEM
//! alerts.
//!
//! [`import_feed`] reads a user-supplied feed in one of three formats, detected from its content:
//!
//! * an NVD CVE API 2.0 response (`{"vulnerabilities": [{"cve": {...}}]}`);
//! * a ztgym catalog (the format of the shipped file, `"format": "ztgym-cve-catalog"`);
//! * a plain-text list, one CVE per line: `CVE-ID,score,product,tag1;tag2[,class]`, with `#`
//!   comment lines and blank lines allowed.
//!
//! Entries below [`MIN_CVSS`] are dropped and counted; entries without a score or without any
//! known technology tag are dropped with a reason naming them. Anything structurally wrong
//! (bad JSON, wrong types, malformed or duplicate ids, scores outside `[0, 10]`, NaN) is a
//! [`FeedError`] whose location is a JSON path such as `vulnerabilities[3].cve.metrics` or a
//! line such as `line 7`. Array indices in JSON paths start at 0; line numbers start at 1.
//!
//! How imported entries are filled in, since feeds do not carry everything a threat needs:
//!
//! * **Score (NVD):** CVSS v3.1, else v3.0, else v4.0; within a version NVD's own metric
//!   (`source: nvd@nist.gov`), else the `Primary` one, else the first. `score_source` is `"nvd"`
//!   when NVD's metric was used and `"cna"` otherwise. (Current NVD records sometimes mark the
//!   CNA's metric `Primary` and NVD's `Secondary`, so the source, not the type, comes first.)
//! * **Tags and product (NVD):** from the CPE criteria in `configurations` (e.g.
//!   `cpe:2.3:a:apache:log4j` gives `log4j` + `java`), plus `vpn` when the description says
//!   VPN; without configurations, from whole-word keywords in the English description.
//! * **Class (NVD):** from the CWEs (78/89/94/917… injection or, without the word "inject",
//!   rce; 22/200… data exposure; 287/306/288… auth bypass; 269… privilege escalation), else
//!   from description keywords, else `rce`.
//! * **Lists:** the class defaults to `rce`, the score is taken as an NVD score.
//! * **All formats:** unknown tags are ignored when at least one tag is known; the technique
//!   defaults to T1068 for privilege escalation and T1190 otherwise; entries without
//!   indicators get one generic indicator for their class.
//!
//! Everything here is deterministic: entries keep their order from the file, and no function
//! panics on any input.
//!
//! Where the code is: `catalog.rs` holds what an entry is and the rules it obeys; each feed
//! format has its reader (`catalog_file.rs`, `nvd.rs`, `list.rs`), sharing `feed.rs` (the
//! import's result and error, ids, defaults) and `tags.rs` (the vocabulary, and the rules that
//! map CPE names and descriptions to tags). The readers report every problem at its JSON path
//! through `ztgym_core::json`.

mod catalog;
mod catalog_file;
mod error;
mod feed;
mod list;
mod nvd;
mod tags;

pub use catalog::{is_valid_cve_id, is_valid_technique, Cve, CveCatalog, ThreatClass, MIN_CVSS};
pub use catalog_file::{CATALOG_FORMAT, CATALOG_VERSION};
pub use error::FeedError;
pub use feed::FeedImport;
pub use tags::{is_known_tag, PLATFORM_TAGS, TAG_VOCABULARY};

use feed::ParsedFeed;
use serde_json::Value;
use std::sync::OnceLock;
use ztgym_core::json::{show, Problem};

static BUILTIN: OnceLock<CveCatalog> = OnceLock::new();
const BUILTIN_TEXT: &str = include_str!("../../data/cve-catalog.json");

impl CveCatalog {
    /// The catalog shipped with ztgym, parsed once and cached.
    pub fn builtin() -> &'static CveCatalog {
        BUILTIN.get_or_init(|| match import_feed("built-in catalog", BUILTIN_TEXT) {
            // The shipped file is data of this crate, not user input; a unit test checks that
            // it parses with nothing dropped, so this arm is unreachable in a tested build.
            Ok(import) => import.catalog,
            Err(e) => panic!("the embedded CVE catalog is invalid: {e}"),
        })
    }
}

/// Reads a feed, auto-detecting its format (see the module documentation), and keeps the
/// entries with a CVSS base score of at least [`MIN_CVSS`]. `name` is used in error messages.
pub fn import_feed(name: &str, text: &str) -> Result<FeedImport, FeedError> {
    read(text)
        .and_then(feed::finish)
        .map_err(|problem| FeedError::new(name, problem))
}

/// Parses every entry of a feed in whichever format it is.
fn read(text: &str) -> Result<ParsedFeed, Problem> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let trimmed = text.trim_start();
    if trimmed.is_empty() {
        return Err(Problem::new("file", "the file is empty"));
    }
    if trimmed.starts_with('{') || trimmed.starts_with('[') {
        read_json(text)
    } else {
        list::parse(text)
    }
}

/// An NVD response has `vulnerabilities`; a ztgym catalog has `format` or `entries`.
fn read_json(text: &str) -> Result<ParsedFeed, Problem> {
    ztgym_core::json::refuse_duplicate_keys(text)?;
    let root: Value = serde_json::from_str(text).map_err(|e| syntax_problem(&e))?;
    let Some(obj) = root.as_object() else {
        return Err(Problem::new(
            "$",
            format!(
                "expected a JSON object (an NVD CVE API 2.0 response or a ztgym catalog), found {}",
                show(&root)
            ),
        ));
    };
    if obj.contains_key("vulnerabilities") {
        nvd::parse(obj)
    } else if obj.contains_key("format") || obj.contains_key("entries") {
        catalog_file::parse(obj)
    } else {
        Err(Problem::new(
            "$",
            "JSON is neither an NVD CVE API 2.0 feed (no \"vulnerabilities\" array) nor a ztgym catalog (no \"format\": \"ztgym-cve-catalog\")",
        ))
    }
}

/// Turns a serde_json syntax error into "line L, column C" and a message without position.
fn syntax_problem(e: &serde_json::Error) -> Problem {
    let location = format!("line {}, column {}", e.line(), e.column());
    let full = e.to_string();
    let suffix = format!(" at line {} column {}", e.line(), e.column());
    let message = full.strip_suffix(&suffix).unwrap_or(&full);
    let problem = if e.is_eof() {
        format!("truncated JSON: {message}")
    } else {
        format!("malformed JSON: {message}")
    };
    Problem::new(location, problem)
}

/// What the readers' tests share: the fixtures and the two ways an import ends.
#[cfg(test)]
mod testing {
    use super::{import_feed, FeedError, FeedImport};

    pub(super) const NVD_SAMPLE: &str = include_str!("../../tests/fixtures/feeds/nvd-sample.json");
    pub(super) const NVD_TRUNCATED: &str =
        include_str!("../../tests/fixtures/feeds/nvd-truncated.json");
    pub(super) const LIST_SAMPLE: &str = include_str!("../../tests/fixtures/feeds/list-sample.txt");
    pub(super) const LIST_BAD: &str = include_str!("../../tests/fixtures/feeds/list-bad.txt");
    pub(super) const CATALOG_SMALL: &str =
        include_str!("../../tests/fixtures/feeds/catalog-small.json");

    pub(super) fn err_of(name: &str, text: &str) -> FeedError {
        match import_feed(name, text) {
            Ok(import) => panic!("expected an error, got {} entries", import.kept),
            Err(e) => e,
        }
    }

    pub(super) fn ok_of(name: &str, text: &str) -> FeedImport {
        match import_feed(name, text) {
            Ok(import) => import,
            Err(e) => panic!("unexpected error: {e}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::testing::{err_of, LIST_SAMPLE, NVD_SAMPLE, NVD_TRUNCATED};
    use super::*;

    // --- detection and JSON syntax -----------------------------------------------------------

    #[test]
    fn nvd_truncated_reports_line_and_column() {
        let e = err_of("nvd-truncated.json", NVD_TRUNCATED);
        assert_eq!(e.source, "nvd-truncated.json");
        assert_eq!(e.location, "line 229, column 69");
        assert_eq!(e.problem, "truncated JSON: EOF while parsing a string");
    }

    #[test]
    fn nvd_malformed_json_reports_position() {
        let e = err_of("f", "{\"vulnerabilities\": [1,]}");
        assert_eq!(e.location, "line 1, column 24");
        assert_eq!(e.problem, "malformed JSON: trailing comma");
    }

    #[test]
    fn json_of_unknown_shape_is_an_error() {
        let e = err_of("f", "[1, 2]");
        assert_eq!(e.location, "$");
        assert!(e.problem.starts_with("expected a JSON object"), "{e}");
        let e = err_of("f", "{\"hello\": 1}");
        assert_eq!(e.location, "$");
        assert!(e.problem.starts_with("JSON is neither an NVD"), "{e}");
    }

    // --- robustness ------------------------------------------------------------------------------

    #[test]
    fn no_panic_on_odd_inputs() {
        let inputs = [
            "{",
            "[",
            "}",
            "{\"vulnerabilities\":null}",
            "{\"vulnerabilities\":[{\"cve\":{\"id\":\"CVE-2024-0001\",\"metrics\":{\"cvssMetricV31\":[]}}}]}",
            "{\"vulnerabilities\":[{\"cve\":{\"id\":\"CVE-2024-0001\",\"configurations\":[{\"nodes\":[{\"cpeMatch\":[{\"criteria\":\"cpe\"}]}]}]}}]}",
            "{\"format\":\"ztgym-cve-catalog\",\"version\":1,\"entries\":[null, 1, \"x\"]}",
            "CVE-",
            "CVE-2021-44228,,,,",
            "CVE-2021-44228,9.8,é,linux;;;,",
            "\u{feff}",
            "CVE-2021-44228,1e400,x,linux",
            "{\"vulnerabilities\":[{\"cve\":{\"id\":\"CVE-2024-0001\",\"descriptions\":[{\"lang\":\"en\",\"value\":\"éé vpn ßß\"}],\"metrics\":{\"cvssMetricV31\":[{\"cvssData\":{\"baseScore\":1e308}}]}}}]}",
        ];
        for text in inputs {
            let _ = import_feed("odd", text);
        }
        let deep = "[".repeat(10_000);
        assert!(import_feed("deep", &deep).is_err());
        let long = format!("CVE-2021-44228,{}x,x,linux", "9".repeat(500));
        let e = err_of("long", &long);
        assert!(e.problem.ends_with("…\""), "{e}");
    }

    #[test]
    fn import_is_deterministic() {
        assert_eq!(import_feed("a", NVD_SAMPLE), import_feed("a", NVD_SAMPLE));
        assert_eq!(import_feed("a", LIST_SAMPLE), import_feed("a", LIST_SAMPLE));
    }
}
