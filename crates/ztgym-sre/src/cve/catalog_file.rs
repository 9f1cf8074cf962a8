//! Reading a ztgym catalog (`"format": "ztgym-cve-catalog"`, the format of the shipped
//! `data/cve-catalog.json`): the entries as the catalog writes them, with defaults for the
//! optional `score_source`, `name`, `technique` and `indicators`.

use super::catalog::{check_indicators, check_score_source, check_technique, MIN_CVSS};
use super::feed::{
    default_indicators, default_technique, item_id, json_score, json_strings, parse_items,
    unknown_class, Parsed, ParsedFeed, SeenIds,
};
use super::tags::split_tags;
use super::{Cve, ThreatClass};
use serde_json::{Map, Value};
use ztgym_core::json::{
    expect_object, expect_str, index, join, member, quote, require, show, Problem,
};

/// The `format` value of a ztgym catalog file.
pub const CATALOG_FORMAT: &str = "ztgym-cve-catalog";

/// The catalog file version this build reads and ships.
pub const CATALOG_VERSION: u64 = 1;

/// Reads a catalog's header (format and version) and its `entries`.
pub(super) fn parse(obj: &Map<String, Value>) -> Result<ParsedFeed, Problem> {
    let format = expect_str(require(obj, "", "format")?, "format", "the catalog format")?;
    if format != CATALOG_FORMAT {
        return Err(Problem::new(
            "format",
            format!("expected \"{CATALOG_FORMAT}\", found {}", quote(format)),
        ));
    }
    let version = require(obj, "", "version")?;
    if version.as_u64() != Some(CATALOG_VERSION) {
        let found = match version {
            Value::Number(n) => n.to_string(),
            other => show(other),
        };
        return Err(Problem::new(
            "version",
            format!(
                "unsupported catalog version {found} (this build reads version {CATALOG_VERSION})"
            ),
        ));
    }
    parse_items(obj, "entries", parse_entry)
}

fn parse_entry(v: &Value, i: usize, seen: &mut SeenIds) -> Result<Parsed, Problem> {
    let here = index("entries", i);
    let at = |f: &str| join(&here, f);
    let e = expect_object(v, &here)?;

    let id = item_id(e, &here, &here, seen)?;

    let Some(score) = member(e, "cvss") else {
        return Ok(Parsed::Unusable(format!(
            "{id} ({here}): no CVSS base score"
        )));
    };
    let cvss = json_score(score, &at("cvss"))?;

    let score_source = match member(e, "score_source") {
        Some(v) => expect_str(v, &at("score_source"), "the score source")?.to_string(),
        None => "nvd".to_string(),
    };
    check_score_source(&at("score_source"), &score_source)?;
    let product = expect_str(require(e, &here, "product")?, &at("product"), "the product")?
        .trim()
        .to_string();
    if product.is_empty() {
        return Err(Problem::new(at("product"), "the product is empty"));
    }
    let name = match member(e, "name") {
        Some(v) => Some(expect_str(v, &at("name"), "the name")?.to_string()),
        None => None,
    };
    let class_text = expect_str(
        require(e, &here, "class")?,
        &at("class"),
        "the threat class",
    )?;
    let class = ThreatClass::from_name(class_text)
        .ok_or_else(|| Problem::new(at("class"), unknown_class(class_text)))?;
    let technique = match member(e, "technique") {
        Some(v) => expect_str(v, &at("technique"), "the ATT&CK technique")?.to_string(),
        None => default_technique(class).to_string(),
    };
    check_technique(&at("technique"), &technique)?;
    let tag_texts = json_strings(require(e, &here, "tags")?, &at("tags"), "a tag")?;
    let indicators: Vec<String> = match member(e, "indicators") {
        Some(v) => json_strings(v, &at("indicators"), "an indicator")?
            .into_iter()
            .map(str::to_string)
            .collect(),
        None => Vec::new(),
    };
    let indicators = if indicators.is_empty() {
        default_indicators(class)
    } else {
        check_indicators(&at("indicators"), &indicators)?;
        indicators
    };

    if cvss < MIN_CVSS {
        return Ok(Parsed::LowScore);
    }
    let (tags, unknown) = split_tags(tag_texts);
    if tags.is_empty() {
        return Ok(Parsed::Unusable(format!(
            "{id} ({here}): no known technology tag among {}",
            quote(&unknown.join(";"))
        )));
    }
    Ok(Parsed::Entry(Box::new(Cve {
        id,
        cvss,
        score_source,
        product,
        name,
        class,
        technique,
        tags,
        indicators,
    })))
}

#[cfg(test)]
mod tests {
    use super::super::testing::{err_of, ok_of, CATALOG_SMALL};
    use super::super::CveCatalog;

    #[test]
    fn catalog_fixture_imports() {
        let import = ok_of("catalog-small.json", CATALOG_SMALL);
        assert_eq!(import.kept, 2);
        assert_eq!(import.dropped_low_score, 1);
        assert_eq!(
            import.dropped_unusable,
            ["CVE-2024-9999 (entries[3]): no known technology tag among \"cobol;mainframe\""]
        );
        let c = import.catalog.get("CVE-2021-44228").unwrap();
        assert_eq!(c, CveCatalog::builtin().get("CVE-2021-44228").unwrap());
        // Missing technique and indicators get class defaults; a missing source means NVD.
        let g = import.catalog.get("CVE-2023-22515").unwrap();
        assert_eq!(g.technique, "T1190");
        assert_eq!(g.indicators, ["admin session without login"]);
        assert_eq!(g.score_source, "nvd");
    }

    #[test]
    fn catalog_errors_name_the_field() {
        let entry = |body: &str| {
            format!("{{\"format\":\"ztgym-cve-catalog\",\"version\":1,\"entries\":[{{{body}}}]}}")
        };
        let base = r#""id":"CVE-2021-44228","product":"Log4j","class":"rce","tags":["java"]"#;
        let cases: Vec<(String, &str, &str)> = vec![
            (
                "{\"format\":\"other\",\"version\":1,\"entries\":[]}".into(),
                "format",
                "expected \"ztgym-cve-catalog\", found \"other\"",
            ),
            (
                "{\"format\":\"ztgym-cve-catalog\",\"version\":2,\"entries\":[]}".into(),
                "version",
                "unsupported catalog version 2 (this build reads version 1)",
            ),
            ("{\"format\":\"ztgym-cve-catalog\",\"version\":1}".into(), "entries", "missing field \"entries\""),
            (
                entry(&format!("{base},\"cvss\":\"high\"")),
                "entries[0].cvss",
                "expected a number for the CVSS base score, found \"high\"",
            ),
            (
                entry(r#""id":"CVE-21-1","cvss":9.0,"product":"x","class":"rce","tags":["java"]"#),
                "entries[0].id",
                "malformed CVE id \"CVE-21-1\"",
            ),
            (
                entry(&format!("{base},\"cvss\":9.0,\"class\":\"worm\"").replace("\"class\":\"rce\",", "")),
                "entries[0].class",
                "unknown threat class \"worm\" (expected one of rce, auth_bypass, injection, privilege_escalation, data_exposure)",
            ),
            (
                entry(&format!("{base},\"cvss\":9.0,\"technique\":\"T19\"")),
                "entries[0].technique",
                "malformed ATT&CK technique id \"T19\"",
            ),
            (
                entry(&format!("{base},\"cvss\":9.0,\"indicators\":[\"a\",\"b\",\"c\",\"d\"]")),
                "entries[0].indicators",
                "expected 1 to 3 indicators, found 4",
            ),
            (
                entry(&format!("{base},\"cvss\":9.0,\"score_source\":\"vendor\"")),
                "entries[0].score_source",
                "expected \"nvd\" or \"cna\", found \"vendor\"",
            ),
            (entry(&format!("{base},\"cvss\":-1")), "entries[0].cvss", "CVSS base score -1 is outside [0, 10]"),
            (
                entry(&format!("{base},\"cvss\":9.0,\"tags\":\"java\"").replace("\"tags\":[\"java\"],", "")),
                "entries[0].tags",
                "expected an array, found \"java\"",
            ),
        ];
        for (text, location, problem) in cases {
            let e = err_of("cat.json", &text);
            assert_eq!(
                (e.location.as_str(), e.problem.as_str()),
                (location, problem),
                "{text}"
            );
        }
    }

    #[test]
    fn catalog_duplicate_ids_are_an_error() {
        let one =
            r#"{"id":"CVE-2021-44228","cvss":10.0,"product":"x","class":"rce","tags":["java"]}"#;
        let text =
            format!("{{\"format\":\"ztgym-cve-catalog\",\"version\":1,\"entries\":[{one},{one}]}}");
        let e = err_of("cat.json", &text);
        assert_eq!(e.location, "entries[1].id");
        assert_eq!(
            e.problem,
            "duplicate CVE id \"CVE-2021-44228\" (first seen at entries[0])"
        );
    }
}
