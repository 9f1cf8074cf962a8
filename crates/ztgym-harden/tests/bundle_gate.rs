//! The gate takes a bundle: a scenario folder whose `policy` is a directory (modules, a library
//! in another directory, `data.json`), and `--gate DIR`. Use case 1 rewritten as a bundle
//! judges every proposal as the built-in single-file policy does.

use std::path::Path;
use ztgym_harden::agents::builtin_trajectory;
use ztgym_harden::gate::gate_policy;
use ztgym_harden::{Options, Scenario, Stage};

const FIXTURE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/uc01-bundle");

fn trajectories(scenario: &str) -> Vec<String> {
    let mut all = Vec::new();
    for stage in [Stage::Sandbox, Stage::Prod] {
        for agent in ["random", "greedy"] {
            for seed in 0..4 {
                let options = Options {
                    environment: stage,
                    ..Options::default()
                };
                all.push(builtin_trajectory(scenario, agent, seed, &options).unwrap());
            }
        }
    }
    all
}

#[test]
fn a_scenario_whose_policy_is_a_bundle_plays_as_its_single_file_twin() {
    let s = Scenario::load(FIXTURE).unwrap();
    assert_eq!(s.policy.package(), "data.hardening.network");
    let bundle = s.policy.bundle().expect("loaded as a bundle");
    let names: Vec<&str> = bundle.modules().iter().map(|m| m.name.as_str()).collect();
    assert_eq!(names.len(), 3, "{names:?}");
    assert!(bundle.data()["network"]["protected_services"].is_array());
    // Every module is an input no output may replace.
    assert!(s.sources.iter().any(|p| p.ends_with("lib/actions.rego")));
    assert_eq!(trajectories(FIXTURE), trajectories("uc01-network-exposure"));
}

#[test]
fn gate_dir_replaces_the_policy_and_its_data_decides() {
    let builtin = Scenario::load("uc01-network-exposure").unwrap();
    let dir = format!("{FIXTURE}/policy");
    let p = gate_policy(&dir, Some(builtin.policy.package())).unwrap();
    assert_eq!(p.package(), "data.hardening.network");
    assert!(p.name().ends_with("network.rego"), "{}", p.name());
    // Protecting every service in data.json denies every network change.
    let tmp = std::env::temp_dir().join(format!("ztgym-bundle-gate-{}", std::process::id()));
    copy_dir(Path::new(&dir), &tmp);
    std::fs::write(
        tmp.join("data.json"),
        r#"{"network": {"protected_services": ["storefront", "admin-portal", "reports-api",
            "ingress-gateway", "db"], "approved_admin_ranges": {}}}"#,
    )
    .unwrap();
    let strict = gate_policy(tmp.to_str().unwrap(), None).unwrap();
    let mut env = ztgym_harden::HardenEnv::new(builtin.with_policy(strict)).unwrap();
    let (o, _) = ztgym_core::Environment::reset(&mut env, 1, Options::default());
    let tighten: Vec<_> = o.of_kind("tighten_inbound_rule").collect();
    assert!(!tighten.is_empty());
    assert!(tighten.iter().all(|c| !c.allowed), "all protected now");
    std::fs::remove_dir_all(&tmp).ok();
}

#[test]
fn a_bundle_without_one_deciding_package_is_named() {
    let tmp = std::env::temp_dir().join(format!("ztgym-bundle-none-{}", std::process::id()));
    std::fs::create_dir_all(&tmp).unwrap();
    std::fs::write(tmp.join("a.rego"), "package a\n\nx := 1\n").unwrap();
    let e = gate_policy(tmp.to_str().unwrap(), None).unwrap_err();
    assert!(e.contains("no module defines `allow`"), "{e}");
    std::fs::write(tmp.join("b.rego"), "package b\n\nallow := true\n").unwrap();
    std::fs::write(tmp.join("c.rego"), "package c\n\ndefault allow := false\n").unwrap();
    let e = gate_policy(tmp.to_str().unwrap(), None).unwrap_err();
    assert!(
        e.contains("several packages define `allow` (data.b, data.c)"),
        "{e}"
    );
    // The scenario's own package is preferred when the bundle has it.
    let p = gate_policy(tmp.to_str().unwrap(), Some("data.c")).unwrap();
    assert_eq!(p.package(), "data.c");
    // An error in a module is reported at its file, line and column.
    std::fs::write(tmp.join("b.rego"), "package b\n\nallow if {\n").unwrap();
    let e = gate_policy(tmp.to_str().unwrap(), Some("data.c")).unwrap_err();
    assert!(e.contains("b.rego:4:1"), "{e}");
    std::fs::remove_dir_all(&tmp).ok();
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}
