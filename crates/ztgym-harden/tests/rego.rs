//! Broken, runaway and hostile policies each get a clear message, and a gate keeps the last
//! good policy.

use ztgym_harden::rego::{ErrorKind, Policy, TestStatus};

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
