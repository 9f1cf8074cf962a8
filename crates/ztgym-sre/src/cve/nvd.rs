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
mod tests;
