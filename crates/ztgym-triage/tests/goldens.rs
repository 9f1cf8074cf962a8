//! Golden digests: the trajectories of every built-in agent on every task, pinned. The same
//! digests are checked in the browser's wasm (tests/determinism_web.rs at the repository root).

use ztgym_core::eval::digest;
use ztgym_triage::agents::AGENTS;
use ztgym_triage::eval::builtin_trajectory;
use ztgym_triage::TaskId;

/// FNV-1a of the trajectories of seeds 0..4, joined, per (task, agent).
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

fn trajectories(task: &str, agent: &str) -> u64 {
    let t = TaskId::parse(task).unwrap();
    let all: String = (0..4)
        .map(|seed| builtin_trajectory(t, agent, seed).unwrap())
        .collect();
    digest(&all)
}

#[test]
fn every_task_and_agent_is_covered() {
    for t in TaskId::ALL {
        for a in AGENTS {
            assert!(
                GOLDENS.iter().any(|g| (g.0, g.1) == (t.as_str(), a)),
                "{t:?} {a}"
            );
        }
    }
}

#[test]
fn trajectories_match_their_goldens() {
    let found: Vec<(&str, &str, u64)> = GOLDENS
        .iter()
        .map(|&(t, a, _)| (t, a, trajectories(t, a)))
        .collect();
    assert_eq!(found, GOLDENS.to_vec(), "found: {found:#?}");
}
