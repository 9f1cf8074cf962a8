//! The policies the page ships for triage and hardening (`assets/policies/triage/`,
//! `assets/policies/harden/`) are what `ztgym train` gives today with the settings recorded in
//! each: a change in an environment's behaviour shows up here first (regenerate them with the
//! commands in docs/src/policies.md). The SRE gym's are checked in `ztgym-sre`.

mod common;
use common::{tmp, ztgym};

#[test]
fn bundled_triage_and_harden_policies_are_what_the_cli_trains() {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../../assets/policies");
    let mut seen = 0;
    for (folder, env) in [("triage", "triage"), ("harden", "harden")] {
        for entry in std::fs::read_dir(format!("{root}/{folder}")).unwrap() {
            let path = entry.unwrap().path();
            let text = std::fs::read_to_string(&path).unwrap();
            let file: serde_json::Value = serde_json::from_str(&text).unwrap();
            let (scenario, kind) = (
                file["scenario"].as_str().unwrap(),
                file["kind"].as_str().unwrap(),
            );
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            assert_eq!(
                name,
                format!("{scenario}-{kind}.json"),
                "named by its scenario and learner"
            );
            let training = &file["training"];
            let out = tmp(&format!("retrained-{name}"));
            let (episodes, seed) = (
                training["episodes"].to_string(),
                training["seed"].to_string(),
            );
            let level = training["level"].as_str().unwrap();
            let mut args = vec![
                "train",
                "--env",
                env,
                "--scenario",
                scenario,
                "--agent",
                kind,
            ];
            args.extend(["--episodes", &episodes, "--seed", &seed, "--out", &out]);
            if env == "harden" {
                args.extend(["--level", level]);
            }
            let (ok, _, err) = ztgym(&args);
            assert!(ok, "{name}: {err}");
            assert!(
                std::fs::read_to_string(&out).unwrap() == text,
                "{name} is not what `ztgym train` gives today: regenerate it (docs/src/policies.md)"
            );
            seen += 1;
        }
    }
    assert_eq!(seen, 5, "three triage tasks and two hardening scenarios");
}
