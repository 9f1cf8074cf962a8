//! Bundles as OPA loads them: a policy and its `_test.rego` in one package, a library in
//! another directory imported as `data.lib.roles`, `data.json` at its directory's path, in v1
//! and in v0; errors at their file, line and column; hostile files and builtins refused.
//!
//! What `opa test DIR` reports for the fixtures (from OPA's documented semantics; no OPA
//! binary can be had here): every one of the 6 tests passes, in both syntaxes.

use serde_json::json;
use std::path::{Path, PathBuf};
use ztgym_core::gate::Gate;
use ztgym_rego::gate::{RegoRuleGate, Rules};
use ztgym_rego::{load_paths, Bundle, ErrorKind, LoadOptions, Syntax, TestStatus};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

fn all(_: &str) -> bool {
    true
}

const V1: LoadOptions = LoadOptions {
    v0_compatible: false,
    strict_builtin_errors: false,
};
const V0: LoadOptions = LoadOptions {
    v0_compatible: true,
    strict_builtin_errors: false,
};

/// The fixture's tests as `opa test -v` lists them: by file, then in the file's order.
const EXPECTED: [&str; 6] = [
    "data.lib.roles.test_alice_is_an_admin",
    "data.lib.roles.test_bob_is_a_viewer_only",
    "data.authz.test_an_admin_may_write",
    "data.authz.test_anyone_may_read_a_public_resource",
    "data.authz.test_a_viewer_may_not_write",
    "data.authz.test_a_denial_says_why",
];

#[test]
fn the_v1_bundle_passes_every_test_across_files_packages_and_data() {
    let b = load_paths(&[fixture("bundle-v1")], V1).unwrap();
    assert_eq!(b.modules().len(), 4);
    assert!(b.modules().iter().all(|m| m.syntax == Syntax::V1));
    assert_eq!(b.data()["roles"]["bindings"]["alice"], json!(["admin"]));
    assert_eq!(b.data()["public_resources"], json!(["docs", "site"]));
    let run = b.run_tests(&all, true);
    let names: Vec<String> = run.tests.iter().map(|t| t.full_name()).collect();
    assert_eq!(names, EXPECTED);
    assert!(
        run.tests.iter().all(|t| t.status == TestStatus::Pass),
        "{run:?}"
    );
    let coverage = run.coverage.unwrap();
    assert_eq!(coverage.len(), 4);
    assert!(
        coverage.iter().all(|f| f.percent() == 100.0),
        "{coverage:?}"
    );
}

#[test]
fn the_v0_bundle_loads_alone_compatible_and_with_the_flag() {
    for options in [V1, V0] {
        let b = load_paths(&[fixture("bundle-v0")], options).unwrap();
        assert!(b.modules().iter().all(|m| m.syntax == Syntax::V0));
        let run = b.run_tests(&all, false);
        assert_eq!(run.tests.len(), 6);
        assert!(
            run.tests.iter().all(|t| t.status == TestStatus::Pass),
            "{run:?}"
        );
        assert!(run.coverage.is_none());
    }
    // v1 text read as v0 throughout is an error at its place, as OPA's --v0-compatible gives.
    let e = load_paths(&[fixture("bundle-v1")], V0).unwrap_err();
    assert!(e.errors.iter().all(|e| e.line.is_some()), "{e}");
}

#[test]
fn seed_001s_legacy_policy_loads_as_it_did() {
    let seed =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../ztgym-harden/scenarios/seed001/policy.rego");
    let b = load_paths(&[&seed], V1).unwrap();
    assert_eq!(b.modules()[0].syntax, Syntax::V0);
    let run = b.run_tests(&all, false);
    assert_eq!(run.tests.len(), 7);
    assert!(
        run.tests.iter().all(|t| t.status == TestStatus::Pass),
        "{run:?}"
    );
}

#[test]
fn run_selects_tests_by_full_name() {
    let b = load_paths(&[fixture("bundle-v1")], V1).unwrap();
    let run = b.run_tests(&|n: &str| n.starts_with("data.lib."), false);
    assert_eq!(run.tests.len(), 2);
}

fn modules(texts: &[(&str, &str)]) -> Vec<(String, String)> {
    texts
        .iter()
        .map(|(n, t)| (n.to_string(), t.to_string()))
        .collect()
}

#[test]
fn fail_error_and_skip_are_told_apart() {
    let text = "package t\n\ntest_true if true\n\ntest_false if false\n\ntest_undefined if input.nothing\n\ntest_division if 1 / 0 == 1\n\ntest_concat_type if count(array.concat([1], \"x\")) == 2\n\ntodo_test_later if true\n";
    let run_with = |strict_builtin_errors| {
        let options = LoadOptions {
            strict_builtin_errors,
            ..V1
        };
        let b = Bundle::load(&modules(&[("t.rego", text)]), json!({}), options).unwrap();
        let run = b.run_tests(&all, false);
        let got: Vec<(String, u32, TestStatus)> = (run.tests.iter())
            .map(|t| (t.name.clone(), t.row, t.status))
            .collect();
        got
    };
    let named = |got: Vec<(String, u32, TestStatus)>| -> Vec<(&'static str, u32, TestStatus)> {
        let names = [
            "test_true",
            "test_false",
            "test_undefined",
            "test_division",
            "test_concat_type",
            "todo_test_later",
        ];
        got.into_iter()
            .zip(names)
            .map(|((name, row, status), want)| {
                assert_eq!(name, want);
                (want, row, status)
            })
            .collect()
    };
    // A builtin's error (division by zero; a guarded builtin given a string) is undefined, so
    // the test fails, as `opa test` has it; with strict builtin errors it is an error.
    assert_eq!(
        named(run_with(false)),
        [
            ("test_true", 3, TestStatus::Pass),
            ("test_false", 5, TestStatus::Fail),
            ("test_undefined", 7, TestStatus::Fail),
            ("test_division", 9, TestStatus::Fail),
            ("test_concat_type", 11, TestStatus::Fail),
            ("todo_test_later", 13, TestStatus::Skip),
        ]
    );
    let strict: Vec<TestStatus> = named(run_with(true)).into_iter().map(|t| t.2).collect();
    assert_eq!(
        strict,
        [
            TestStatus::Pass,
            TestStatus::Fail,
            TestStatus::Fail,
            TestStatus::Error,
            TestStatus::Error,
            TestStatus::Skip,
        ]
    );
}

#[test]
fn every_modules_errors_are_named_at_their_file_line_and_column() {
    let e = Bundle::load(
        &modules(&[
            ("a.rego", "package a\n\nallow if {\n  input.x ==\n}\n"),
            ("ok.rego", "package ok\n\nallow := true\n"),
            // v0 text with a mistake: reported by the reading that got further (v0's).
            (
                "legacy.rego",
                "package legacy\n\nallow {\n  input.x == 1\n}\n\ndeny[msg] {\n  msg := \n}\n",
            ),
        ]),
        json!({}),
        V1,
    )
    .unwrap_err();
    assert_eq!(e.errors.len(), 2, "{e}");
    assert_eq!(e.errors[0].file, "a.rego");
    assert!(e.errors[0].line.is_some_and(|l| l >= 4), "{e}");
    assert_eq!(e.errors[1].file, "legacy.rego");
    assert!(e.errors[1].line.is_some_and(|l| l >= 7), "{e}");
    assert!(e.to_string().starts_with("2 errors occurred:"), "{e}");
}

#[test]
fn imports_and_keywords_work_across_modules() {
    let b = Bundle::load(
        &modules(&[
            (
                "lib.rego",
                "package lib.util\n\nimport rego.v1\n\ndouble(x) := 2 * x\n",
            ),
            (
                "main.rego",
                "package main\n\nimport data.lib.util\nimport future.keywords.in\n\nanswer := util.double(input.n) if input.n in {1, 2, 21}\n",
            ),
        ]),
        json!({}),
        V1,
    )
    .unwrap();
    let r = b
        .eval_query("data.main.answer", Some(&json!({"n": 21})))
        .unwrap();
    assert_eq!(r["result"][0]["expressions"][0]["value"], json!(42));
    let undefined = b
        .eval_query("data.main.answer", Some(&json!({"n": 3})))
        .unwrap();
    assert_eq!(undefined, json!({}));
    let bound = b.eval_query("x := data.lib.util.double(4)", None).unwrap();
    assert_eq!(bound["result"][0]["bindings"]["x"], json!(8));
}

#[test]
fn huge_builtins_are_refused_before_they_allocate_in_queries_and_tests() {
    let b = Bundle::load(
        &modules(&[(
            "r.rego",
            "package r\n\nn := count(numbers.range(0, input.n))\n\ntest_huge if count(numbers.range(1, 1e3 * input.k)) > 0 with input.k as 1e9\n",
        )]),
        json!({}),
        V1,
    )
    .unwrap();
    for q in [
        "count(numbers.range(0, 1e12))",
        "count(numbers.range(0, 9223372036854775807))",
        "x := concat(\"\", [s | s := \"a\"; true]); y := strings.replace_n({\"a\": concat(\"\", numbers.range(0, 1e8))}, x)",
    ] {
        let e = b.eval_query(q, None).unwrap_err();
        assert!(
            e.kind == ErrorKind::Budget || e.message.contains("would build"),
            "{q}: {e}"
        );
    }
    let e = b
        .eval_query("data.r.n", Some(&json!({"n": 10_000_000_000u64})))
        .unwrap_err();
    assert_eq!(e.kind, ErrorKind::Budget, "{e}");
    assert!(e.message.contains("`numbers.range` would build"), "{e}");
    let run = b.run_tests(&all, false);
    assert_eq!(run.tests[0].status, TestStatus::Error);
    assert!(run.tests[0]
        .message
        .as_deref()
        .unwrap_or("")
        .contains("would build"));
    // A small range still works through the guard.
    let ok = b.eval_query("count(numbers.range(1, 10))", None).unwrap();
    assert_eq!(ok["result"][0]["expressions"][0]["value"], json!(10));
}

#[test]
fn a_gate_is_built_from_a_bundle() {
    let b = Bundle::load(
        &modules(&[
            (
                "gate.rego",
                "package gate\n\nimport data.lib.checks\n\nbroken contains {\"id\": \"cap\", \"reason\": \"over the cap\"} if checks.over(input.n)\n",
            ),
            ("lib.rego", "package lib.checks\n\nover(n) if n > data.limits.cap\n"),
        ]),
        json!({"limits": {"cap": 3}}),
        V1,
    )
    .unwrap();
    let rules = Rules {
        owner: "the test",
        ids: vec!["cap", "failed"],
        fail_closed: "failed",
    };
    let gate = RegoRuleGate::from_bundle(&b, "data.gate", rules, [json!({"n": 1})]).unwrap();
    assert!(gate.check(&json!({"n": 2})).broken.is_empty());
    assert_eq!(gate.check(&json!({"n": 5})).broken[0].id, "cap");
}

/// A fresh directory under the system's temporary one.
fn scratch(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("ztgym-bundle-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

#[test]
fn hostile_directories_are_refused_with_clear_messages() {
    // A symbolic link out of the directory named.
    let d = scratch("link");
    std::fs::write(d.join("p.rego"), "package p\n\nallow := true\n").unwrap();
    let outside = scratch("outside");
    std::fs::write(outside.join("secret.rego"), "package s\n").unwrap();
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(outside.join("secret.rego"), d.join("s.rego")).unwrap();
        let e = load_paths(&[&d], V1).unwrap_err();
        assert!(e.to_string().contains("outside the directory named"), "{e}");
        // Loops: a link to itself, and a directory linked back to the one named.
        let d = scratch("loop");
        std::fs::write(
            d.join("p.rego"),
            "package p

allow := true
",
        )
        .unwrap();
        std::os::unix::fs::symlink(d.join("self.rego"), d.join("self.rego")).unwrap();
        let e = load_paths(&[&d], V1).unwrap_err();
        assert!(
            e.to_string().contains("self.rego") && e.to_string().contains("leads nowhere"),
            "{e}"
        );
        std::fs::remove_file(d.join("self.rego")).unwrap();
        std::fs::create_dir_all(d.join("sub")).unwrap();
        std::os::unix::fs::symlink(&d, d.join("sub/up")).unwrap();
        let e = load_paths(&[&d], V1).unwrap_err();
        assert!(
            e.to_string().contains("to a directory: not followed"),
            "{e}"
        );
    }
    // YAML data is read at its directory's path; a broken file is named at its line, and an
    // alias bomb ("billion laughs") is an error, not gigabytes.
    let d = scratch("yaml");
    std::fs::write(
        d.join("p.rego"),
        "package p\n\nn := count(data.roles.admins)\n",
    )
    .unwrap();
    std::fs::create_dir_all(d.join("roles")).unwrap();
    std::fs::write(
        d.join("roles/data.yaml"),
        "admins:\n  - ada\n  - bob\nlevel: 3\n",
    )
    .unwrap();
    let b = load_paths(&[&d], V1).unwrap();
    assert_eq!(b.data()["roles"]["level"], 3);
    let answer = b.eval_query("data.p.n", None).unwrap();
    assert_eq!(answer["result"][0]["expressions"][0]["value"], 2);
    std::fs::write(d.join("roles/data.yaml"), "admins: [ada\nlevel: : 3\n").unwrap();
    let e = load_paths(&[&d], V1).unwrap_err();
    assert!(e.to_string().contains("not YAML data"), "{e}");
    assert!(e.errors[0].line.is_some(), "{e:?}");
    let mut bomb = String::from(
        "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
    );
    for (i, prev) in ["b", "c", "d", "e", "f", "g", "h", "i"]
        .iter()
        .zip(["a", "b", "c", "d", "e", "f", "g", "h"])
    {
        bomb.push_str(&format!(
            "{i}: &{i} [*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev}]\n"
        ));
    }
    std::fs::write(d.join("roles/data.yaml"), bomb).unwrap();
    let e = load_paths(&[&d], V1).unwrap_err();
    assert!(e.to_string().contains("not YAML data"), "{e}");
    // Two data documents for one place.
    let d = scratch("conflict");
    std::fs::write(d.join("data.json"), "{\"a\": {\"b\": 1}}").unwrap();
    std::fs::create_dir_all(d.join("a")).unwrap();
    std::fs::write(d.join("a/data.json"), "{\"b\": 2}").unwrap();
    let e = load_paths(&[&d], V1).unwrap_err();
    assert!(e.to_string().contains("data.a.b is given twice"), "{e}");
    // Too many files.
    let d = scratch("many");
    for i in 0..=ztgym_rego::bundle::MAX_MODULES {
        std::fs::write(d.join(format!("m{i:04}.rego")), format!("package m{i}\n")).unwrap();
    }
    let e = load_paths(&[&d], V1).unwrap_err();
    assert!(e.to_string().contains("more than 1000 files"), "{e}");
    // Data that is not JSON, a number beyond 64 bits, an unknown file kind.
    let d = scratch("bad-data");
    std::fs::write(d.join("data.json"), "{\"n\": 18446744073709551617}").unwrap();
    let e = load_paths(&[&d], V1).unwrap_err();
    assert!(e.to_string().contains("does not fit in 64 bits"), "{e}");
    let e = load_paths(&[d.join("nothing.txt")], V1).unwrap_err();
    assert!(e.to_string().contains("cannot read"), "{e}");
}

#[test]
fn tests_are_found_in_the_parsed_module_not_its_lines() {
    // An indented head is a test; a line of a raw string that looks like one is not.
    let text = "package t\n\nnote := `\ntest_in_a_string := true\n`\n\n    test_indented if true\n\ntest_plain if note != \"\"\n";
    let b = Bundle::load(&modules(&[("t.rego", text)]), json!({}), V1).unwrap();
    let run = b.run_tests(&all, false);
    let got: Vec<(&str, u32, TestStatus)> = (run.tests.iter())
        .map(|t| (t.name.as_str(), t.row, t.status))
        .collect();
    assert_eq!(
        got,
        [
            ("test_indented", 7, TestStatus::Pass),
            ("test_plain", 9, TestStatus::Pass)
        ]
    );
}
