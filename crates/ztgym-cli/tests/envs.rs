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
        "ztgym: eval: env: unknown environment \"chess\" (known: sre, triage)"
    );
    let (ok, _, err) = ztgym(&["run", "--env"]);
    assert!(!ok && err.contains("--env needs a value"), "{err}");
}
