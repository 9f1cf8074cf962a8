//! `ztgym train` and `ztgym eval --policy` as the issue asks: train the Lagrangian learner on
//! `classic` with the default episode count, evaluate it on another seed.

use serde_json::Value;
use std::process::Command;

mod common;
use common::{json, tmp, EVAL_FIELDS};

fn fails(args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_ztgym"))
        .args(args)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(2),
        "{args:?} should fail with exit code 2"
    );
    assert!(out.stdout.is_empty(), "errors go to stderr only");
    String::from_utf8(out.stderr).unwrap()
}

#[test]
fn q_lagrangian_trained_on_classic_meets_the_done_when_figures_on_another_seed() {
    let out = tmp("classic-q-lagrangian.json");
    let t = json(&[
        "train",
        "--scenario",
        "classic",
        "--agent",
        "q-lagrangian",
        "--seed",
        "0",
        "--out",
        &out,
        "--json",
    ]);
    assert_eq!(t["episodes"], 2000, "the default episode count");
    for field in [
        "mean_return",
        "compliance_rate",
        "success_rate",
        "mean_cost",
        "lambda",
    ] {
        assert!(
            t["final_metrics"][field].is_number(),
            "{field} missing: {t}"
        );
    }
    assert!(t["seconds"].as_f64().unwrap() > 0.0);
    assert!(t["episodes_per_second"].as_f64().unwrap() > 0.0);

    let e = json(&[
        "eval",
        "--policy",
        &out,
        "--scenario",
        "classic",
        "--seed",
        "1000",
        "--json",
    ]);
    for field in EVAL_FIELDS {
        assert!(e[field].is_number(), "{field} missing in {e}");
    }
    assert_eq!(
        e.as_object().unwrap().len(),
        EVAL_FIELDS.len(),
        "the same fields as eval --agent"
    );
    assert_eq!(e["episodes"], 200);
    assert!(e["compliance_rate"].as_f64().unwrap() >= 0.95, "{e}");
    assert!(e["success_rate"].as_f64().unwrap() >= 0.8, "{e}");
    assert!(e["mean_return"].as_f64().unwrap() > 0.0, "{e}");

    let zero = tmp("untrained.json");
    json(&[
        "train",
        "--scenario",
        "classic",
        "--agent",
        "q-lagrangian",
        "--episodes",
        "0",
        "--out",
        &zero,
        "--json",
    ]);
    let e0 = json(&["eval", "--policy", &zero, "--seed", "1000", "--json"]);
    assert!(e0["mean_return"].as_f64().unwrap() < 0.0, "{e0}");
}

#[test]
fn the_same_command_writes_the_same_file_and_run_plays_a_policy() {
    let (a, b) = (tmp("a.json"), tmp("b.json"));
    for out in [&a, &b] {
        json(&[
            "train",
            "--scenario",
            "enterprise",
            "--agent",
            "bandit",
            "--episodes",
            "150",
            "--seed",
            "3",
            "--out",
            out,
            "--json",
        ]);
    }
    assert_eq!(std::fs::read(&a).unwrap(), std::fs::read(&b).unwrap());

    let trajectory = tmp("policy-run.jsonl");
    let r = json(&[
        "run",
        "--policy",
        &a,
        "--seed",
        "2",
        "--trajectory",
        &trajectory,
        "--json",
    ]);
    let lines = std::fs::read_to_string(&trajectory)
        .unwrap()
        .lines()
        .count();
    // The header, then a line per step.
    assert_eq!(lines as u64, r["steps"].as_u64().unwrap() + 1);
}

#[test]
fn hyperparameters_can_be_set_and_are_recorded() {
    let out = tmp("set.json");
    json(&[
        "train",
        "--scenario",
        "classic",
        "--agent",
        "q",
        "--episodes",
        "20",
        "--set",
        "alpha=0.2,gamma=0.9,mask=true",
        "--out",
        &out,
        "--json",
    ]);
    let p: Value = serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    assert_eq!(p["training"]["hyperparameters"]["alpha"], 0.2);
    assert_eq!(p["training"]["hyperparameters"]["gamma"], 0.9);
    assert_eq!(p["parameters"]["masked"], true);
}

#[test]
fn mistakes_get_a_clear_message_and_exit_code_2() {
    let out = tmp("x.json");
    let e = fails(&[
        "train",
        "--scenario",
        "classic",
        "--agent",
        "dqn",
        "--out",
        &out,
    ]);
    assert!(
        e.contains("\"dqn\" is not a learner (known: q, q-lagrangian, bandit)"),
        "{e}"
    );
    let e = fails(&["train", "--scenario", "classic", "--agent", "q"]);
    assert!(e.contains("--out is required"), "{e}");
    let e = fails(&[
        "train",
        "--scenario",
        "classic",
        "--agent",
        "q",
        "--set",
        "alpha=2",
        "--out",
        &out,
    ]);
    assert!(e.contains("hyperparameters.alpha"), "{e}");
    let e = fails(&[
        "train",
        "--scenario",
        "classic",
        "--agent",
        "q",
        "--set",
        "beta=1",
        "--out",
        &out,
    ]);
    assert!(e.contains("unknown hyperparameter \"beta\""), "{e}");

    json(&[
        "train",
        "--scenario",
        "classic",
        "--agent",
        "q",
        "--episodes",
        "5",
        "--out",
        &out,
        "--json",
    ]);
    let e = fails(&["eval", "--policy", &out, "--scenario", "enterprise"]);
    assert!(
        e.contains("trained on \"classic\"; it cannot play \"enterprise\""),
        "{e}"
    );
    let e = fails(&[
        "eval",
        "--policy",
        &out,
        "--agent",
        "sop",
        "--scenario",
        "classic",
    ]);
    assert!(e.contains("--agent or --policy, not both"), "{e}");

    let broken = tmp("broken.json");
    let text = std::fs::read_to_string(&out).unwrap();
    std::fs::write(&broken, &text[..text.len() - 40]).unwrap();
    let e = fails(&["eval", "--policy", &broken]);
    assert!(e.contains("broken.json: the JSON ends too early"), "{e}");
    std::fs::write(&broken, text.replace("\"version\": 1", "\"version\": 9")).unwrap();
    let e = fails(&["eval", "--policy", &broken]);
    assert!(e.contains("version 9 is not supported"), "{e}");
    let e = fails(&["eval", "--policy", &tmp("missing.json")]);
    assert!(e.contains("missing.json: cannot read"), "{e}");
}
