//! `rego test DIR` and `rego eval -d DIR QUERY` on the bundle fixtures of ztgym-rego, as
//! `opa test` and `opa eval` report them (all 6 tests pass in v1 and in v0).

mod common;
use common::ztgym;

fn json(text: &str) -> serde_json::Value {
    serde_json::from_str(text).expect("JSON output")
}

fn fixture(name: &str) -> String {
    format!(
        "{}/../ztgym-rego/tests/fixtures/{name}",
        env!("CARGO_MANIFEST_DIR")
    )
}

#[test]
fn rego_test_reports_a_bundle_as_opa_test_does() {
    for dir in ["bundle-v1", "bundle-v0"] {
        let (ok, out, err) = ztgym(&["rego", "test", &fixture(dir)]);
        assert!(ok, "{err}");
        assert_eq!(out.trim(), "PASS: 6/6");
        let (ok, out, _) = ztgym(&["rego", "test", &fixture(dir), "-v"]);
        assert!(ok);
        assert!(
            out.contains("lib/roles_test.rego:\ndata.lib.roles.test_alice_is_an_admin: PASS ("),
            "{out}"
        );
        assert!(
            out.contains("data.authz.test_a_denial_says_why: PASS ("),
            "{out}"
        );
        assert!(
            out.ends_with(&format!("{}\nPASS: 6/6\n", "-".repeat(80))),
            "{out}"
        );
    }
    let (ok, out, _) = ztgym(&[
        "rego",
        "test",
        &fixture("bundle-v1"),
        "--run",
        "lib",
        "--json",
        "--coverage",
    ]);
    let v = json(&out);
    assert!(ok);
    assert_eq!(v["summary"]["total"], 2);
    // The modules those tests reached.
    assert_eq!(v["coverage"].as_array().map(Vec::len), Some(2));
    let (ok, _, err) = ztgym(&["rego", "test", &fixture("bundle-v1"), "--v0-compatible"]);
    assert!(!ok && err.contains("authz.rego:"), "{err}");
}

#[test]
fn rego_eval_answers_any_query_on_a_bundle() {
    let dir = fixture("bundle-v1");
    let (ok, out, err) = ztgym(&[
        "rego",
        "eval",
        "-d",
        &dir,
        "data.lib.roles.roles_of(\"alice\")",
    ]);
    assert!(ok, "{err}");
    assert_eq!(out.trim(), "[\n  \"admin\"\n]");
    let (ok, out, _) = ztgym(&["rego", "eval", "-d", &dir, "data.authz.allow", "--json"]);
    assert!(ok);
    assert_eq!(json(&out)["result"][0]["expressions"][0]["value"], false);
    let (ok, out, _) = ztgym(&["rego", "eval", "-d", &dir, "data.authz.nothing"]);
    assert!(ok);
    assert_eq!(out.trim(), "undefined");
    let (ok, _, err) = ztgym(&["rego", "eval", "count(numbers.range(0, 1e12))"]);
    assert!(!ok && err.contains("would build"), "{err}");
}

#[test]
fn every_module_that_does_not_load_is_reported_on_lines_of_its_own() {
    let dir = std::env::temp_dir().join(format!("ztgym-bad-bundle-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("a.rego"), "package a\nallow if {\n").unwrap();
    std::fs::write(dir.join("b.rego"), "package b\nx := \x1b[31m\n").unwrap();
    let (ok, _, err) = ztgym(&["rego", "test", dir.to_str().unwrap()]);
    std::fs::remove_dir_all(&dir).unwrap();
    assert!(!ok);
    assert!(err.starts_with("ztgym: 2 errors occurred:\n"), "{err}");
    assert!(
        err.contains("a.rego:3:1") && err.contains("b.rego:"),
        "{err}"
    );
    assert!(!err.contains("\\n") && !err.contains('\x1b'), "{err}");
}

/// A copy of the v1 fixture with a module of v0 text beside it, and tests that fail, err and
/// are skipped: the report `opa test` prints for such a bundle, in text and in its JSON.
fn failing_bundle(name: &str) -> String {
    let dir = common::tmp(name);
    let _ = std::fs::remove_dir_all(&dir);
    copy_dir(&fixture("bundle-v1"), &dir);
    // v0 text (no `if`, `deny[msg]`) beside the v1 modules: it loads as v0 without a flag.
    std::fs::write(
        format!("{dir}/policy/legacy.rego"),
        "package legacy\n\ndeny[msg] {\n\tinput.user == \"mallory\"\n\tmsg := \"mallory is out\"\n}\n",
    )
    .unwrap();
    std::fs::write(
        format!("{dir}/policy/more_test.rego"),
        "package authz\n\nimport data.legacy\n\ntest_mallory_is_denied if {\n\tlegacy.deny[\"mallory is out\"] with input as {\"user\": \"mallory\"}\n}\n\ntest_bob_may_write if {\n\tallow with input as {\"user\": \"bob\", \"action\": \"write\", \"resource\": \"db\"}\n}\n\ntest_a_huge_range if {\n\tcount(numbers.range(1, input.n)) > 0 with input as {\"n\": 1e10}\n}\n\ntodo_test_later if {\n\tfalse\n}\n",
    )
    .unwrap();
    dir
}

fn copy_dir(from: &str, to: &str) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let source = entry.path();
        let target = format!("{to}/{}", entry.file_name().to_string_lossy());
        if source.is_dir() {
            copy_dir(source.to_str().unwrap(), &target);
        } else {
            std::fs::copy(&source, &target).unwrap();
        }
    }
}

#[test]
fn failures_errors_and_skips_are_reported_as_opa_test_reports_them() {
    let dir = failing_bundle("rego-failing-bundle");
    let (ok, out, err) = ztgym(&["rego", "test", &dir]);
    assert!(!ok, "a failure and an error exit non-zero");
    assert!(err.contains("2 of 10 failed"), "{err}");
    // Only what did not pass, under its file; then the counts.
    let rule = "-".repeat(80);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines[0], format!("{dir}/policy/more_test.rego:"), "{out}");
    assert!(
        lines[1].starts_with("data.authz.test_bob_may_write: FAIL ("),
        "{out}"
    );
    assert!(
        lines[2].starts_with("data.authz.test_a_huge_range: ERROR ("),
        "{out}"
    );
    assert!(
        lines[3].starts_with("  ") && lines[3].contains("would build 10000000000 numbers"),
        "{out}"
    );
    assert_eq!(lines[4], "data.authz.todo_test_later: SKIPPED", "{out}");
    assert_eq!(
        &lines[5..],
        [
            rule.as_str(),
            "PASS: 7/10",
            "FAIL: 1/10",
            "SKIPPED: 1/10",
            "ERROR: 1/10"
        ],
        "{out}"
    );
    // -v: the failures first, then every test.
    let (_, out, _) = ztgym(&["rego", "test", &dir, "-v"]);
    assert!(
        out.starts_with(&format!(
            "FAILURES\n{rule}\ndata.authz.test_bob_may_write: FAIL ("
        )),
        "{out}"
    );
    assert!(out.contains(&format!("\nSUMMARY\n{rule}\n")), "{out}");
    assert!(
        out.contains("data.authz.test_mallory_is_denied: PASS ("),
        "the v0 module loaded: {out}"
    );

    // --format json: opa test's array, Go's field order, a location per test.
    let (ok, out, _) = ztgym(&["rego", "test", &dir, "--format", "json"]);
    assert!(!ok);
    let results = json(&out);
    let results = results.as_array().expect("an array of results");
    assert_eq!(results.len(), 10);
    let by_name = |name: &str| results.iter().find(|r| r["name"] == name).unwrap().clone();
    let failed = by_name("test_bob_may_write");
    assert_eq!(failed["fail"], true);
    assert_eq!(failed["package"], "data.authz");
    let file = format!("{dir}/policy/more_test.rego");
    assert_eq!(
        failed["location"],
        serde_json::json!({"file": file, "row": 9, "col": 1})
    );
    assert!(failed["duration"].as_u64().is_some());
    assert!(by_name("test_a_huge_range")["error"]["message"]
        .as_str()
        .unwrap()
        .contains("would build"));
    assert_eq!(by_name("todo_test_later")["skip"], true);
    let passed = by_name("test_mallory_is_denied");
    assert!(
        passed.get("fail").is_none()
            && passed.get("error").is_none()
            && passed.get("skip").is_none()
    );
    // Go's field order, as written (a parsed object forgets it).
    let first = out.split("\n  },").next().unwrap();
    let at = |key: &str| first.find(&format!("\"{key}\":")).unwrap_or(usize::MAX);
    assert!(
        at("location") < at("package") && at("package") < at("name") && at("name") < at("duration"),
        "Go's order: {first}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn coverage_in_opa_s_json_is_its_coverage_report() {
    let (ok, out, err) = ztgym(&[
        "rego",
        "test",
        &fixture("bundle-v1"),
        "--coverage",
        "--format",
        "json",
    ]);
    assert!(ok, "{err}");
    let report = json(&out);
    let files = report["files"].as_object().expect("files");
    let authz_file = format!("{}/policy/authz.rego", fixture("bundle-v1"));
    assert!(files.contains_key(&authz_file), "{out}");
    let covered = report["covered_lines"].as_u64().unwrap();
    let not_covered = report["not_covered_lines"].as_u64().unwrap();
    assert!(covered > 0);
    let share = report["coverage"].as_f64().unwrap();
    // A whole percentage as Go writes it: `100`, not `100.0`.
    assert!(!out.contains(".0,") && !out.contains(".0\n"), "{out}");
    assert!((share - 100.0 * covered as f64 / (covered + not_covered) as f64).abs() < 1e-9);
    // Go's field order, as written.
    let at = |key: &str| out.find(&format!("\"{key}\":")).unwrap_or(usize::MAX);
    assert!(
        at("files") < at("covered") && at("covered") < at("covered_lines"),
        "{out}"
    );
    assert!(
        out.rfind("\"not_covered_lines\":") < out.rfind("\"coverage\":"),
        "{out}"
    );
    let first = &files[&authz_file]["covered"][0];
    assert!(
        first["start"]["row"].as_u64().unwrap() <= first["end"]["row"].as_u64().unwrap(),
        "{out}"
    );
    // With a failing test, the failures as text, not the report (as opa test does).
    let dir = failing_bundle("rego-failing-coverage");
    let (ok, out, _) = ztgym(&["rego", "test", &dir, "--coverage", "--format", "json"]);
    assert!(!ok);
    let head = format!("{dir}/policy/more_test.rego:\ndata.authz.test_bob_may_write: FAIL (");
    assert!(out.starts_with(&head), "{out}");
    let _ = std::fs::remove_dir_all(&dir);
}
