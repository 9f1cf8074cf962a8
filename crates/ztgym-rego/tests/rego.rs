//! Broken, runaway and hostile policies each get a clear message, and a gate keeps the last
//! good policy.

use ztgym_rego::{ErrorKind, Policy, TestStatus};

#[test]
fn a_syntax_error_is_reported_at_its_line_and_column() {
    let e = Policy::load("bad.rego", "package zt\n\nallow if {\n  input.x ==\n}\n").unwrap_err();
    assert_eq!(e.kind, ErrorKind::Syntax);
    assert!(e.line.is_some_and(|l| l >= 4), "{e}");
    assert!(e.column.is_some(), "{e}");
    assert!(e.to_string().starts_with("bad.rego:"), "{e}");
}

#[test]
fn network_and_clock_builtins_are_refused_where_they_are_named() {
    let e = Policy::load(
        "hostile.rego",
        "package zt\n# http.send in a comment is fine\nallow if {\n  r := http.send({\"method\": \"get\", \"url\": \"http://x\"})\n}\n",
    )
    .unwrap_err();
    assert_eq!(e.kind, ErrorKind::Refused);
    assert_eq!((e.line, e.column), (Some(4), Some(8)));
    assert!(e.message.contains("no network"), "{e}");
    let e = Policy::load("t.rego", "package zt\nallow if time.now_ns() > 0\n").unwrap_err();
    assert_eq!(e.kind, ErrorKind::Refused);
    assert!(e.message.contains("no clock"), "{e}");
}

#[test]
fn a_runaway_policy_is_stopped_by_the_budget() {
    let p = Policy::load(
        "runaway.rego",
        "package zt\nallow if {\n  n := numbers.range(1, 100000)\n  count([x | some a in n; some b in n; x := a * b]) > 0\n}\n",
    )
    .unwrap();
    let e = p.eval("data.zt.allow", &serde_json::json!({})).unwrap_err();
    assert_eq!(e.kind, ErrorKind::Budget, "{e}");
    assert!(e.message.contains("instruction"), "{e}");
}

#[test]
fn tests_pass_fail_and_error_like_opa_test() {
    let p = Policy::load(
        "t.rego",
        "package t\nx := 1\ntest_ok if x == 1\ntest_bad if x == 2\ntest_err if {\n  y := 1 / 0\n  y > 0\n}\ntodo_test_later if false\n",
    )
    .unwrap();
    let r = p.run_tests();
    let got: Vec<(&str, TestStatus)> = r.iter().map(|t| (t.name.as_str(), t.status)).collect();
    assert_eq!(got[0], ("test_ok", TestStatus::Pass));
    assert_eq!(got[1], ("test_bad", TestStatus::Fail));
    assert_eq!(got[2].0, "test_err");
    assert_eq!(got[3], ("todo_test_later", TestStatus::Skip));
}

fn v1(rules: &str) -> String {
    format!("package zt\nimport rego.v1\n{rules}\n")
}

#[test]
fn refused_builtins_are_calls_not_words() {
    let words = v1("allow if \"http.send time.now_ns\" != \"\" # rand.intn(\"x\", 2)");
    assert!(Policy::load("w.rego", &words).is_ok());
    let call = v1("allow if {\n  x := [y | some u in [1]; y := time.now_ns()]\n}");
    let e = Policy::load("c.rego", &call).unwrap_err();
    assert_eq!(
        (e.kind, e.line, e.column),
        (ErrorKind::Refused, Some(4), Some(33)),
        "{e}"
    );
}

#[test]
fn brackets_nested_too_deep_are_refused_before_parsing() {
    let deep = v1(&format!(
        "x := {}1{}",
        "[".repeat(100_000),
        "]".repeat(100_000)
    ));
    let e = Policy::load("n.rego", &deep).unwrap_err();
    assert_eq!((e.kind, e.line), (ErrorKind::Bounds, Some(3)), "{e}");
    assert!(e.message.contains("more than 12 deep"), "{e}");
    let fine = v1(&format!("x := {}1{}", "[".repeat(12), "]".repeat(12)));
    assert!(Policy::load("n.rego", &fine).is_ok());
}

fn chain(n: usize) -> String {
    let mut s = (0..n)
        .map(|i| format!("r{i} := r{} + 1\n", i + 1))
        .collect::<String>();
    s.push_str(&format!("r{n} := 0\n"));
    v1(&s)
}

#[test]
fn a_long_chain_of_rules_is_refused_at_load_and_a_short_one_evaluates() {
    let e = Policy::load("c.rego", &chain(3000)).unwrap_err();
    assert_eq!((e.kind, e.line), (ErrorKind::Bounds, Some(3)), "{e}");
    assert!(e.message.contains("chain of 3001 rules"), "{e}");
    let p = Policy::load("c.rego", &chain(99)).unwrap();
    let v = p.eval("data.zt.r0", &serde_json::json!({})).unwrap();
    assert_eq!(v, regorus::Value::from(99u64));
}

#[test]
fn a_literal_builtin_argument_past_its_bound_is_refused_at_its_call() {
    let e = Policy::load("r.rego", &v1("x := count(numbers.range(1, 1e10))")).unwrap_err();
    assert_eq!(
        (e.kind, e.line, e.column),
        (ErrorKind::Bounds, Some(3), Some(12)),
        "{e}"
    );
    assert!(e.message.contains("`numbers.range` would build"), "{e}");
}

#[test]
fn a_computed_builtin_argument_past_its_bound_stops_the_vm() {
    let p = Policy::load("r.rego", &v1("x := count(numbers.range(0, input.n))")).unwrap();
    for n in [10_000_000_000u64, 9_223_372_036_854_775_807] {
        let e = p
            .eval("data.zt.x", &serde_json::json!({ "n": n }))
            .unwrap_err();
        assert_eq!(e.kind, ErrorKind::Budget, "{e}");
        assert!(e.message.contains("`numbers.range` would build"), "{e}");
    }
    // `not` does not turn the refusal into a yes.
    let p = Policy::load("n.rego", &v1("x if not numbers.range(0, input.n)")).unwrap();
    let e = p
        .eval("data.zt.x", &serde_json::json!({"n": 1e12}))
        .unwrap_err();
    assert_eq!(e.kind, ErrorKind::Budget, "{e}");
    let v = p.eval("data.zt.x", &serde_json::json!({"n": 5})).unwrap();
    assert_eq!(v, regorus::Value::Undefined);
}

#[cfg(not(target_arch = "wasm32"))]
#[test]
fn an_evaluation_past_its_memory_budget_is_stopped() {
    // 1 MiB strings, doubled a thousand times: 2 GiB if nothing stopped it.
    let mut rules = format!("s0 := \"{}\"\n", "x".repeat(512));
    for i in 1..=11 {
        rules.push_str(&format!("s{i} := concat(\"\", [s{0}, s{0}])\n", i - 1));
    }
    rules.push_str(
        "x := count([concat(\"\", [s11, s11, \"{i}\"]) | some i in numbers.range(1, 1000)])",
    );
    let p = Policy::load("m.rego", &v1(&rules)).unwrap();
    let e = p.eval("data.zt.x", &serde_json::json!({})).unwrap_err();
    assert_eq!(e.kind, ErrorKind::Budget, "{e}");
    assert!(e.message.contains("memory"), "{e}");
}

#[cfg(not(target_arch = "wasm32"))]
#[test]
fn a_huge_range_in_the_interpreter_is_a_test_error() {
    let p = Policy::load(
        "t.rego",
        &v1("test_r if count(numbers.range(0, input.n)) > 0 with input as {\"n\": 9223372036854775807}\ntest_ok if true"),
    )
    .unwrap();
    let r = p.run_tests();
    assert_eq!(r[0].status, TestStatus::Error, "{r:?}");
    assert_eq!(
        r[1].status,
        TestStatus::Pass,
        "the next test still runs: {r:?}"
    );
    assert!(
        r[0].message
            .as_deref()
            .unwrap_or("")
            .contains("`numbers.range` would build 9223372036854775808 numbers"),
        "{r:?}"
    );
}
