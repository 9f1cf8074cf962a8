//! Reading a plain-text list, one CVE per line: `CVE-ID,score,product,tag1;tag2[,class]`, with
//! `#` comment lines and blank lines allowed. Without a class column an entry is `rce`; scores
//! are taken as NVD base scores.

use super::catalog::{check_score, MIN_CVSS};
use super::feed::{
    check_duplicate, default_indicators, default_technique, normalize_id, unknown_class, Parsed,
    ParsedFeed, SeenIds,
};
use super::tags::split_tags;
use super::{is_valid_cve_id, Cve, ThreatClass};
use ztgym_core::json::{quote, Problem};

const LIST_EXAMPLE: &str = "CVE-2021-44228,10.0,Apache Log4j 2,java;log4j[,rce]";

/// Reads every entry line; the first one decides whether the text is a list at all.
pub(super) fn parse(text: &str) -> Result<ParsedFeed, Problem> {
    let mut seen = SeenIds::new();
    let mut items = Vec::new();
    let mut first = true;
    for (n, raw) in text.lines().enumerate() {
        let line_no = n + 1;
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let loc = format!("line {line_no}");
        let looks_like_entry = line
            .get(..4)
            .is_some_and(|p| p.eq_ignore_ascii_case("cve-"));
        if first && !looks_like_entry {
            // The first entry decides the format: anything else is not a feed we know.
            return Err(Problem::new(
                loc,
                format!(
                    "not JSON and not a CVE list: expected a line like \"{LIST_EXAMPLE}\", found {}",
                    quote(line)
                ),
            ));
        }
        first = false;
        items.push(parse_line(line, &loc, &mut seen)?);
    }
    if first {
        return Err(Problem::new(
            "file",
            "the file has no entries (only comments and blank lines)",
        ));
    }
    Ok(ParsedFeed {
        items,
        whole: "file",
    })
}

fn parse_line(line: &str, loc: &str, seen: &mut SeenIds) -> Result<Parsed, Problem> {
    let fields: Vec<&str> = line.split(',').map(str::trim).collect();
    if fields.len() != 4 && fields.len() != 5 {
        return Err(Problem::new(
            loc,
            format!(
                "expected 4 or 5 comma-separated fields (\"{LIST_EXAMPLE}\"), found {}",
                fields.len()
            ),
        ));
    }
    let id = normalize_id(fields[0]);
    if !is_valid_cve_id(&id) {
        return Err(Problem::new(
            loc,
            format!("malformed CVE id {}", quote(fields[0])),
        ));
    }
    check_duplicate(seen, &id, loc, loc)?;

    let class = match fields.get(4) {
        Some(text) if !text.is_empty() => ThreatClass::from_name(&text.to_ascii_lowercase())
            .ok_or_else(|| Problem::new(loc, unknown_class(text)))?,
        // No class column: a remote code execution threat, the most common case.
        _ => ThreatClass::Rce,
    };
    let product = fields[2];
    if product.is_empty() {
        return Err(Problem::new(loc, format!("the product of {id} is empty")));
    }
    if fields[1].is_empty() {
        return Ok(Parsed::Unusable(format!(
            "{id} ({loc}): no CVSS base score"
        )));
    }
    let cvss: f64 = fields[1].parse().map_err(|_| {
        Problem::new(
            loc,
            format!(
                "expected a number for the CVSS base score, found {}",
                quote(fields[1])
            ),
        )
    })?;
    check_score(loc, cvss)?;
    if cvss < MIN_CVSS {
        return Ok(Parsed::LowScore);
    }
    let (tags, unknown) = split_tags(fields[3].split(';'));
    if tags.is_empty() {
        return Ok(Parsed::Unusable(format!(
            "{id} ({loc}): no known technology tag among {}",
            quote(&unknown.join(";"))
        )));
    }
    Ok(Parsed::Entry(Box::new(Cve {
        id,
        cvss,
        // A list gives no source; its scores are taken as NVD base scores.
        score_source: "nvd".to_string(),
        product: product.to_string(),
        name: None,
        class,
        technique: default_technique(class).to_string(),
        tags,
        indicators: default_indicators(class),
    })))
}

#[cfg(test)]
mod tests {
    use super::super::testing::{err_of, ok_of, LIST_BAD, LIST_SAMPLE};
    use super::super::ThreatClass;

    #[test]
    fn list_sample_imports() {
        let import = ok_of("list-sample.txt", LIST_SAMPLE);
        let ids: Vec<&str> = import
            .catalog
            .entries()
            .iter()
            .map(|c| c.id.as_str())
            .collect();
        assert_eq!(
            ids,
            [
                "CVE-2021-44228",
                "CVE-2023-4966",
                "CVE-2021-4034",
                "CVE-2024-3400"
            ]
        );
        assert_eq!(import.dropped_low_score, 1);
        assert_eq!(
            import.dropped_unusable,
            [
                "CVE-2025-0282 (line 12): no CVSS base score",
                "CVE-2024-9999 (line 13): no known technology tag among \"cobol\"",
            ]
        );
        let pwnkit = import.catalog.get("CVE-2021-4034").unwrap();
        assert_eq!(pwnkit.class, ThreatClass::PrivilegeEscalation);
        assert_eq!(pwnkit.technique, "T1068");
        let bleed = import.catalog.get("CVE-2023-4966").unwrap();
        assert_eq!(bleed.class, ThreatClass::DataExposure);
        assert_eq!(bleed.tags, ["citrix", "vpn"]);
        let log4shell = import.catalog.get("CVE-2021-44228").unwrap();
        assert_eq!(log4shell.class, ThreatClass::Rce);
        assert_eq!(log4shell.product, "Apache Log4j 2");
        let panos = import.catalog.get("CVE-2024-3400").unwrap();
        // Lower-case id and class are accepted; unknown tags next to a known one are ignored.
        assert_eq!(panos.class, ThreatClass::Injection);
        assert_eq!(panos.tags, ["panos"]);
    }

    #[test]
    fn list_bad_reports_the_line() {
        let e = err_of("list-bad.txt", LIST_BAD);
        assert_eq!(
            e.to_string(),
            "list-bad.txt: line 7: expected a number for the CVSS base score, found \"high\""
        );
    }

    #[test]
    fn list_line_errors() {
        let cases: [(&str, &str, &str); 9] = [
            ("CVE-21-1,9.8,x,linux", "line 1", "malformed CVE id \"CVE-21-1\""),
            ("CVE-2021-44228,9.8,x", "line 1", "expected 4 or 5 comma-separated fields (\"CVE-2021-44228,10.0,Apache Log4j 2,java;log4j[,rce]\"), found 3"),
            ("CVE-2021-44228,NaN,x,linux", "line 1", "the CVSS base score is not a number (NaN)"),
            ("CVE-2021-44228,11,x,linux", "line 1", "CVSS base score 11 is outside [0, 10]"),
            ("CVE-2021-44228,inf,x,linux", "line 1", "CVSS base score inf is outside [0, 10]"),
            ("CVE-2021-44228,1e300,x,linux", "line 1", "CVSS base score 1e300 is outside [0, 10]"),
            ("CVE-2021-44228,9.8,x,linux,worm", "line 1", "unknown threat class \"worm\" (expected one of rce, auth_bypass, injection, privilege_escalation, data_exposure)"),
            ("CVE-2021-44228,9.8,,linux", "line 1", "the product of CVE-2021-44228 is empty"),
            ("# header\n\nCVE-2021-44228,9.8,x,linux\ncve-2021-44228,9.8,x,linux", "line 4", "duplicate CVE id \"CVE-2021-44228\" (first seen at line 3)"),
        ];
        for (text, location, problem) in cases {
            let e = err_of("l.txt", text);
            assert_eq!(
                (e.location.as_str(), e.problem.as_str()),
                (location, problem),
                "{text}"
            );
        }
    }

    #[test]
    fn list_detection_and_empty_files() {
        let e = err_of("notes.txt", "hello world\nCVE-2021-44228,9.8,x,linux");
        assert_eq!(e.location, "line 1");
        assert_eq!(
            e.problem,
            "not JSON and not a CVE list: expected a line like \"CVE-2021-44228,10.0,Apache Log4j 2,java;log4j[,rce]\", found \"hello world\""
        );
        assert_eq!(
            err_of("e.txt", "").to_string(),
            "e.txt: file: the file is empty"
        );
        assert_eq!(err_of("e.txt", " \n\t\n").location, "file");
        assert_eq!(
            err_of("c.txt", "# only a comment\n\n").to_string(),
            "c.txt: file: the file has no entries (only comments and blank lines)"
        );
        let e = err_of("low.txt", "CVE-2021-44832,6.6,Apache Log4j 2,java");
        assert_eq!(
            e.to_string(),
            "low.txt: file: no entries with CVSS >= 7.5 (1 below the threshold, 0 unusable)"
        );
    }

    #[test]
    fn list_accepts_bom_and_crlf() {
        let import = ok_of(
            "w.txt",
            "\u{feff}# exported\r\nCVE-2021-44228,10.0,Apache Log4j 2,java;log4j,rce\r\n",
        );
        assert_eq!(import.kept, 1);
        assert_eq!(import.catalog.entries()[0].tags, ["java", "log4j"]);
    }
}
