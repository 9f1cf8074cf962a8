//! Golden digests: trajectories of the built-in agents on some scenarios, environments and
//! modes, pinned. The same digests are checked in the browser's wasm (tests/determinism_web.rs
//! at the repository root).

use ztgym_core::eval::digest;
use ztgym_harden::agents::builtin_trajectory;
use ztgym_harden::{Options, Stage};

/// (scenario, agent, environment, recommend-only, FNV-1a of the trajectories of seeds 0..3
/// joined).
pub const GOLDENS: [(&str, &str, &str, bool, u64); 6] = [
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

fn trajectories(scenario: &str, agent: &str, stage: &str, recommend: bool) -> u64 {
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
    digest(&all)
}

#[test]
fn trajectories_match_their_goldens() {
    let found: Vec<(&str, &str, &str, bool, u64)> = GOLDENS
        .iter()
        .map(|&(s, a, st, r, _)| (s, a, st, r, trajectories(s, a, st, r)))
        .collect();
    assert_eq!(found, GOLDENS.to_vec(), "found: {found:#?}");
}
