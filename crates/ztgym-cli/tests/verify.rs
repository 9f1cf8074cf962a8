//! `ztgym verify`: a trajectory `ztgym run` wrote verifies for every environment; one reward
//! changed is flagged at its step (exit 1); each hostile file is refused (exit 2) with a
//! message naming its line and field.

mod common;
use common::{json, tmp, ztgym};
use serde_json::Value;

/// Runs `ztgym verify` on `text` written to a scratch file: (exit code, stdout, stderr).
fn verify_text(name: &str, text: &str, extra: &[&str]) -> (i32, String, String) {
    let path = tmp(name);
    std::fs::write(&path, text).unwrap();
    let mut args = vec!["verify", path.as_str()];
    args.extend_from_slice(extra);
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_ztgym"))
        .args(&args)
        .output()
        .unwrap();
    (
        out.status.code().unwrap(),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

/// The trajectory `ztgym run` writes for `args` (after `run`).
fn recorded(name: &str, args: &[&str]) -> String {
    let path = tmp(name);
    let mut words = vec!["run"];
    words.extend_from_slice(args);
    words.extend_from_slice(&["--trajectory", &path, "--json"]);
    json(&words);
    std::fs::read_to_string(&path).unwrap()
}

fn sre_run() -> String {
    recorded(
        "sre.jsonl",
        &["--scenario", "enterprise", "--agent", "sop", "--seed", "3"],
    )
}

/// `text` with line `n` (1-based) changed by `f`.
fn edit_line(text: &str, n: usize, f: impl FnOnce(&mut Value)) -> String {
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    let mut v: Value = serde_json::from_str(&lines[n - 1]).unwrap();
    f(&mut v);
    lines[n - 1] = v.to_string();
    lines.join("\n") + "\n"
}

#[test]
fn a_run_of_every_environment_verifies() {
    let runs = [
        (
            "s.jsonl",
            vec![
                "--scenario",
                "classic",
                "--agent",
                "random",
                "--seed",
                "7",
                "--level",
                "expert",
            ],
        ),
        (
            "t.jsonl",
            vec![
                "--env",
                "triage",
                "--task",
                "L2",
                "--agent",
                "rule-based",
                "--seed",
                "4",
            ],
        ),
        (
            "h.jsonl",
            vec![
                "--env",
                "harden",
                "--scenario",
                "uc04-waf-tuning",
                "--agent",
                "greedy",
                "--level",
                "prod",
                "--recommend-only",
            ],
        ),
    ];
    for (name, args) in runs {
        let text = recorded(name, &args);
        let (code, out, err) = verify_text(name, &text, &["--json"]);
        assert_eq!(code, 0, "{args:?}: {err}");
        let v: Value = serde_json::from_str(&out).unwrap();
        assert_eq!(v["verified"], true, "{v}");
        assert_eq!(v["complete"], true, "{v}");
        assert_eq!(v["steps"], text.lines().count() - 1);
        assert!(v["first_mismatch"].is_null());
        let (code, out, _) = verify_text(name, &text, &[]);
        assert_eq!(code, 0);
        assert!(out.contains("steps verified"), "{out}");
    }
}

#[test]
fn one_reward_changed_is_flagged_at_its_step() {
    let text = sre_run();
    // Line 4 holds step 2.
    let tampered = edit_line(&text, 4, |v| {
        v["reward"] = Value::from(v["reward"].as_f64().unwrap() + 1.0)
    });
    let (code, out, err) = verify_text("tampered.jsonl", &tampered, &[]);
    assert_eq!(code, 1, "{err}");
    assert!(
        out.contains("step 2 (line 4) differs: recorded reward"),
        "{out}"
    );
    assert!(out.contains("1 of "), "{out}");
    let (_, out, _) = verify_text("tampered.jsonl", &tampered, &["--json"]);
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["verified"], false);
    assert_eq!(v["first_mismatch"], 2);
    assert_eq!(v["mismatches"][0]["differences"][0]["field"], "reward");
    // An observation digest changed is flagged too.
    let tampered = edit_line(&text, 3, |v| {
        v["observation_digest"] = "0000000000000000".into()
    });
    let (code, out, _) = verify_text("digest.jsonl", &tampered, &[]);
    assert_eq!(code, 1);
    assert!(
        out.contains("step 1 (line 3) differs: recorded observation_digest 0000000000000000"),
        "{out}"
    );
}

#[test]
fn a_file_that_stops_early_verifies_as_partial_and_one_that_goes_on_is_flagged() {
    let text = sre_run();
    let lines: Vec<&str> = text.lines().collect();
    let (code, out, _) = verify_text("partial.jsonl", &lines[..3].join("\n"), &[]);
    assert_eq!(code, 0);
    assert!(out.contains("stops before the episode ends"), "{out}");
    let mut longer = text.clone();
    let last: Value = serde_json::from_str(lines.last().unwrap()).unwrap();
    let mut extra = last.clone();
    extra["t"] = Value::from(last["t"].as_u64().unwrap() + 1);
    longer.push_str(&format!("{extra}\n"));
    let (code, out, _) = verify_text("longer.jsonl", &longer, &[]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("episode had ended"), "{out}");
}

/// Each hostile file is refused with exit 2, its message naming the line and the field.
#[test]
fn hostile_files_get_a_message_naming_line_and_field() {
    let text = sre_run();
    let header = text.lines().next().unwrap().to_string();
    let step = |n: usize| text.lines().nth(n).unwrap().to_string();
    let many = format!(
        "{header}\n{}",
        (0..10_001).map(|_| "{}\n").collect::<String>()
    );
    let cases: Vec<(&str, String, &str)> = vec![
        ("empty", String::new(), "the file is empty"),
        (
            "bad JSON",
            format!("{header}\n{{\"t\": 0,\n"),
            "line 2: not JSON",
        ),
        (
            "not an object",
            format!("{header}\n[1, 2]\n"),
            "line 2: expected a JSON object, found an array",
        ),
        (
            "no header",
            format!("{}\n", step(1)),
            "line 1: not a trajectory header",
        ),
        (
            "other format",
            header.replace("ztgym-trajectory", "other"),
            "line 1: field format: expected \"ztgym-trajectory\"",
        ),
        (
            "unknown version",
            header.replace("\"version\":1", "\"version\":7"),
            "line 1: field version: version 7 is not known (this build reads version 1)",
        ),
        (
            "unknown env",
            header.replace("\"env\":\"sre\"", "\"env\":\"chess\""),
            "line 1: field env: unknown environment \"chess\"",
        ),
        (
            "markup env",
            header.replace("\"env\":\"sre\"", "\"env\":\"<script>alert(1)</script>\""),
            "unknown environment \"<script>alert(1)</script>\"",
        ),
        (
            "unknown scenario",
            header.replace(
                "\"scenario\":\"enterprise\"",
                "\"scenario\":\"../../etc/passwd\"",
            ),
            "line 1: field scenario: \"../../etc/passwd\" is not a built-in scenario of sre",
        ),
        (
            "gate file",
            header.replace("\"inputs\":{}", "\"inputs\":{\"gate\":\"p.rego\"}"),
            "line 1: field inputs: the run read --gate p.rego",
        ),
        (
            "bad options",
            header.replace("\"level\":null", "\"level\":\"godlike\""),
            "line 1: field options:",
        ),
        (
            "seed not a number",
            header.replace("\"seed\":3", "\"seed\":\"three\""),
            "line 1: field seed: expected a whole number from 0, found \"three\"",
        ),
        (
            "missing reward",
            edit_line(&text, 2, |v| {
                v.as_object_mut().unwrap().remove("reward");
            }),
            "line 2: field reward is missing",
        ),
        (
            "reward a string",
            edit_line(&text, 2, |v| v["reward"] = "lots".into()),
            "line 2: field reward: expected a number, found \"lots\"",
        ),
        (
            "unknown field",
            edit_line(&text, 3, |v| v["bonus"] = 1.into()),
            "line 3: unknown field \"bonus\"",
        ),
        (
            "steps out of order",
            edit_line(&text, 3, |v| v["t"] = 5.into()),
            "line 3: field t: 5, expected 1",
        ),
        (
            "malformed action",
            edit_line(&text, 2, |v| {
                v["action"] = serde_json::json!({"tool": "teleport"})
            }),
            "line 2: field action: not an action of sre",
        ),
        (
            "refused action",
            edit_line(
                &text,
                2,
                |v| {
                    v["action"] =
                        serde_json::json!({"tool": "query_siem_logs", "node": "no-such-node"})
                },
            ),
            "line 2: field action: the environment refused it",
        ),
        (
            "too many steps",
            many,
            "the run has 10001 steps, more than can be replayed here (at most 10000)",
        ),
        (
            "long line",
            format!("{header}\n{}\n", "x".repeat(70_000)),
            "line 2: 70000 bytes, longer than a line may be (65536)",
        ),
    ];
    for (what, file, expected) in cases {
        let (code, out, err) = verify_text("hostile.jsonl", &file, &[]);
        assert_eq!(code, 2, "{what}: {out}{err}");
        assert!(err.contains(expected), "{what}: {err}");
        assert!(out.is_empty(), "{what}: {out}");
    }
}

#[test]
fn verify_takes_one_file() {
    let (ok, _, err) = ztgym(&["verify"]);
    assert!(
        !ok && err.contains("give exactly one trajectory file"),
        "{err}"
    );
    let (ok, _, err) = ztgym(&["verify", "/no/such/file.jsonl"]);
    assert!(!ok && err.contains("/no/such/file.jsonl"), "{err}");
}
