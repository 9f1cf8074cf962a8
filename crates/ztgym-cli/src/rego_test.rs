//! `ztgym rego test PATH... [-v] [--run REGEX] [--v0-compatible] [--coverage] [--json]`: every
//! `test_` rule of every package of a bundle, reported as `opa test` reports them: the tests
//! that did not pass (every test with `-v`) under their file, `data.pkg.test_x: PASS (1.2ms)`,
//! then `PASS: n/n` (and `FAIL`, `SKIPPED`, `ERROR` counts). Non-zero exit on a failure or an
//! error. OPA's failure traces are not printed (the interpreter keeps none). `--format json`
//! prints what `opa test --format json` prints (with `--coverage`, OPA's coverage report);
//! `--json` prints ztgym's one object (tests, summary, coverage).

use crate::rego_opa_json::{line_ranges, opa_json};
use crate::rego_words::{escape, Words};
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
    let outcome = match failed {
        0 => Ok(()),
        n => Err(format!("{command}: {n} of {} failed", counts.total)),
    };
    if w.get("format") == Some("json") {
        let printed =
            opa_json(&run, failed > 0).unwrap_or_else(|| failures_report(&run, w.has("verbose")));
        crate::output::line(&printed)?;
        return outcome;
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
    outcome
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

/// The failures and errors alone, as the human report shows them (what `opa test` prints
/// with coverage when a test did not pass).
fn failures_report(run: &TestRun, verbose: bool) -> String {
    let failures = TestRun {
        tests: (run.tests.iter())
            .filter(|t| matches!(t.status, TestStatus::Fail | TestStatus::Error))
            .cloned()
            .collect(),
        coverage: None,
    };
    report(&failures, &Counts::of(&failures.tests), verbose)
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
