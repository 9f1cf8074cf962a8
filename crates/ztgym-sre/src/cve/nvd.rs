//! Reading an NVD CVE API 2.0 response (`{"vulnerabilities": [{"cve": {...}}]}`): the base
//! score and its source, tags and product from the CPE criteria (else the description), and
//! the class guessed from the CWEs (else the description).

use super::catalog::MIN_CVSS;
use super::feed::{
    default_indicators, default_technique, item_id, json_score, parse_items, Parsed, ParsedFeed,
    SeenIds,
};
use super::tags::{contains_word, cpe_tags, description_tags, split_tags};
use super::{Cve, ThreatClass};
use serde_json::{Map, Value};
use ztgym_core::json::{
    expect_array, expect_object, expect_str, index, join, member, require, Problem,
};

/// Reads the `vulnerabilities` array.
pub(super) fn parse(obj: &Map<String, Value>) -> Result<ParsedFeed, Problem> {
    parse_items(obj, "vulnerabilities", parse_item)
}

fn parse_item(v: &Value, i: usize, seen: &mut SeenIds) -> Result<Parsed, Problem> {
    let item_loc = index("vulnerabilities", i);
    let item = expect_object(v, &item_loc)?;
    let here = join(&item_loc, "cve");
    let cve = expect_object(require(item, &item_loc, "cve")?, &here)?;

    let id = item_id(cve, &here, &item_loc, seen)?;

    let description = english_description(cve, &here)?;
    let Some((cvss, score_source)) = nvd_score(cve, &here)? else {
        return Ok(Parsed::Unusable(format!(
            "{id} ({item_loc}): no CVSS v3.1, v3.0 or v4.0 base score in cve.metrics"
        )));
    };
    if cvss < MIN_CVSS {
        return Ok(Parsed::LowScore);
    }

    let cwes = nvd_cwes(cve, &here)?;
    let cpes = nvd_cpes(cve, &here)?;
    let lower = description.to_lowercase();

    let mut tag_words: Vec<&'static str> = Vec::new();
    for cpe in &cpes {
        tag_words.extend(cpe.tags.iter().copied());
    }
    if tag_words.is_empty() {
        // No analysed configuration yet (e.g. "Awaiting Analysis"): fall back on the text.
        tag_words = description_tags(&lower);
    } else if contains_word(&lower, "vpn") {
        tag_words.push("vpn");
    }
    let (tags, _) = split_tags(tag_words);
    if tags.is_empty() {
        return Ok(Parsed::Unusable(format!(
            "{id} ({item_loc}): no CPE or description keyword maps to a known technology tag"
        )));
    }

    let class = guess_class(&cwes, &lower);
    Ok(Parsed::Entry(Box::new(Cve {
        id,
        cvss,
        score_source,
        product: product_name(&cpes, &description),
        name: None,
        class,
        technique: default_technique(class).to_string(),
        tags,
        indicators: default_indicators(class),
    })))
}

/// The first English description, or an empty text.
fn english_description(cve: &Map<String, Value>, here: &str) -> Result<String, Problem> {
    let Some(list) = member(cve, "descriptions") else {
        return Ok(String::new());
    };
    let loc = join(here, "descriptions");
    for (j, d) in expect_array(list, &loc)?.iter().enumerate() {
        let dloc = index(&loc, j);
        let d = expect_object(d, &dloc)?;
        let lang = member(d, "lang").and_then(Value::as_str).unwrap_or("");
        if lang == "en" {
            let value = require(d, &dloc, "value")?;
            return Ok(expect_str(value, &join(&dloc, "value"), "the description")?.to_string());
        }
    }
    Ok(String::new())
}

/// Picks the base score: v3.1, then v3.0, then v4.0; within a version NVD's own metric
/// (`nvd@nist.gov`) first, then the `Primary` one, then the first listed. NVD's current data
/// marks some CNA metrics `Primary` and NVD's own `Secondary` (e.g. CVE-2021-26855), and for
/// some records only a CNA metric exists, so the source decides `score_source`.
fn nvd_score(cve: &Map<String, Value>, here: &str) -> Result<Option<(f64, String)>, Problem> {
    let Some(metrics) = member(cve, "metrics") else {
        return Ok(None);
    };
    let mloc = join(here, "metrics");
    let metrics = expect_object(metrics, &mloc)?;
    for key in ["cvssMetricV31", "cvssMetricV30", "cvssMetricV40"] {
        let Some(list) = member(metrics, key) else {
            continue;
        };
        let kloc = join(&mloc, key);
        let list = expect_array(list, &kloc)?;
        let mut objects = Vec::with_capacity(list.len());
        for (j, m) in list.iter().enumerate() {
            objects.push((j, expect_object(m, &index(&kloc, j))?));
        }
        let text = |m: &Map<String, Value>, k: &str| {
            member(m, k)
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string()
        };
        let chosen = objects
            .iter()
            .find(|(_, m)| text(m, "source") == "nvd@nist.gov")
            .or_else(|| objects.iter().find(|(_, m)| text(m, "type") == "Primary"))
            .or_else(|| objects.first());
        let Some((j, m)) = chosen else {
            continue;
        };
        let jloc = index(&kloc, *j);
        let dloc = join(&jloc, "cvssData");
        let data = expect_object(require(m, &jloc, "cvssData")?, &dloc)?;
        let score = json_score(
            require(data, &dloc, "baseScore")?,
            &join(&dloc, "baseScore"),
        )?;
        let source = if text(m, "source") == "nvd@nist.gov" {
            "nvd"
        } else {
            "cna"
        };
        return Ok(Some((score, source.to_string())));
    }
    Ok(None)
}

/// The numeric CWE ids listed under `weaknesses` (NVD-CWE-noinfo and the like are skipped).
fn nvd_cwes(cve: &Map<String, Value>, here: &str) -> Result<Vec<u32>, Problem> {
    let mut out = Vec::new();
    let Some(list) = member(cve, "weaknesses") else {
        return Ok(out);
    };
    let loc = join(here, "weaknesses");
    for (j, w) in expect_array(list, &loc)?.iter().enumerate() {
        let wloc = index(&loc, j);
        let w = expect_object(w, &wloc)?;
        let Some(descs) = member(w, "description") else {
            continue;
        };
        for d in expect_array(descs, &join(&wloc, "description"))? {
            let value = d.get("value").and_then(Value::as_str).unwrap_or("");
            if let Some(n) = value.strip_prefix("CWE-").and_then(|n| n.parse().ok()) {
                if !out.contains(&n) {
                    out.push(n);
                }
            }
        }
    }
    Ok(out)
}

/// One CPE match criterion reduced to what the importer uses.
struct CpeInfo {
    vendor: String,
    product: String,
    vulnerable: bool,
    tags: Vec<&'static str>,
}

/// Every CPE match criterion under `configurations[].nodes[].cpeMatch[]`, in order.
fn nvd_cpes(cve: &Map<String, Value>, here: &str) -> Result<Vec<CpeInfo>, Problem> {
    let mut out = Vec::new();
    let Some(configs) = member(cve, "configurations") else {
        return Ok(out);
    };
    let cloc = join(here, "configurations");
    for (a, config) in expect_array(configs, &cloc)?.iter().enumerate() {
        let aloc = index(&cloc, a);
        let config = expect_object(config, &aloc)?;
        let Some(nodes) = member(config, "nodes") else {
            continue;
        };
        for (b, node) in expect_array(nodes, &join(&aloc, "nodes"))?
            .iter()
            .enumerate()
        {
            let bloc = index(&join(&aloc, "nodes"), b);
            let node = expect_object(node, &bloc)?;
            let Some(matches) = member(node, "cpeMatch") else {
                continue;
            };
            for (c, m) in expect_array(matches, &join(&bloc, "cpeMatch"))?
                .iter()
                .enumerate()
            {
                let mloc = index(&join(&bloc, "cpeMatch"), c);
                let m = expect_object(m, &mloc)?;
                let criteria = expect_str(
                    require(m, &mloc, "criteria")?,
                    &join(&mloc, "criteria"),
                    "the CPE criteria",
                )?;
                let vulnerable = member(m, "vulnerable").and_then(Value::as_bool) != Some(false);
                if let Some(info) = parse_cpe(criteria, vulnerable) {
                    out.push(info);
                }
            }
        }
    }
    Ok(out)
}

/// `cpe:2.3:part:vendor:product:version:update:edition:language:sw_edition:target_sw:...`
fn parse_cpe(criteria: &str, vulnerable: bool) -> Option<CpeInfo> {
    let parts: Vec<&str> = criteria.split(':').collect();
    if parts.len() < 5 || parts[0] != "cpe" {
        return None;
    }
    let vendor = parts[3].to_ascii_lowercase();
    let product = parts[4].to_ascii_lowercase();
    let target_sw = parts.get(10).copied().unwrap_or("*");
    let mut tags = cpe_tags(&vendor, &product);
    match target_sw {
        "node.js" => tags.push("nodejs"),
        "python" => tags.push("python"),
        _ => {}
    }
    Some(CpeInfo {
        vendor,
        product,
        vulnerable,
        tags,
    })
}

/// CWE sets per class; checked in this order over all of an entry's CWEs.
const INJECTION_CWES: &[u32] = &[74, 77, 78, 88, 89, 94, 917, 1336];
const DATA_EXPOSURE_CWES: &[u32] = &[22, 23, 35, 36, 200, 201, 538, 552];
const AUTH_BYPASS_CWES: &[u32] = &[287, 288, 290, 306, 640, 798, 1390];
const PRIV_ESC_CWES: &[u32] = &[250, 266, 268, 269, 270];

/// Guesses the class from the CWEs, then from description keywords; remote code execution when
/// nothing matches. Injection CWEs become `rce` unless the CWE is SQL injection or the text
/// says "inject" (Log4Shell's CWE-917 reads as code execution, Spring Cloud Gateway's as code
/// injection).
fn guess_class(cwes: &[u32], lower: &str) -> ThreatClass {
    let any = |set: &[u32]| cwes.iter().any(|c| set.contains(c));
    if any(INJECTION_CWES) {
        return if cwes.contains(&89) || lower.contains("inject") {
            ThreatClass::Injection
        } else {
            ThreatClass::Rce
        };
    }
    if any(DATA_EXPOSURE_CWES) {
        return ThreatClass::DataExposure;
    }
    if any(AUTH_BYPASS_CWES) {
        return ThreatClass::AuthBypass;
    }
    if any(PRIV_ESC_CWES) {
        return ThreatClass::PrivilegeEscalation;
    }
    let has = |words: &[&str]| words.iter().any(|w| lower.contains(w));
    if has(&["injection", "inject "]) {
        ThreatClass::Injection
    } else if has(&[
        "authentication bypass",
        "bypass authentication",
        "bypassing authentication",
        "bypass the authentication",
    ]) {
        ThreatClass::AuthBypass
    } else if has(&[
        "privilege escalation",
        "escalate privileges",
        "escalate their privileges",
        "elevation of privilege",
        "container escape",
    ]) {
        ThreatClass::PrivilegeEscalation
    } else if has(&[
        "path traversal",
        "directory traversal",
        "information disclosure",
        "sensitive information",
        "read arbitrary files",
        "arbitrary file read",
    ]) {
        ThreatClass::DataExposure
    } else {
        ThreatClass::Rce
    }
}

/// The product: the most frequent vulnerable CPE that maps to a tag (ties: first listed), else
/// the most frequent vulnerable CPE, else the start of the description.
fn product_name(cpes: &[CpeInfo], description: &str) -> String {
    if let Some(c) = most_frequent_cpe(cpes, true).or_else(|| most_frequent_cpe(cpes, false)) {
        return pretty_product(&c.vendor, &c.product);
    }
    let text: String = description.split_whitespace().collect::<Vec<_>>().join(" ");
    if text.is_empty() {
        return "unknown product".to_string();
    }
    let short: String = text.chars().take(60).collect();
    if short.len() < text.len() {
        format!("{short}…")
    } else {
        short
    }
}

/// The vulnerable (vendor, product) pair listed most often, optionally only among those that
/// map to a tag; ties go to the first listed.
fn most_frequent_cpe(cpes: &[CpeInfo], want_tags: bool) -> Option<&CpeInfo> {
    let mut best: Option<(&CpeInfo, usize)> = None;
    for (i, c) in cpes.iter().enumerate() {
        if !c.vulnerable || (want_tags && c.tags.is_empty()) {
            continue;
        }
        let same = |o: &CpeInfo| o.vulnerable && o.vendor == c.vendor && o.product == c.product;
        if cpes[..i].iter().any(same) {
            continue; // already counted at its first occurrence
        }
        let count = cpes.iter().filter(|o| same(o)).count();
        if best.is_none_or(|(_, n)| count > n) {
            best = Some((c, count));
        }
    }
    best.map(|(c, _)| c)
}

/// `microsoft`, `server_message_block` -> `Microsoft Server Message Block`; the vendor is left
/// out when the product starts with it.
fn pretty_product(vendor: &str, product: &str) -> String {
    let words = |s: &str| -> String {
        s.replace('\\', "")
            .split('_')
            .filter(|w| !w.is_empty())
            .map(|w| {
                let mut chars = w.chars();
                match chars.next() {
                    Some(first) => first.to_uppercase().chain(chars).collect::<String>(),
                    None => String::new(),
                }
            })
            .collect::<Vec<_>>()
            .join(" ")
    };
    if product.starts_with(vendor) {
        words(product)
    } else {
        format!("{} {}", words(vendor), words(product))
    }
}

#[cfg(test)]
mod tests {
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
}
