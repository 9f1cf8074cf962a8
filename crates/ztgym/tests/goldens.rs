//! Golden digests: what every built-in scenario gives, pinned. A change in the simulator's
//! behaviour (an RNG draw moved, a reward changed, a field renamed) shows up here first; the
//! move of the simulator into its crates kept every one of these.

use ztgym::core::eval::digest;
use ztgym::eval::{builtin_trajectory, evaluate};
use ztgym::{builtin_agent, Env, ResetOptions, Scenario};

/// FNV-1a of the trajectories of seeds 0..8, joined, per (scenario, agent).
const TRAJECTORIES: [(&str, &str, u64); 6] = [
    ("classic", "random", 11880560556919156788),
    ("classic", "sop", 15448437646296063818),
    ("enterprise", "random", 14998924474187121544),
    ("enterprise", "sop", 12452394585452384514),
    ("multitenant", "random", 4170557023019769251),
    ("multitenant", "sop", 5598315188721068781),
];

/// FNV-1a of `ztgym eval --episodes 200 --seed 1 --json`'s report, per (scenario, agent).
const REPORTS: [(&str, &str, u64); 6] = [
    ("classic", "random", 10662283858146613482),
    ("classic", "sop", 5594657302621700933),
    ("enterprise", "random", 2858527134462802504),
    ("enterprise", "sop", 4416599830904451408),
    ("multitenant", "random", 237769994513872490),
    ("multitenant", "sop", 7232184582922443715),
];

fn trajectories(scenario: &str, agent: &str) -> u64 {
    let all: String = (0..8)
        .map(|seed| builtin_trajectory(scenario, agent, seed).unwrap())
        .collect();
    digest(&all)
}

fn report(scenario: &str, agent: &str) -> u64 {
    let s = Scenario::builtin(scenario).unwrap();
    let mut agent = builtin_agent(agent, &s).unwrap();
    let (report, _) = evaluate(
        &mut Env::new(s),
        agent.as_mut(),
        200,
        1,
        &ResetOptions::default(),
    );
    digest(&serde_json::to_string(&report).unwrap())
}

#[test]
fn every_builtin_scenario_is_covered() {
    let names: Vec<&str> = Scenario::builtin_names().collect();
    for name in &names {
        assert!(TRAJECTORIES.iter().any(|(s, _, _)| s == name), "{name}");
    }
}

#[test]
fn trajectories_match_their_goldens() {
    let found: Vec<(&str, &str, u64)> = TRAJECTORIES
        .iter()
        .map(|&(s, a, _)| (s, a, trajectories(s, a)))
        .collect();
    assert_eq!(found, TRAJECTORIES);
}

#[test]
fn eval_reports_match_their_goldens() {
    let found: Vec<(&str, &str, u64)> = REPORTS
        .iter()
        .map(|&(s, a, _)| (s, a, report(s, a)))
        .collect();
    assert_eq!(found, REPORTS);
}
