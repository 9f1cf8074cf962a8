//! Running the `ztgym` binary from the CLI's integration tests.
// Each test binary uses its own subset of these helpers.
#![allow(dead_code)]

use serde_json::Value;
use std::process::Command;

/// Runs `ztgym` with `args`: (success, stdout, stderr).
pub fn ztgym(args: &[&str]) -> (bool, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_ztgym"))
        .args(args)
        .output()
        .unwrap();
    (
        out.status.success(),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

/// Runs `ztgym`, which must succeed, and parses the one JSON object it prints.
pub fn json(args: &[&str]) -> Value {
    let (ok, out, err) = ztgym(args);
    assert!(ok, "{args:?}: {err}");
    serde_json::from_str(&out).unwrap()
}

/// A path for `name` in a scratch folder of this test process.
pub fn tmp(name: &str) -> String {
    let dir = std::env::temp_dir().join(format!("ztgym-cli-tests-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name).to_string_lossy().into_owned()
}

/// The fields every `eval --json` report carries.
pub const EVAL_FIELDS: [&str; 9] = [
    "episodes",
    "mean_return",
    "std_return",
    "success_rate",
    "compliance_rate",
    "violation_rate",
    "mean_cost",
    "mean_steps",
    "mean_uptime",
];
