//! The `ztgym` binary as scripts use it: JSON out, files written, clear errors.

use serde_json::Value;
use std::process::Command;

mod common;
use common::{json, tmp, ztgym, EVAL_FIELDS};

#[test]
fn eval_prints_every_field_and_is_reproducible() {
    let args = [
        "eval",
        "--scenario",
        "classic",
        "--agent",
        "sop",
        "--episodes",
        "30",
        "--seed",
        "4",
        "--json",
    ];
    let a = json(&args);
    for field in EVAL_FIELDS {
        assert!(a[field].is_number(), "{field} missing in {a}");
    }
    assert_eq!(a["episodes"], 30);
    assert_eq!(
        ztgym(&args).1,
        ztgym(&args).1,
        "the same command twice prints the same JSON"
    );
    let other = json(&[
        "eval",
        "--scenario",
        "classic",
        "--agent",
        "random",
        "--episodes",
        "30",
        "--seed",
        "5",
        "--json",
    ]);
    let again = json(&[
        "eval",
        "--scenario",
        "classic",
        "--agent",
        "random",
        "--episodes",
        "30",
        "--seed",
        "6",
        "--json",
    ]);
    assert_ne!(other, again, "another seed, other episodes");
}

#[test]
fn run_writes_one_jsonl_line_per_step_and_alerts_as_ndjson() {
    let path = tmp("run.jsonl");
    let alerts = tmp("alerts.ndjson");
    let summary = json(&[
        "run",
        "--scenario",
        "enterprise",
        "--agent",
        "sop",
        "--seed",
        "3",
        "--trajectory",
        &path,
        "--alerts",
        &alerts,
        "--json",
    ]);
    let text = std::fs::read_to_string(&path).unwrap();
    let lines: Vec<Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    // The header names the run; then one line per step.
    let header = &lines[0];
    assert_eq!(header["format"], "ztgym-trajectory");
    assert_eq!(header["version"], 1);
    assert_eq!(header["env"], "sre");
    assert_eq!(header["scenario"], "enterprise");
    assert_eq!(header["seed"], 3);
    assert_eq!(header["agent"], "sop");
    let lines = &lines[1..];
    assert_eq!(lines.len() as u64, summary["steps"].as_u64().unwrap());
    for (t, line) in lines.iter().enumerate() {
        assert_eq!(line["t"], t);
        for key in [
            "action",
            "reward",
            "cost",
            "terminated",
            "truncated",
            "observation_digest",
        ] {
            assert!(line.get(key).is_some(), "{key} missing at line {t}");
        }
        assert_eq!(line["observation_digest"].as_str().unwrap().len(), 16);
    }
    let last = lines.last().unwrap();
    assert!(last["terminated"].as_bool().unwrap() || last["truncated"].as_bool().unwrap());
    let ndjson = std::fs::read_to_string(&alerts).unwrap();
    let first: Value = serde_json::from_str(ndjson.lines().next().unwrap()).unwrap();
    for key in ["@timestamp", "event", "host", "source", "rule", "message"] {
        assert!(first.get(key).is_some(), "ECS field {key} missing: {first}");
    }
    assert!(first["event"]["severity"].is_number());
}

#[test]
fn bench_reports_throughput() {
    let b = json(&[
        "bench",
        "--scenario",
        "classic",
        "--agent",
        "sop",
        "--steps",
        "2000",
        "--json",
    ]);
    assert!(b["steps"].as_u64().unwrap() >= 2000);
    assert!(b["steps_per_second"].as_f64().unwrap() > 0.0);
    assert!(b["seconds"].as_f64().unwrap() > 0.0);
}

#[test]
fn scenarios_lists_the_builtins() {
    let s = json(&["scenarios", "--json"]);
    let names: Vec<&str> = s["scenarios"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["classic", "enterprise", "multitenant"]);
}

#[test]
fn validate_accepts_good_files_and_names_the_problem_in_bad_ones() {
    let good = tmp("good.toml");
    std::fs::write(
        &good,
        include_str!("../../ztgym-sre/data/scenarios/classic.toml"),
    )
    .unwrap();
    assert_eq!(json(&["validate", &good, "--json"])["valid"], true);
    let bad = tmp("bad.toml");
    std::fs::write(
        &bad,
        include_str!("../../ztgym-sre/data/scenarios/classic.toml")
            .replace("[\"frontend\"]", "[\"frontdoor\"]"),
    )
    .unwrap();
    let (ok, out, err) = ztgym(&["validate", &bad, "--json"]);
    assert!(!ok);
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["field"], "service[4].depends_on[0]");
    assert!(err.contains("unknown service \"frontdoor\""), "{err}");
}

#[test]
fn a_custom_scenario_file_can_be_evaluated() {
    let path = tmp("custom.toml");
    std::fs::write(
        &path,
        include_str!("../../ztgym-sre/data/scenarios/multitenant.toml")
            .replace("multitenant", "custom"),
    )
    .unwrap();
    let r = json(&[
        "eval",
        "--scenario",
        &path,
        "--agent",
        "sop",
        "--episodes",
        "5",
        "--json",
    ]);
    assert_eq!(r["episodes"], 5);
}

#[test]
fn cve_feeds_import_with_the_score_filter() {
    let feed = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../ztgym-sre/tests/fixtures/feeds/list-sample.txt"
    );
    let v = json(&["cves", "--feed", feed, "--json"]);
    let count = v["count"].as_u64().unwrap();
    assert!(count > 0);
    assert!(v["entries"]
        .as_array()
        .unwrap()
        .iter()
        .all(|e| e["cvss"].as_f64().unwrap() >= 7.5));
    let builtin = json(&["cves", "--json"]);
    assert!(builtin["count"].as_u64().unwrap() >= 40);
}

#[test]
fn bad_input_gets_a_clear_error_and_exit_code_2() {
    let cases: &[(&[&str], &str)] = &[
        (
            &["eval", "--scenario", "nope", "--agent", "sop"],
            "no built-in scenario of that name",
        ),
        (
            &["eval", "--scenario", "classic", "--agent", "genius"],
            "unknown agent \"genius\"",
        ),
        (
            &[
                "eval",
                "--scenario",
                "classic",
                "--agent",
                "sop",
                "--episodes",
                "many",
            ],
            "--episodes expects a whole number",
        ),
        (
            &[
                "eval",
                "--scenario",
                "classic",
                "--agent",
                "sop",
                "--level",
                "godlike",
            ],
            "--level \"godlike\" is not a level",
        ),
        (&["eval", "--agent", "sop"], "--scenario is required"),
        (
            &["run", "--scenario", "classic", "--agent", "sop"],
            "--trajectory is required",
        ),
        (&["frobnicate"], "unrecognized subcommand 'frobnicate'"),
        (
            &["validate", "/nonexistent/x.toml"],
            "/nonexistent/x.toml: cannot read",
        ),
    ];
    for (args, want) in cases {
        let out = Command::new(env!("CARGO_BIN_EXE_ztgym"))
            .args(*args)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8(out.stderr).unwrap();
        assert!(err.contains(want), "{args:?}: want {want:?} in {err:?}");
    }
}

#[test]
fn every_command_explains_itself_with_help() {
    for command in [
        "eval",
        "train",
        "run",
        "bench",
        "scenarios",
        "validate",
        "cves",
    ] {
        let (ok, out, _) = ztgym(&[command, "--help"]);
        assert!(ok, "{command} --help exits 0");
        assert!(
            out.contains(&format!("ztgym {command}")),
            "{command}: {out}"
        );
        assert!(
            !out.contains("ztgym cves") || command == "cves",
            "only {command}'s usage"
        );
    }
    let (ok, out, _) = ztgym(&["train", "-h"]);
    assert!(ok && out.contains("q, q-lagrangian, bandit"), "{out}");
}

#[test]
fn help_by_command_suggestions_and_completions() {
    let (ok, out, _) = ztgym(&["help", "train"]);
    assert!(
        ok && out.contains("Usage: ztgym train") && out.contains("Examples:"),
        "{out}"
    );
    let (ok, _, err) = ztgym(&["evl"]);
    assert!(!ok && err.contains("'eval'"), "{err}");
    let (ok, _, err) = ztgym(&["eval", "--sed", "3"]);
    assert!(
        !ok && err.contains("a similar argument exists: '--seed'"),
        "{err}"
    );
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let (ok, out, err) = ztgym(&["completions", shell]);
        assert!(
            ok && out.contains("pairs") && out.contains("triage"),
            "{shell}: {err}"
        );
    }
    let (ok, _, err) = ztgym(&["completions", "tcsh"]);
    assert!(!ok && err.contains("invalid value 'tcsh'"), "{err}");
}

#[test]
fn files_after_a_double_dash_are_files_even_when_named_like_options() {
    // clap takes `--json` after `--` as a file; the command must read it as one too.
    let (ok, _, err) = ztgym(&["validate", "--", "--json"]);
    assert!(!ok);
    assert!(err.contains("--json"), "{err}");
    assert!(!err.contains("found 0 words"), "{err}");
    let (ok, _, err) = ztgym(&["rego", "test", "--", "-a.rego"]);
    assert!(!ok);
    assert!(err.contains("-a.rego"), "{err}");
    assert!(!err.contains("not an option"), "{err}");
}

#[test]
fn pairs_never_writes_over_its_scenario_given_as_task() {
    let scenario = tmp("pairs-input.toml");
    let text = include_str!("../../ztgym-sre/data/scenarios/classic.toml");
    std::fs::write(&scenario, text).unwrap();
    let (ok, _, err) = ztgym(&[
        "pairs",
        "--task",
        &scenario,
        "--agent",
        "sop",
        "--episodes",
        "1",
        "--out",
        &scenario,
    ]);
    assert!(!ok, "pairs wrote over its input");
    assert!(err.contains("--task"), "{err}");
    assert_eq!(std::fs::read_to_string(&scenario).unwrap(), text);
}
