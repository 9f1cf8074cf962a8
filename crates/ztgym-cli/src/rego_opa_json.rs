//! What `ztgym rego test --format json` prints: `opa test --format json`'s shapes, its array
//! of results and its coverage report, with their fields in the order OPA's Go source writes
//! them (`v1/tester/runner.go`, `v1/cover/cover.go`).

use serde::Serialize;
use ztgym::rego::{BundleTest, FileCoverage, TestRun, TestStatus};

/// What `opa test --format json` prints: an array of results (durations in nanoseconds), or
/// with coverage OPA's coverage report. `None` with coverage and a test that did not pass:
/// `opa test` prints the failures as text then.
pub(crate) fn opa_json(run: &TestRun, failed: bool) -> Option<String> {
    match &run.coverage {
        Some(coverage) if !failed => Some(pretty(&opa_coverage(coverage))),
        Some(_) => None,
        None => Some(pretty(
            &run.tests.iter().map(OpaResult::of).collect::<Vec<_>>(),
        )),
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

/// Runs of consecutive lines: `[3, 5, 6, 7]` is `[(3, 3), (5, 7)]`.
pub(crate) fn line_ranges(lines: &[u32]) -> Vec<(u32, u32)> {
    let mut runs: Vec<(u32, u32)> = Vec::new();
    for &line in lines {
        match runs.last_mut() {
            Some((_, end)) if line == *end + 1 => *end = line,
            _ => runs.push((line, line)),
        }
    }
    runs
}
