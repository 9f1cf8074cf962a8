//! Tests of `nvd.rs`.

use super::super::testing::{err_of, ok_of, NVD_SAMPLE};
use super::*;

/// A one-entry NVD feed around the given `cve` object body.
fn nvd_one(cve_body: &str) -> String {
    format!("{{\"vulnerabilities\":[{{\"cve\":{{{cve_body}}}}}]}}")
}

#[test]
fn nvd_sample_keeps_drops_and_explains() {
    let import = ok_of("nvd-sample.json", NVD_SAMPLE);
    let ids: Vec<&str> = import
        .catalog
        .entries()
        .iter()
        .map(|c| c.id.as_str())
        .collect();
    assert_eq!(ids, ["CVE-2021-44228", "CVE-2023-4966", "CVE-2024-3400"]);
    assert_eq!(import.kept, 3);
    assert_eq!(import.dropped_low_score, 1);
    assert_eq!(
        import.dropped_unusable,
        ["CVE-2025-0282 (vulnerabilities[4]): no CVSS v3.1, v3.0 or v4.0 base score in cve.metrics"]
    );
}

#[test]
fn nvd_log4shell_from_cpe_and_cwe() {
    let import = ok_of("nvd-sample.json", NVD_SAMPLE);
    let c = import.catalog.get("CVE-2021-44228").unwrap();
    assert_eq!(c.cvss, 10.0);
    assert_eq!(c.score_source, "nvd");
    assert_eq!(c.tags, ["log4j", "java"]);
    assert_eq!(c.product, "Apache Log4j");
    // CWE-917 without the word "inject" in the text reads as code execution.
    assert_eq!(c.class, ThreatClass::Rce);
    assert_eq!(c.technique, "T1190");
    assert_eq!(c.name, None);
    assert_eq!(c.indicators.len(), 1);
}

#[test]
fn nvd_prefers_nvd_metric_over_cna_primary() {
    // Citrix Bleed: the CNA says 9.4, NVD says 7.5; NVD's own score wins.
    let import = ok_of("nvd-sample.json", NVD_SAMPLE);
    let c = import.catalog.get("CVE-2023-4966").unwrap();
    assert_eq!(c.cvss, 7.5);
    assert_eq!(c.score_source, "nvd");
    assert_eq!(c.tags, ["citrix", "vpn"]);
    assert_eq!(c.class, ThreatClass::DataExposure);
}

#[test]
fn nvd_cna_only_and_description_tags() {
    // PAN-OS: awaiting analysis, so only the CNA score and no configurations.
    let import = ok_of("nvd-sample.json", NVD_SAMPLE);
    let c = import.catalog.get("CVE-2024-3400").unwrap();
    assert_eq!(c.cvss, 10.0);
    assert_eq!(c.score_source, "cna");
    assert_eq!(c.tags, ["panos", "vpn"]);
    assert_eq!(c.class, ThreatClass::Injection);
    assert!(c.product.starts_with("A command injection vulnerability"));
}

#[test]
fn nvd_primary_before_secondary_without_nvd_metric() {
    let feed = nvd_one(
        r#""id":"CVE-2024-0001","metrics":{"cvssMetricV31":[
            {"source":"a@cna.example","type":"Secondary","cvssData":{"baseScore":7.0}},
            {"source":"b@cna.example","type":"Primary","cvssData":{"baseScore":8.5}}]},
           "configurations":[{"nodes":[{"cpeMatch":[{"vulnerable":true,"criteria":"cpe:2.3:a:redis:redis:7.0:*:*:*:*:*:*:*"}]}]}]"#,
    );
    let c = ok_of("f", &feed).catalog.entries()[0].clone();
    assert_eq!(c.cvss, 8.5);
    assert_eq!(c.score_source, "cna");
    assert_eq!(c.tags, ["redis"]);
    assert_eq!(c.product, "Redis");
}

#[test]
fn nvd_version_order_v31_then_v30_then_v40() {
    let metrics = |body: &str| {
        nvd_one(&format!(
            r#""id":"CVE-2024-0002","descriptions":[{{"lang":"en","value":"Flaw in nginx."}}],"metrics":{{{body}}}"#
        ))
    };
    let v30_v40 = metrics(
        r#""cvssMetricV40":[{"source":"nvd@nist.gov","type":"Primary","cvssData":{"baseScore":9.3}}],
           "cvssMetricV30":[{"source":"nvd@nist.gov","type":"Primary","cvssData":{"baseScore":8.1}}]"#,
    );
    assert_eq!(ok_of("f", &v30_v40).catalog.entries()[0].cvss, 8.1);
    let v40_only = metrics(
        r#""cvssMetricV40":[{"source":"x@cna","type":"Secondary","cvssData":{"baseScore":9.3}}]"#,
    );
    let c = ok_of("f", &v40_only).catalog.entries()[0].clone();
    assert_eq!((c.cvss, c.score_source.as_str()), (9.3, "cna"));
    assert_eq!(c.tags, ["nginx"]);
    let all = metrics(
        r#""cvssMetricV40":[{"cvssData":{"baseScore":9.3}}],"cvssMetricV30":[{"cvssData":{"baseScore":8.1}}],
           "cvssMetricV31":[{"cvssData":{"baseScore":7.7}}],"cvssMetricV2":[{"cvssData":{"baseScore":10.0}}]"#,
    );
    assert_eq!(ok_of("f", &all).catalog.entries()[0].cvss, 7.7);
}

#[test]
fn nvd_only_v2_is_unusable() {
    let feed = nvd_one(
        r#""id":"CVE-2010-1234","metrics":{"cvssMetricV2":[{"cvssData":{"baseScore":10.0}}]}"#,
    );
    let e = err_of("old.json", &feed);
    assert_eq!(e.location, "vulnerabilities");
    assert_eq!(
        e.problem,
        "no entries with CVSS >= 7.5 (0 below the threshold, 1 unusable)"
    );
}

#[test]
fn nvd_without_known_tag_is_unusable() {
    let feed = format!(
        "{{\"vulnerabilities\":[{},{}]}}",
        r#"{"cve":{"id":"CVE-2024-0003","descriptions":[{"lang":"en","value":"A flaw in FooBar."}],
           "metrics":{"cvssMetricV31":[{"source":"nvd@nist.gov","type":"Primary","cvssData":{"baseScore":9.8}}]}}}"#,
        r#"{"cve":{"id":"CVE-2024-0004","descriptions":[{"lang":"en","value":"SQL injection in GitLab."}],
           "metrics":{"cvssMetricV31":[{"source":"nvd@nist.gov","type":"Primary","cvssData":{"baseScore":8.8}}]}}}"#
    );
    let import = ok_of("f", &feed);
    assert_eq!(import.kept, 1);
    assert_eq!(
        import.dropped_unusable,
        ["CVE-2024-0003 (vulnerabilities[0]): no CPE or description keyword maps to a known technology tag"]
    );
    let c = &import.catalog.entries()[0];
    assert_eq!(c.tags, ["gitlab"]);
    assert_eq!(c.class, ThreatClass::Injection);
}

#[test]
fn nvd_class_guesses() {
    let class = |cwes: &[u32], text: &str| guess_class(cwes, &text.to_lowercase());
    assert_eq!(class(&[89], "whatever"), ThreatClass::Injection);
    assert_eq!(class(&[78], "OS command injection"), ThreatClass::Injection);
    assert_eq!(class(&[94], "remote code execution"), ThreatClass::Rce);
    assert_eq!(class(&[22], ""), ThreatClass::DataExposure);
    assert_eq!(class(&[200], ""), ThreatClass::DataExposure);
    assert_eq!(class(&[287], ""), ThreatClass::AuthBypass);
    assert_eq!(class(&[306], ""), ThreatClass::AuthBypass);
    assert_eq!(class(&[288], ""), ThreatClass::AuthBypass);
    assert_eq!(class(&[269], ""), ThreatClass::PrivilegeEscalation);
    assert_eq!(
        class(&[787, 125], "A local privilege escalation in pkexec"),
        ThreatClass::PrivilegeEscalation
    );
    assert_eq!(
        class(&[], "Sensitive information disclosure"),
        ThreatClass::DataExposure
    );
    assert_eq!(
        class(&[], "An authentication bypass vulnerability"),
        ThreatClass::AuthBypass
    );
    assert_eq!(class(&[787], "heap overflow"), ThreatClass::Rce);
}

#[test]
fn nvd_cpe_tag_mapping() {
    let tags = |c: &str| parse_cpe(c, true).map(|i| i.tags).unwrap_or_default();
    assert_eq!(
        tags("cpe:2.3:a:apache:log4j:2.0:*:*:*:*:*:*:*"),
        ["log4j", "java"]
    );
    assert_eq!(
        tags("cpe:2.3:a:vmware:spring_framework:*:*:*:*:*:*:*:*"),
        ["spring", "java"]
    );
    assert_eq!(
        tags("cpe:2.3:a:vmware:vcenter_server:7.0:*:*:*:*:*:*:*"),
        ["vmware"]
    );
    assert_eq!(
        tags("cpe:2.3:o:microsoft:windows_server_2019:-:*:*:*:*:*:*:*"),
        ["windows"]
    );
    assert_eq!(
        tags("cpe:2.3:a:kubernetes:ingress-nginx:*:*:*:*:*:*:*:*"),
        ["kubernetes", "nginx"]
    );
    assert_eq!(
        tags("cpe:2.3:a:ejs:ejs:3.1.6:*:*:*:*:node.js:*:*"),
        ["nodejs"]
    );
    assert_eq!(
        tags("cpe:2.3:a:postgresql:postgresql:15.0:*:*:*:*:*:*:*"),
        ["postgres"]
    );
    assert!(tags("cpe:2.3:h:siemens:acuson_p300:-:*:*:*:*:*:*:*").is_empty());
    assert!(parse_cpe("not a cpe", true).is_none());
}

#[test]
fn product_prefers_tagged_then_frequent_cpe() {
    let cpes: Vec<CpeInfo> = [
        "cpe:2.3:o:siemens:acuson_firmware:1:*:*:*:*:*:*:*",
        "cpe:2.3:o:siemens:acuson_firmware:2:*:*:*:*:*:*:*",
        "cpe:2.3:a:microsoft:server_message_block:1.0:*:*:*:*:*:*:*",
    ]
    .iter()
    .filter_map(|c| parse_cpe(c, true))
    .collect();
    assert_eq!(product_name(&cpes, ""), "Microsoft Server Message Block");
    assert_eq!(product_name(&cpes[..2], ""), "Siemens Acuson Firmware");
    assert_eq!(product_name(&[], ""), "unknown product");
    assert_eq!(pretty_product("gitlab", "gitlab"), "Gitlab");
}

#[test]
fn nvd_wrong_types_name_the_path() {
    let cases: [(&str, &str, &str); 9] = [
        (
            r#"{"vulnerabilities":{}}"#,
            "vulnerabilities",
            "expected an array, found an object",
        ),
        (
            r#"{"vulnerabilities":[3]}"#,
            "vulnerabilities[0]",
            "expected an object, found the number 3",
        ),
        (
            r#"{"vulnerabilities":[{}]}"#,
            "vulnerabilities[0].cve",
            "missing field \"cve\"",
        ),
        (
            r#"{"vulnerabilities":[{"cve":{"id":7}}]}"#,
            "vulnerabilities[0].cve.id",
            "expected a string for the CVE id, found the number 7",
        ),
        (
            r#"{"vulnerabilities":[{"cve":{"id":"CVE-21-1"}}]}"#,
            "vulnerabilities[0].cve.id",
            "malformed CVE id \"CVE-21-1\"",
        ),
        (
            r#"{"vulnerabilities":[{"cve":{"id":"CVE-2024-0001","metrics":[]}}]}"#,
            "vulnerabilities[0].cve.metrics",
            "expected an object, found an array",
        ),
        (
            r#"{"vulnerabilities":[{"cve":{"id":"CVE-2024-0001","metrics":{"cvssMetricV31":[{"cvssData":{"baseScore":"high"}}]}}}]}"#,
            "vulnerabilities[0].cve.metrics.cvssMetricV31[0].cvssData.baseScore",
            "expected a number for the CVSS base score, found \"high\"",
        ),
        (
            r#"{"vulnerabilities":[{"cve":{"id":"CVE-2024-0001","metrics":{"cvssMetricV31":[{"cvssData":{"baseScore":12.5}}]}}}]}"#,
            "vulnerabilities[0].cve.metrics.cvssMetricV31[0].cvssData.baseScore",
            "CVSS base score 12.5 is outside [0, 10]",
        ),
        (
            r#"{"vulnerabilities":[{"cve":{"id":"CVE-2024-0001","metrics":{"cvssMetricV31":[{"cvssData":{}}]}}}]}"#,
            "vulnerabilities[0].cve.metrics.cvssMetricV31[0].cvssData.baseScore",
            "missing field \"baseScore\"",
        ),
    ];
    for (text, location, problem) in cases {
        let e = err_of("f", text);
        assert_eq!(
            (e.location.as_str(), e.problem.as_str()),
            (location, problem),
            "{text}"
        );
    }
}

#[test]
fn nvd_duplicate_ids_are_an_error() {
    let one = r#"{"cve":{"id":"CVE-2024-0005"}}"#;
    let e = err_of("f", &format!("{{\"vulnerabilities\":[{one},{one}]}}"));
    assert_eq!(e.location, "vulnerabilities[1].cve.id");
    assert_eq!(
        e.problem,
        "duplicate CVE id \"CVE-2024-0005\" (first seen at vulnerabilities[0])"
    );
}

#[test]
fn nvd_all_low_scores_is_an_error() {
    let feed = nvd_one(
        r#""id":"CVE-2021-44832","metrics":{"cvssMetricV31":[{"source":"nvd@nist.gov","cvssData":{"baseScore":6.6}}]}"#,
    );
    let e = err_of("low.json", &feed);
    assert_eq!(e.to_string(), "low.json: vulnerabilities: no entries with CVSS >= 7.5 (1 below the threshold, 0 unusable)");
}
