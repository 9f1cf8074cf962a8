//! `--env` on every command, and `ztgym envs`.

mod common;
use common::{json, tmp, ztgym};

#[test]
fn envs_lists_the_registry() {
    let v = json(&["envs", "--json"]);
    assert_eq!(v["envs"][0]["id"], "sre");
    let (ok, out, _) = ztgym(&["envs"]);
    assert!(ok && out.starts_with("sre\t"), "{out}");
}

#[test]
fn a_missing_env_means_sre_and_naming_it_changes_nothing() {
    let args = |env: Option<&str>| {
        let mut a = vec![
            "eval",
            "--scenario",
            "classic",
            "--agent",
            "sop",
            "--episodes",
            "20",
            "--json",
        ];
        if let Some(e) = env {
            a.splice(1..1, ["--env", e]);
        }
        ztgym(&a)
    };
    let plain = args(None);
    assert!(plain.0);
    assert_eq!(args(Some("sre")), plain);
    let (ok, out, err) = ztgym(&["scenarios", "--env=sre"]);
    assert!(ok && out.contains("classic"), "{err}");
}

#[test]
fn an_unknown_env_is_refused_by_name() {
    let (ok, _, err) = ztgym(&["eval", "--env", "chess", "--scenario", "classic"]);
    assert!(!ok);
    assert!(
        err.starts_with(
            "error: invalid value 'chess' for '--env <ID>'\n  [possible values: sre, harden, triage]"
        ),
        "{err}"
    );
    let (ok, _, err) = ztgym(&["run", "--env"]);
    assert!(
        !ok && err.contains("a value is required for '--env <ID>'"),
        "{err}"
    );
}

#[test]
fn a_command_that_takes_no_such_env_says_so() {
    for (words, said) in [
        (
            &["validate", "--env", "triage", "x.toml"][..],
            "validate works on the SRE gym's files only; it takes no --env triage",
        ),
        (
            &["cves", "--env", "harden"][..],
            "cves works on the SRE gym's files only; it takes no --env harden",
        ),
        (
            &["verify", "--env", "sre", "run.jsonl"][..],
            "verify is not about one environment; it takes no --env (given: sre)",
        ),
        (
            &["envs", "--env", "triage"][..],
            "envs is not about one environment; it takes no --env (given: triage)",
        ),
    ] {
        let (ok, _, err) = ztgym(words);
        assert!(
            !ok && err.trim_end() == format!("ztgym: {said}"),
            "{words:?}: {err}"
        );
    }
    // The SRE gym's own commands still take it by name.
    let (ok, out, err) = ztgym(&["cves", "--env", "sre"]);
    assert!(ok && out.contains("CVE-"), "{err}");
}

#[test]
fn harden_is_served_and_played_from_the_cli() {
    let (ok, out, err) = ztgym(&["scenarios", "--env", "harden"]);
    assert!(ok && out.lines().next() == Some("seed001"), "{err}");
    assert!(out.lines().count() >= 4, "{out}");
    let v = json(&[
        "eval",
        "--env",
        "harden",
        "--scenario",
        "seed001",
        "--agent",
        "greedy",
        "--episodes",
        "5",
        "--json",
    ]);
    assert_eq!(v["episodes"], 5);
    assert_eq!(v["evaluation"]["cycles"], 100);
    assert_eq!(v["evaluation"]["gate_pass_rate"], 1.0);
    let (ok, _, err) = ztgym(&["eval", "--env", "harden", "--agent", "sop"]);
    assert!(!ok && err.contains("unknown agent \"sop\""), "{err}");
    let p = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../ztgym-harden/scenarios/seed001/policy.rego"
    );
    let (ok, out, err) = ztgym(&["rego", "test", p]);
    assert!(ok && out.contains("PASS: 7/7"), "{out}{err}");
}

/// A result holds no timing: `eval --json` prints the same bytes every run (the speed is in
/// the text output only).
#[test]
fn harden_eval_json_is_the_same_bytes_every_run() {
    let args = [
        "eval",
        "--env",
        "harden",
        "--scenario",
        "seed001",
        "--agent",
        "greedy",
        "--episodes",
        "3",
        "--json",
    ];
    let (ok, first, err) = ztgym(&args);
    assert!(ok, "{err}");
    assert!(!first.contains("per_sec"), "{first}");
    assert_eq!(ztgym(&args).1, first);
    let (ok, text, err) = ztgym(&args[..9]);
    assert!(ok && text.contains("decisions/s"), "{text}{err}");
}

#[test]
fn the_pod_security_use_case_plays_and_trains_with_its_own_actions() {
    let v = json(&[
        "eval",
        "--env",
        "harden",
        "--scenario",
        "uc02-pod-security",
        "--agent",
        "greedy",
        "--episodes",
        "3",
        "--json",
    ]);
    assert_eq!(v["evaluation"]["gate_pass_rate"], 1.0);
    assert!(v["evaluation"]["action_distribution"]["apply_pod_security"]
        .as_u64()
        .is_some_and(|n| n > 0));
    // The learners play the ten actions (seed 001's and the pod security ones).
    let out = tmp("uc02-policy.json");
    let (ok, _, err) = ztgym(&[
        "train",
        "--env",
        "harden",
        "--scenario",
        "uc02-pod-security",
        "--agent",
        "q-lagrangian",
        "--episodes",
        "20",
        "--out",
        &out,
    ]);
    assert!(ok, "{err}");
    let policy: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    assert!(
        policy.to_string().contains("enforce_resource_limits"),
        "{policy}"
    );
    let v = json(&[
        "eval",
        "--env",
        "harden",
        "--scenario",
        "uc02-pod-security",
        "--policy",
        &out,
        "--episodes",
        "2",
        "--json",
    ]);
    assert_eq!(v["episodes"], 2);
    // Trained on the pod security twin, it is refused on another scenario.
    let (ok, _, err) = ztgym(&[
        "eval",
        "--env",
        "harden",
        "--scenario",
        "seed001",
        "--policy",
        &out,
    ]);
    assert!(!ok && err.contains("uc02-pod-security"), "{err}");
}

#[test]
fn the_waf_use_case_plays_and_trains_with_its_own_actions() {
    let out = tmp("uc04-policy.json");
    let (ok, _, err) = ztgym(&[
        "train",
        "--env",
        "harden",
        "--scenario",
        "uc04-waf-tuning",
        "--agent",
        "q-lagrangian",
        "--episodes",
        "20",
        "--out",
        &out,
    ]);
    assert!(ok, "{err}");
    let text = std::fs::read_to_string(&out).unwrap();
    assert!(text.contains("block_attack_pattern") && text.contains("defense_gap"));
    let v = json(&[
        "eval",
        "--env",
        "harden",
        "--scenario",
        "uc04-waf-tuning",
        "--policy",
        &out,
        "--episodes",
        "2",
        "--json",
    ]);
    assert_eq!(v["episodes"], 2);
    let v = json(&[
        "eval",
        "--env",
        "harden",
        "--scenario",
        "uc04-waf-tuning",
        "--agent",
        "greedy",
        "--episodes",
        "3",
        "--json",
    ]);
    assert!(
        v["evaluation"]["action_distribution"]["raise_waf_strictness"]
            .as_u64()
            .is_some_and(|n| n > 0)
    );
}

#[test]
fn the_supply_chain_use_case_plays_and_trains_with_its_own_actions() {
    let out = tmp("uc07-policy.json");
    let (ok, _, err) = ztgym(&[
        "train",
        "--env",
        "harden",
        "--scenario",
        "uc07-supply-chain",
        "--agent",
        "q-lagrangian",
        "--episodes",
        "20",
        "--out",
        &out,
    ]);
    assert!(ok, "{err}");
    let text = std::fs::read_to_string(&out).unwrap();
    assert!(text.contains("rotate_build_secrets") && text.contains("supply_gap"));
    let v = json(&[
        "eval",
        "--env",
        "harden",
        "--scenario",
        "uc07-supply-chain",
        "--policy",
        &out,
        "--episodes",
        "2",
        "--json",
    ]);
    assert_eq!(v["episodes"], 2);
}

#[test]
fn the_tenant_use_case_plays_and_trains_with_its_own_actions() {
    let out = tmp("uc09-policy.json");
    let (ok, _, err) = ztgym(&[
        "train",
        "--env",
        "harden",
        "--scenario",
        "uc09-tenant-isolation",
        "--agent",
        "q-lagrangian",
        "--episodes",
        "20",
        "--out",
        &out,
    ]);
    assert!(ok, "{err}");
    let text = std::fs::read_to_string(&out).unwrap();
    assert!(text.contains("dedicate_shared_resources") && text.contains("boundary_gap"));
    let v = json(&[
        "eval",
        "--env",
        "harden",
        "--scenario",
        "uc09-tenant-isolation",
        "--policy",
        &out,
        "--episodes",
        "2",
        "--json",
    ]);
    assert_eq!(v["episodes"], 2);
}

#[test]
fn the_compliance_use_case_plays_and_trains_with_its_own_actions() {
    let out = tmp("uc06-policy.json");
    let (ok, _, err) = ztgym(&[
        "train",
        "--env",
        "harden",
        "--scenario",
        "uc06-compliance",
        "--agent",
        "q-lagrangian",
        "--episodes",
        "20",
        "--out",
        &out,
    ]);
    assert!(ok, "{err}");
    let text = std::fs::read_to_string(&out).unwrap();
    assert!(text.contains("apply_config_baseline") && text.contains("compliance_gap"));
    let v = json(&[
        "eval",
        "--env",
        "harden",
        "--scenario",
        "uc06-compliance",
        "--policy",
        &out,
        "--episodes",
        "2",
        "--json",
    ]);
    assert_eq!(v["episodes"], 2);
}

#[test]
fn an_option_of_another_environment_is_refused_naming_both() {
    let cases = [
        (
            vec![
                "eval",
                "--env",
                "triage",
                "--task",
                "L1",
                "--agent",
                "random",
                "--curriculum",
            ],
            "eval: --curriculum is not available with --env triage (it is with --env sre)",
        ),
        (
            vec!["eval", "--env", "harden", "--cve-feed", "feed.json"],
            "eval: --cve-feed is not available with --env harden (it is with --env sre)",
        ),
        (
            vec!["bench", "--env", "triage", "--gate", "gate.rego"],
            "bench: --gate is not available with --env triage (it is with --env harden)",
        ),
    ];
    for (args, message) in cases {
        let (ok, out, err) = ztgym(&args);
        assert!(!ok && out.is_empty(), "{args:?}");
        assert_eq!(err.trim_end(), format!("ztgym: {message}"), "{args:?}");
    }
}

#[test]
fn scenarios_lists_each_environments_own() {
    let v = json(&["scenarios", "--env", "triage", "--json"]);
    assert_eq!(
        v,
        serde_json::json!({"env": "triage", "scenarios": ["L1", "L2", "L3"]})
    );
}
