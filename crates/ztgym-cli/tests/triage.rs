//! `--env triage`: eval, run, train, bench; and `pairs` for triage and the SRE gym.

mod common;
use common::{json, tmp, ztgym};

#[test]
fn eval_reports_the_graders_figures_and_takes_seed_task_names() {
    let v = json(&[
        "eval",
        "--env",
        "triage",
        "--task",
        "trust_management",
        "--agent",
        "always-allow",
        "--episodes",
        "20",
        "--seed",
        "4",
        "--json",
    ]);
    assert_eq!(v["task"], "L2");
    for k in [
        "mean_score",
        "letter",
        "pass_rate",
        "mean_return",
        "mean_cost",
        "detection_rate",
        "false_positive_rate",
    ] {
        assert!(!v[k].is_null(), "{k} in {v}");
    }
    assert!(v["mean_return"].as_f64().unwrap() < 0.0, "{v}");
    assert_eq!(v["pass_rate"], 0.0);
    // The same command gives the same figures.
    let again = json(&[
        "eval",
        "--env",
        "triage",
        "--task",
        "L2",
        "--agent",
        "always-allow",
        "--episodes",
        "20",
        "--seed",
        "4",
        "--json",
    ]);
    assert_eq!(v, again);
    let (ok, _, err) = ztgym(&[
        "eval", "--env", "triage", "--task", "L5", "--agent", "random",
    ]);
    assert!(!ok && err.contains("unknown task \"L5\""), "{err}");
    let (ok, _, err) = ztgym(&["eval", "--env", "triage", "--task", "L1", "--agent", "sop"]);
    assert!(!ok && err.contains("unknown triage agent \"sop\""), "{err}");
}

#[test]
fn train_then_eval_and_run_with_the_policy() {
    let policy = tmp("triage-policy.json");
    let v = json(&[
        "train",
        "--env",
        "triage",
        "--task",
        "L1",
        "--agent",
        "q-lagrangian",
        "--episodes",
        "300",
        "--out",
        &policy,
        "--json",
    ]);
    assert_eq!(v["task"], "L1");
    let e = json(&[
        "eval",
        "--env",
        "triage",
        "--policy",
        &policy,
        "--episodes",
        "10",
        "--json",
    ]);
    assert_eq!(e["task"], "L1");
    let traj = tmp("triage-run.jsonl");
    let r = json(&[
        "run",
        "--env",
        "triage",
        "--policy",
        &policy,
        "--seed",
        "2",
        "--trajectory",
        &traj,
        "--json",
    ]);
    let text = std::fs::read_to_string(&traj).unwrap();
    // The header, then a line per step.
    assert_eq!(
        text.lines().count() as u64,
        r["steps"].as_u64().unwrap() + 1
    );
    assert!(r["grade"]["letter"].is_string());
    let (ok, _, err) = ztgym(&[
        "eval",
        "--env",
        "triage",
        "--policy",
        &policy,
        "--task",
        "L3",
        "--episodes",
        "1",
    ]);
    assert!(!ok && err.contains("L1"), "{err}");
}

#[test]
fn bench_and_pairs_for_triage_and_sre() {
    let b = json(&[
        "bench",
        "--env",
        "triage",
        "--task",
        "L3",
        "--agent",
        "rule-based",
        "--steps",
        "2000",
        "--json",
    ]);
    assert!(b["steps"].as_u64().unwrap() >= 2000);
    for (env, key, name, agent) in [
        ("triage", "--task", "L2", "rule-based"),
        ("sre", "--scenario", "classic", "sop"),
    ] {
        let out = tmp(&format!("pairs-{env}.jsonl"));
        let v = json(&[
            "pairs",
            "--env",
            env,
            key,
            name,
            "--agent",
            agent,
            "--episodes",
            "2",
            "--out",
            &out,
            "--json",
        ]);
        let text = std::fs::read_to_string(&out).unwrap();
        assert_eq!(text.lines().count() as u64, v["pairs"].as_u64().unwrap());
        assert!(v["pairs"].as_u64().unwrap() > 0, "{v}");
        for line in text.lines() {
            let p: serde_json::Value = serde_json::from_str(line).unwrap();
            assert!(p["prompt"].is_string() && p["chosen"] != p["rejected"]);
            assert!(p["margin"].as_f64().unwrap() > 0.0);
        }
    }
}
