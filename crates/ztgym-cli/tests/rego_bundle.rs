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
