//! `--env` on every command, and `ztgym envs`.

mod common;
use common::{json, ztgym};

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
    assert_eq!(
        err.trim(),
        "ztgym: eval: env: unknown environment \"chess\" (known: sre, harden, triage)"
    );
    let (ok, _, err) = ztgym(&["run", "--env"]);
    assert!(!ok && err.contains("--env needs a value"), "{err}");
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
    assert!(ok && out.contains("7 of 7 passed"), "{out}{err}");
}
