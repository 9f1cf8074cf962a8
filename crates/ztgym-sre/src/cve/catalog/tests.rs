//! Tests of `catalog.rs`.

use super::super::testing::ok_of;
use super::super::{CATALOG_FORMAT, CATALOG_VERSION, TAG_VOCABULARY};
use super::*;
use crate::cve::BUILTIN_TEXT;
use serde_json::Value;

fn sample_cve() -> Cve {
    Cve {
        id: "CVE-2021-44228".into(),
        cvss: 10.0,
        score_source: "nvd".into(),
        product: "Apache Log4j 2".into(),
        name: Some("Log4Shell".into()),
        class: ThreatClass::Rce,
        technique: "T1190".into(),
        tags: vec!["java".into(), "log4j".into()],
        indicators: vec!["${jndi:ldap://".into()],
    }
}

// --- the shipped catalog -----------------------------------------------------------------

#[test]
fn builtin_parses_with_nothing_dropped() {
    let import = ok_of("built-in catalog", BUILTIN_TEXT);
    assert_eq!(import.dropped_low_score, 0);
    assert!(
        import.dropped_unusable.is_empty(),
        "{:?}",
        import.dropped_unusable
    );
    let raw: Value = serde_json::from_str(BUILTIN_TEXT).unwrap();
    let in_file = raw["entries"].as_array().unwrap().len();
    assert_eq!(import.kept, in_file);
    assert_eq!(CveCatalog::builtin().len(), in_file);
    assert!(CveCatalog::builtin().len() >= 44);
}

#[test]
fn builtin_entries_follow_the_rules() {
    let cat = CveCatalog::builtin();
    let mut ids = std::collections::BTreeSet::new();
    for c in cat.entries() {
        assert!(is_valid_cve_id(&c.id), "{}", c.id);
        assert!(ids.insert(c.id.clone()), "duplicate {}", c.id);
        assert!((MIN_CVSS..=10.0).contains(&c.cvss), "{} {}", c.id, c.cvss);
        assert!(
            c.score_source == "nvd" || c.score_source == "cna",
            "{}",
            c.id
        );
        assert!(!c.product.trim().is_empty(), "{}", c.id);
        assert!(is_valid_technique(&c.technique), "{} {}", c.id, c.technique);
        assert!(!c.tags.is_empty(), "{}", c.id);
        assert!(
            c.tags.iter().all(|t| is_known_tag(t)),
            "{} {:?}",
            c.id,
            c.tags
        );
        assert!((1..=3).contains(&c.indicators.len()), "{}", c.id);
        assert!(
            c.indicators.iter().all(|s| !s.trim().is_empty()),
            "{}",
            c.id
        );
        if let Some(name) = &c.name {
            assert!(!name.trim().is_empty(), "{}", c.id);
        }
    }
}

#[test]
fn builtin_covers_every_class_at_least_five_times() {
    let cat = CveCatalog::builtin();
    for class in ThreatClass::ALL {
        let n = cat.by_class(class).count();
        assert!(n >= 5, "{class} has only {n} entries");
    }
}

#[test]
fn builtin_covers_every_tag_and_the_core_tags_three_times() {
    let cat = CveCatalog::builtin();
    let count = |tag: &str| {
        cat.entries()
            .iter()
            .filter(|c| c.tags.iter().any(|t| t == tag))
            .count()
    };
    for tag in TAG_VOCABULARY {
        assert!(count(tag) >= 1, "tag {tag} is not covered");
    }
    for tag in [
        "linux",
        "java",
        "nginx",
        "postgres",
        "nodejs",
        "kubernetes",
        "vpn",
        "active-directory",
        "windows",
        "python",
    ] {
        assert!(count(tag) >= 3, "tag {tag} has only {} entries", count(tag));
    }
}

#[test]
fn builtin_keeps_file_order_and_is_cached() {
    let cat = CveCatalog::builtin();
    assert_eq!(cat.entries()[0].id, "CVE-2021-44228");
    assert!(std::ptr::eq(cat, CveCatalog::builtin()));
    let raw: Value = serde_json::from_str(BUILTIN_TEXT).unwrap();
    let file_ids: Vec<&str> = raw["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["id"].as_str().unwrap())
        .collect();
    let ids: Vec<&str> = cat.entries().iter().map(|c| c.id.as_str()).collect();
    assert_eq!(ids, file_ids);
}

#[test]
fn builtin_spot_checks() {
    let cat = CveCatalog::builtin();
    let log4shell = cat.get("CVE-2021-44228").unwrap();
    assert_eq!(log4shell.cvss, 10.0);
    assert_eq!(log4shell.name.as_deref(), Some("Log4Shell"));
    assert_eq!(log4shell.class, ThreatClass::Rce);
    let bleed = cat.get("CVE-2023-4966").unwrap();
    assert_eq!(bleed.cvss, 7.5);
    assert_eq!(bleed.class, ThreatClass::DataExposure);
    assert!(cat.get("CVE-1999-0001").is_none());
}

#[test]
fn builtin_file_format_header() {
    let raw: Value = serde_json::from_str(BUILTIN_TEXT).unwrap();
    assert_eq!(raw["format"], CATALOG_FORMAT);
    assert_eq!(raw["version"], CATALOG_VERSION);
}

// --- ThreatClass and catalog API -----------------------------------------------------------

#[test]
fn threat_class_names_and_indices() {
    for (i, class) in ThreatClass::ALL.into_iter().enumerate() {
        assert_eq!(class.index(), i);
        assert_eq!(ThreatClass::from_name(class.as_str()), Some(class));
        let json = serde_json::to_string(&class).unwrap();
        assert_eq!(json, format!("\"{}\"", class.as_str()));
        let back: ThreatClass = serde_json::from_str(&json).unwrap();
        assert_eq!(back, class);
        assert_eq!(class.to_string(), class.as_str());
    }
    assert_eq!(ThreatClass::from_name("RCE"), None);
    assert_eq!(
        ThreatClass::PrivilegeEscalation.as_str(),
        "privilege_escalation"
    );
}

#[test]
fn matching_returns_entries_sharing_a_tag_in_order() {
    let cat = CveCatalog::builtin();
    let hits: Vec<&Cve> = cat.matching(&["postgres"]).collect();
    assert!(hits.len() >= 3);
    assert!(hits.iter().all(|c| c.tags.iter().any(|t| t == "postgres")));
    let both: Vec<&str> = cat
        .matching(&["redis", "grafana"])
        .map(|c| c.id.as_str())
        .collect();
    assert_eq!(both, ["CVE-2022-0543", "CVE-2021-43798"]);
    assert_eq!(cat.matching(&[]).count(), 0);
    assert_eq!(cat.matching(&["cobol"]).count(), 0);
}

#[test]
fn cve_serde_round_trip() {
    let cve = sample_cve();
    let json = serde_json::to_string(&cve).unwrap();
    assert!(json.contains("\"class\":\"rce\""));
    let back: Cve = serde_json::from_str(&json).unwrap();
    assert_eq!(back, cve);
}

#[test]
fn from_entries_accepts_a_valid_list() {
    let cat = CveCatalog::from_entries(vec![sample_cve()]).unwrap();
    assert_eq!(cat.len(), 1);
    assert!(!cat.is_empty());
    assert_eq!(cat.get("CVE-2021-44228").unwrap().product, "Apache Log4j 2");
}

#[test]
fn from_entries_rejects_each_broken_rule() {
    let check = |mutate: &dyn Fn(&mut Vec<Cve>), location: &str, problem: &str| {
        let mut entries = vec![sample_cve()];
        mutate(&mut entries);
        let e = CveCatalog::from_entries(entries).unwrap_err();
        assert_eq!(e.source, "catalog");
        assert_eq!(e.location, location, "{e}");
        assert_eq!(e.problem, problem, "{e}");
    };
    check(&|v| v.clear(), "entries", "the catalog has no entries");
    check(
        &|v| v[0].id = "CVE-21-1".into(),
        "entries[0].id",
        "malformed CVE id \"CVE-21-1\"",
    );
    check(
        &|v| v.push(v[0].clone()),
        "entries[1].id",
        "duplicate CVE id \"CVE-2021-44228\" (first at entries[0])",
    );
    check(
        &|v| v[0].cvss = f64::NAN,
        "entries[0].cvss",
        "the CVSS base score is not a number (NaN)",
    );
    check(
        &|v| v[0].cvss = 10.5,
        "entries[0].cvss",
        "CVSS base score 10.5 is outside [0, 10]",
    );
    check(
        &|v| v[0].cvss = 5.0,
        "entries[0].cvss",
        "CVSS 5 is below the threshold 7.5",
    );
    check(
        &|v| v[0].score_source = "vendor".into(),
        "entries[0].score_source",
        "expected \"nvd\" or \"cna\", found \"vendor\"",
    );
    check(
        &|v| v[0].product = " ".into(),
        "entries[0].product",
        "the product is empty",
    );
    check(
        &|v| v[0].technique = "X1190".into(),
        "entries[0].technique",
        "malformed ATT&CK technique id \"X1190\"",
    );
    check(
        &|v| v[0].tags.clear(),
        "entries[0].tags",
        "no technology tags",
    );
    check(
        &|v| v[0].tags.push("cobol".into()),
        "entries[0].tags[2]",
        "unknown technology tag \"cobol\"",
    );
    check(
        &|v| v[0].tags.push("java".into()),
        "entries[0].tags[2]",
        "duplicate tag \"java\"",
    );
    check(
        &|v| v[0].indicators.clear(),
        "entries[0].indicators",
        "expected 1 to 3 indicators, found 0",
    );
    check(
        &|v| v[0].indicators = vec!["a".into(); 4],
        "entries[0].indicators",
        "expected 1 to 3 indicators, found 4",
    );
    check(
        &|v| v[0].indicators = vec![" ".into()],
        "entries[0].indicators[0]",
        "the indicator is empty",
    );
}

#[test]
fn id_and_technique_shapes() {
    assert!(is_valid_cve_id("CVE-2021-44228"));
    assert!(is_valid_cve_id("CVE-2018-1002105"));
    assert!(is_valid_cve_id("CVE-2014-0160"));
    for bad in [
        "CVE-21-1",
        "CVE-2021-123",
        "cve-2021-44228",
        "CVE-2021-4422x",
        "CVE-20211-4422",
        "CVE-2021",
        "",
    ] {
        assert!(!is_valid_cve_id(bad), "{bad}");
    }
    assert!(is_valid_technique("T1190"));
    assert!(is_valid_technique("T1505.003"));
    for bad in ["T119", "T1505.3", "t1190", "T1190.", "1190"] {
        assert!(!is_valid_technique(bad), "{bad}");
    }
}
