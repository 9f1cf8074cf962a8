//! `ztgym rego test PATH... [-v] [--run REGEX] [--v0-compatible] [--coverage] [--json]`: every
//! `test_` rule of every package of a bundle, reported as `opa test` reports them: the tests
//! that did not pass (every test with `-v`) under their file, `data.pkg.test_x: PASS (1.2ms)`,
//! then `PASS: n/n` (and `FAIL`, `SKIPPED`, `ERROR` counts). Non-zero exit on a failure or an
//! error. OPA's failure traces are not printed (the interpreter keeps none). `--format json`
//! prints what `opa test --format json` prints (with `--coverage`, OPA's coverage report);
//! `--json` prints ztgym's one object (tests, summary, coverage).

use crate::rego_words::{escape, Words};
use serde::Serialize;
use serde_json::json;
use std::time::Duration;
use ztgym::rego::{load_paths, BundleTest, FileCoverage, LoadOptions, TestRun, TestStatus};

/// OPA's rule between the parts of its report.
const RULE: &str =
    "--------------------------------------------------------------------------------";

pub fn test(words: &[String]) -> Result<(), String> {
    let command = "rego test";
    let w = Words::parse(
        command,
        words,
        &["run", "format"],
        &[],
        &["json", "verbose", "v0-compatible", "coverage"],
    )?;
    let json_out = w.json(command)?;
    if w.positional.is_empty() {
        return Err(format!(
            "{command}: name at least one .rego file or directory"
        ));
    }
    let wanted = match w.get("run") {
        Some(r) => Some(regex::Regex::new(r).map_err(|e| {
            format!(
                "{command}: --run is not a regular expression: {}",
                escape(&e.to_string())
            )
        })?),
        None => None,
    };
    let options = LoadOptions {
        v0_compatible: w.has("v0-compatible"),
        ..LoadOptions::default()
    };
    let bundle = match load_paths(&w.positional, options) {
        Ok(b) => b,
        Err(e) => {
            if json_out {
                crate::print(true, &json!({ "errors": e.errors }), String::new)?;
            }
            return Err(escape(&e.to_string()));
        }
    };
    let run = bundle.run_tests(
        &|name: &str| wanted.as_ref().is_none_or(|r| r.is_match(name)),
        w.has("coverage"),
    );
    let counts = Counts::of(&run.tests);
    let failed = counts.fail + counts.error;
    if w.get("format") == Some("json") {
        crate::output::line(&opa_json(&run, failed > 0, w.has("verbose")))?;
        return match failed {
            0 => Ok(()),
            n => Err(format!("{command}: {n} of {} failed", counts.total)),
        };
    }
    let out = json!({
        "tests": run.tests,
        "summary": {
            "total": counts.total, "pass": counts.pass, "fail": counts.fail,
            "error": counts.error, "skip": counts.skip,
        },
        "coverage": run.coverage.as_ref().map(|c| c.iter().map(|f| json!({
            "file": f.file, "covered": f.covered, "not_covered": f.not_covered,
            "percent": (f.percent() * 10.0).round() / 10.0,
        })).collect::<Vec<_>>()),
    });
    crate::print(json_out, &out, || report(&run, &counts, w.has("verbose")))?;
    match failed {
        0 => Ok(()),
        n => Err(format!("{command}: {n} of {} failed", counts.total)),
    }
}

#[derive(Default)]
struct Counts {
    total: usize,
    pass: usize,
    fail: usize,
    error: usize,
    skip: usize,
}

impl Counts {
    fn of(tests: &[BundleTest]) -> Counts {
        let mut c = Counts {
            total: tests.len(),
            ..Counts::default()
        };
        for t in tests {
            match t.status {
                TestStatus::Pass => c.pass += 1,
                TestStatus::Fail => c.fail += 1,
                TestStatus::Error => c.error += 1,
                TestStatus::Skip => c.skip += 1,
            }
        }
        c
    }
}

/// What `opa test --format json` prints: an array of results (Go's field order, durations in
/// nanoseconds); with coverage and every test passing, OPA's coverage report instead, and with
/// coverage and a failure, the failures as the human report shows them (as `opa test` does).
fn opa_json(run: &TestRun, failed: bool, verbose: bool) -> String {
    match &run.coverage {
        Some(coverage) if !failed => pretty(&opa_coverage(coverage)),
        Some(_) => {
            let failures = TestRun {
                tests: (run.tests.iter())
                    .filter(|t| matches!(t.status, TestStatus::Fail | TestStatus::Error))
                    .cloned()
                    .collect(),
                coverage: None,
            };
            report(&failures, &Counts::of(&failures.tests), verbose)
        }
        None => pretty(&run.tests.iter().map(OpaResult::of).collect::<Vec<_>>()),
    }
}

/// Indented by two spaces, as Go's `json.MarshalIndent(v, "", "  ")`.
fn pretty(value: &impl Serialize) -> String {
    serde_json::to_string_pretty(value).unwrap_or_default()
}

/// One result of `opa test --format json`, its fields in the order Go writes them.
#[derive(Serialize)]
struct OpaResult<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<OpaError<'a>>,
    location: OpaLocation<'a>,
    package: &'a str,
    name: &'a str,
    duration: u64,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    fail: bool,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    skip: bool,
}

#[derive(Serialize)]
struct OpaError<'a> {
    message: &'a str,
}

#[derive(Serialize)]
struct OpaLocation<'a> {
    file: &'a str,
    row: u32,
    col: u32,
}

impl<'a> OpaResult<'a> {
    fn of(t: &'a BundleTest) -> OpaResult<'a> {
        OpaResult {
            error: (t.status == TestStatus::Error).then(|| OpaError {
                message: t.message.as_deref().unwrap_or("error"),
            }),
            location: OpaLocation {
                file: &t.file,
                row: t.row,
                col: 1,
            },
            package: &t.package,
            name: &t.name,
            duration: t.duration_ns.unwrap_or(0),
            fail: t.status == TestStatus::Fail,
            skip: t.status == TestStatus::Skip,
        }
    }
}

/// OPA's coverage report (`opa test --coverage`), its fields in the order Go writes them: per
/// file the covered and not covered line ranges, their line counts and percentage (Go leaves
/// out an empty list, a zero count and a zero percentage), then the totals.
#[derive(Serialize)]
struct OpaCoverage {
    files: std::collections::BTreeMap<String, OpaFileCoverage>,
    covered_lines: usize,
    not_covered_lines: usize,
    #[serde(serialize_with = "go_float")]
    coverage: f64,
}

#[derive(Serialize)]
struct OpaFileCoverage {
    #[serde(skip_serializing_if = "Vec::is_empty")]
    covered: Vec<OpaRange>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    not_covered: Vec<OpaRange>,
    #[serde(skip_serializing_if = "is_zero")]
    covered_lines: usize,
    #[serde(skip_serializing_if = "is_zero")]
    not_covered_lines: usize,
    #[serde(skip_serializing_if = "is_no_share", serialize_with = "go_float")]
    coverage: f64,
}

#[derive(Serialize)]
struct OpaRange {
    start: OpaRow,
    end: OpaRow,
}

#[derive(Serialize)]
struct OpaRow {
    row: u32,
}

/// A number as Go's JSON writes a float64: a whole one without a fraction (`100`, not
/// `100.0`), any other in its shortest form.
fn go_float<S: serde::Serializer>(x: &f64, out: S) -> Result<S::Ok, S::Error> {
    if x.fract() == 0.0 && x.abs() < 1e15 {
        out.serialize_i64(*x as i64)
    } else {
        out.serialize_f64(*x)
    }
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

fn is_no_share(share: &f64) -> bool {
    *share == 0.0
}

/// The share of lines covered, in percent (0 when no line has code, as OPA has it).
fn share(covered: usize, not_covered: usize) -> f64 {
    match covered + not_covered {
        0 => 0.0,
        all => 100.0 * covered as f64 / all as f64,
    }
}

fn opa_coverage(coverage: &[FileCoverage]) -> OpaCoverage {
    let row_ranges = |lines: &[u32]| -> Vec<OpaRange> {
        (line_ranges(lines).into_iter())
            .map(|(start, end)| OpaRange {
                start: OpaRow { row: start },
                end: OpaRow { row: end },
            })
            .collect()
    };
    let files = (coverage.iter())
        .map(|f| {
            let report = OpaFileCoverage {
                covered: row_ranges(&f.covered),
                not_covered: row_ranges(&f.not_covered),
                covered_lines: f.covered.len(),
                not_covered_lines: f.not_covered.len(),
                coverage: share(f.covered.len(), f.not_covered.len()),
            };
            (f.file.clone(), report)
        })
        .collect();
    let covered = coverage.iter().map(|f| f.covered.len()).sum();
    let not_covered = coverage.iter().map(|f| f.not_covered.len()).sum();
    OpaCoverage {
        files,
        covered_lines: covered,
        not_covered_lines: not_covered,
        coverage: share(covered, not_covered),
    }
}

/// The human report, in `opa test`'s shape.
fn report(run: &TestRun, counts: &Counts, verbose: bool) -> String {
    let mut lines: Vec<String> = Vec::new();
    if counts.total == 0 {
        lines.push("no test cases found".to_string());
    }
    if verbose && counts.fail > 0 {
        lines.push("FAILURES".into());
        lines.push(RULE.into());
        for t in run.tests.iter().filter(|t| t.status == TestStatus::Fail) {
            lines.push(test_line(t));
            lines.push(String::new());
        }
        lines.push("SUMMARY".into());
        lines.push(RULE.into());
    }
    let mut file: Option<&str> = None;
    let mut shown = false;
    for t in run
        .tests
        .iter()
        .filter(|t| verbose || t.status != TestStatus::Pass)
    {
        if file != Some(t.file.as_str()) {
            if file.is_some() {
                lines.push(String::new());
            }
            lines.push(format!("{}:", escape(&t.file)));
            file = Some(&t.file);
        }
        lines.push(test_line(t));
        if t.status == TestStatus::Error {
            if let Some(m) = &t.message {
                lines.push(format!("  {}", escape(m)));
            }
        }
        shown = true;
    }
    if shown {
        lines.push(RULE.into());
    }
    for (label, n) in [
        ("PASS", counts.pass),
        ("FAIL", counts.fail),
        ("SKIPPED", counts.skip),
        ("ERROR", counts.error),
    ] {
        if n > 0 {
            lines.push(format!("{label}: {n}/{}", counts.total));
        }
    }
    if let Some(coverage) = &run.coverage {
        lines.extend(coverage_lines(coverage));
    }
    lines.join("\n")
}

/// `data.pkg.test_x: PASS (1.2ms)`; a skipped test has no duration.
fn test_line(t: &BundleTest) -> String {
    let name = escape(&t.full_name());
    if t.status == TestStatus::Skip {
        return format!("{name}: SKIPPED");
    }
    let took = go_duration(Duration::from_nanos(t.duration_ns.unwrap_or(0)));
    format!("{name}: {} ({took})", t.status.as_str())
}

/// Per module, the share of its lines the tests reached and the lines they did not.
fn coverage_lines(coverage: &[FileCoverage]) -> Vec<String> {
    let mut lines = vec![String::new(), "COVERAGE".to_string(), RULE.to_string()];
    let (mut covered, mut all) = (0, 0);
    for f in coverage {
        covered += f.covered.len();
        all += f.covered.len() + f.not_covered.len();
        let missed = if f.not_covered.is_empty() {
            String::new()
        } else {
            format!("; not covered: {}", ranges(&f.not_covered))
        };
        lines.push(format!(
            "{}: {:.1}% ({} of {} lines{missed})",
            escape(&f.file),
            f.percent(),
            f.covered.len(),
            f.covered.len() + f.not_covered.len()
        ));
    }
    lines.push(RULE.to_string());
    let total = if all == 0 {
        100.0
    } else {
        100.0 * covered as f64 / all as f64
    };
    lines.push(format!("coverage: {total:.1}% ({covered} of {all} lines)"));
    lines
}

/// Runs of consecutive lines: `[3, 5, 6, 7]` is `[(3, 3), (5, 7)]`.
fn line_ranges(lines: &[u32]) -> Vec<(u32, u32)> {
    let mut runs: Vec<(u32, u32)> = Vec::new();
    for &line in lines {
        match runs.last_mut() {
            Some((_, end)) if line == *end + 1 => *end = line,
            _ => runs.push((line, line)),
        }
    }
    runs
}

/// `3, 5-7, 12`.
fn ranges(lines: &[u32]) -> String {
    line_ranges(lines)
        .into_iter()
        .map(|(start, end)| match start == end {
            true => start.to_string(),
            false => format!("{start}-{end}"),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// A duration as Go prints one (`opa test` is in Go): `0s`, `850ns`, `12.5µs`, `1.234567ms`,
/// `2.5s`.
fn go_duration(d: Duration) -> String {
    let ns = d.as_nanos();
    let (value, unit, scale) = match ns {
        0 => return "0s".to_string(),
        n if n < 1_000 => return format!("{n}ns"),
        n if n < 1_000_000 => (n, "µs", 1_000u128),
        n if n < 1_000_000_000 => (n, "ms", 1_000_000),
        n => (n, "s", 1_000_000_000),
    };
    let whole = value / scale;
    let fraction = value % scale;
    if fraction == 0 {
        return format!("{whole}{unit}");
    }
    let digits = scale.to_string().len() - 1;
    let fraction = format!("{fraction:0digits$}");
    format!("{whole}.{}{unit}", fraction.trim_end_matches('0'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_as_go_prints_them() {
        for (ns, shown) in [
            (0, "0s"),
            (850, "850ns"),
            (12_500, "12.5µs"),
            (1_234_567, "1.234567ms"),
            (2_500_000_000, "2.5s"),
            (3_000_000, "3ms"),
        ] {
            assert_eq!(go_duration(Duration::from_nanos(ns)), shown);
        }
    }

    #[test]
    fn line_ranges_are_merged() {
        assert_eq!(ranges(&[3, 5, 6, 7, 12]), "3, 5-7, 12");
        assert_eq!(ranges(&[]), "");
    }
}
