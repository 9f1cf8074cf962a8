//! The simulator in the browser's wasm gives the same trajectories, byte for byte, as natively:
//! the digests below are the native ones (crates/ztgym-sre/tests/determinism.rs pins the first).
#![cfg(target_arch = "wasm32")]

use wasm_bindgen_test::*;
use ztgym::agents::builtin_agent;
use ztgym::eval::{builtin_trajectory, digest, evaluate};
use ztgym::{Env, ResetOptions, Scenario};

wasm_bindgen_test_configure!(run_in_browser);

fn trajectory(scenario: &str, agent: &str, seed: u64) -> String {
    builtin_trajectory(scenario, agent, seed).unwrap()
}

#[wasm_bindgen_test]
fn the_golden_trajectory_matches_native() {
    assert_eq!(
        format!("{:016x}", digest(&trajectory("classic", "sop", 42))),
        "a513f6bf12e240b9"
    );
}

#[wasm_bindgen_test]
fn evaluation_figures_match_native() {
    // `ztgym eval --scenario classic --agent random --episodes 200 --seed 1` prints these.
    let s = Scenario::builtin("classic").unwrap();
    let mut agent = builtin_agent("random", &s).unwrap();
    let (report, _) = evaluate(
        &mut Env::new(s),
        agent.as_mut(),
        200,
        1,
        &ResetOptions::default(),
    );
    assert_eq!(report.compliance_rate, 0.07);
    assert_eq!(report.violation_rate, 0.93);
    assert_eq!(format!("{:.4}", report.mean_return), "-29.0340");
}

/// Message triage (seed 003): the digests of crates/ztgym-triage/tests/goldens.rs, in wasm.
#[wasm_bindgen_test]
fn triage_trajectories_match_native() {
    use ztgym::triage::eval::builtin_trajectory;
    use ztgym::triage::TaskId;
    const GOLDENS: [(&str, &str, u64); 12] = [
        ("L1", "always-allow", 2288164218851928135),
        ("L1", "always-block", 3993196685741504966),
        ("L1", "random", 9740447305157139574),
        ("L1", "rule-based", 14981602353589382907),
        ("L2", "always-allow", 3746467707195181969),
        ("L2", "always-block", 15296407599879791739),
        ("L2", "random", 13902442134023198999),
        ("L2", "rule-based", 2057276739833469709),
        ("L3", "always-allow", 766990672053500983),
        ("L3", "always-block", 17912350934280820060),
        ("L3", "random", 1968667388738700501),
        ("L3", "rule-based", 15613035475750640086),
    ];
    for (task, agent, expected) in GOLDENS {
        let t = TaskId::parse(task).unwrap();
        let all: String = (0..4)
            .map(|seed| builtin_trajectory(t, agent, seed).unwrap())
            .collect();
        assert_eq!(digest(&all), expected, "{task} {agent}");
    }
}

/// The hardening loop (seed 001): the digests of crates/ztgym-harden/tests/goldens.rs, in wasm
/// (the Rego gate evaluated by regorus in the browser).
#[wasm_bindgen_test]
fn harden_trajectories_match_native() {
    use ztgym::harden::agents::builtin_trajectory;
    use ztgym::harden::{Options, Stage};
    const GOLDENS: [(&str, &str, &str, bool, u64); 6] = [
        ("seed001", "greedy", "sandbox", false, 16738221783510780951),
        ("seed001", "bandit", "prod", false, 3068257786858608820),
        (
            "uc02-pod-security",
            "random",
            "stage",
            false,
            14828709289845253549,
        ),
        (
            "uc04-waf-tuning",
            "greedy",
            "prod",
            true,
            457384455886995511,
        ),
        (
            "uc07-supply-chain",
            "random",
            "sandbox",
            true,
            17258416664433570917,
        ),
        (
            "uc09-tenant-isolation",
            "bandit",
            "sandbox",
            false,
            2432994774145273315,
        ),
    ];
    for (scenario, agent, stage, recommend, expected) in GOLDENS {
        let options = Options {
            environment: Stage::ALL
                .into_iter()
                .find(|s| s.as_str() == stage)
                .unwrap(),
            recommend_only: recommend,
        };
        let all: String = (0..3)
            .map(|seed| builtin_trajectory(scenario, agent, seed, &options).unwrap())
            .collect();
        assert_eq!(
            digest(&all),
            expected,
            "{scenario} {agent} {stage} {recommend}"
        );
    }
}
