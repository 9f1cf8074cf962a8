//! Every shipped scenario loads from its folder as it is compiled in, its policy's `test_`
//! rules pass, and every built-in agent plays it in each environment, deterministically.

use ztgym_core::eval::{digest, trajectory_jsonl};
use ztgym_core::Environment;
use ztgym_harden::agents::{builtin, NAMES};
use ztgym_harden::{HardenEnv, Options, Scenario, Stage};
use ztgym_rego::recursion::recursive_rule;
use ztgym_rego::TestStatus;

#[test]
fn every_policy_passes_its_tests() {
    for name in Scenario::builtin_names() {
        let s = Scenario::load(name).unwrap();
        let results = s.policy.run_tests();
        assert!(results.len() >= 4, "{name}: only {} tests", results.len());
        for r in results {
            assert_eq!(r.status, TestStatus::Pass, "{name}: {r:?}");
        }
    }
}

/// No scenario's policy has a recursive rule (half of the old `recursion` unit test; the SRE
/// gym's policy is checked in ztgym-sre's `rego_gate` tests).
#[test]
fn the_shipped_policies_are_not_recursive() {
    let mut seen = 0;
    for dir in std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios"))
        .into_iter()
        .flatten()
        .flatten()
    {
        for f in std::fs::read_dir(dir.path())
            .into_iter()
            .flatten()
            .flatten()
        {
            if f.path().extension().is_some_and(|e| e == "rego") {
                let text = std::fs::read_to_string(f.path()).unwrap();
                assert_eq!(recursive_rule(&text), None, "{}", f.path().display());
                seen += 1;
            }
        }
    }
    assert!(seen >= 10, "the scenarios' policies were read ({seen})");
}

#[test]
fn the_folders_are_the_built_in_scenarios() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios");
    let mut folders: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    folders.sort();
    let mut builtin: Vec<&str> = Scenario::builtin_names().collect();
    builtin.sort();
    assert_eq!(folders, builtin);
    for name in builtin {
        let from_folder = Scenario::load(&format!("{dir}/{name}")).unwrap();
        assert_eq!(from_folder.name, name);
        assert_eq!(
            from_folder.policy.text(),
            Scenario::load(name).unwrap().policy.text()
        );
    }
}

#[test]
fn every_agent_plays_every_scenario_in_every_environment() {
    for name in Scenario::builtin_names() {
        let mut env = HardenEnv::new(Scenario::load(name).unwrap()).unwrap();
        for stage in Stage::ALL {
            let options = Options {
                environment: stage,
                ..Options::default()
            };
            for agent in NAMES {
                let mut a = builtin(agent).unwrap();
                let t1 = trajectory_jsonl(&mut env, a.as_mut(), 4, &options);
                let steps = env.totals().steps;
                assert_eq!(steps, env.scenario().max_cycles, "{name} {agent}");
                let mut b = builtin(agent).unwrap();
                let t2 = trajectory_jsonl(&mut env.clone(), b.as_mut(), 4, &options);
                assert_eq!(digest(&t1), digest(&t2), "{name} {agent} {stage:?}");
            }
        }
    }
}
