//! Same scenario, seed and actions give the same trajectory, byte for byte; another seed gives
//! another. The wasm side of this promise is checked by the playground's browser tests, which
//! compare against the golden digest below.

use ztgym_sre::agents::builtin_agent;
use ztgym_sre::eval::{builtin_trajectory, digest, trajectory_jsonl};
use ztgym_sre::{Env, ResetOptions, Scenario};

fn trajectory(scenario: &str, agent: &str, seed: u64) -> String {
    builtin_trajectory(scenario, agent, seed).unwrap()
}

#[test]
fn same_seed_same_bytes_for_every_scenario_and_agent() {
    for scenario in Scenario::builtin_names() {
        for agent in ["random", "sop"] {
            let a = trajectory(scenario, agent, 42);
            let b = trajectory(scenario, agent, 42);
            assert!(!a.is_empty());
            assert_eq!(a, b, "{scenario}/{agent}");
        }
    }
}

#[test]
fn another_seed_gives_another_trajectory() {
    for scenario in Scenario::builtin_names() {
        assert_ne!(
            trajectory(scenario, "random", 1),
            trajectory(scenario, "random", 2),
            "{scenario}"
        );
        let firsts: std::collections::BTreeSet<String> = (0..20)
            .map(|seed| {
                trajectory(scenario, "sop", seed)
                    .lines()
                    .next()
                    .unwrap()
                    .to_string()
            })
            .collect();
        assert!(
            firsts.len() > 10,
            "{scenario}: seeds should vary the episode"
        );
    }
}

#[test]
fn reset_twice_with_one_seed_gives_equal_observations_and_env_reuse_is_clean() {
    let mut env = Env::new(Scenario::builtin("enterprise").unwrap());
    let first = env.reset(123, ResetOptions::default());
    for _ in 0..3 {
        let _ = env.step(&ztgym_sre::Action::Wait);
    }
    let again = env.reset(123, ResetOptions::default());
    assert_eq!(first, again);
    let other = env.reset(456, ResetOptions::default());
    assert_ne!(first.0, other.0);
}

#[test]
fn a_fresh_env_and_a_reused_env_agree() {
    let s = Scenario::builtin("multitenant").unwrap();
    let mut reused = Env::new(s.clone());
    let mut agent = builtin_agent("sop", &s).unwrap();
    let _ = trajectory_jsonl(&mut reused, agent.as_mut(), 5, &ResetOptions::default());
    let again = trajectory_jsonl(&mut reused, agent.as_mut(), 9, &ResetOptions::default());
    assert_eq!(again, trajectory("multitenant", "sop", 9));
}

/// Digest of `ztgym run --scenario classic --agent sop --seed 42`'s trajectory.
pub const GOLDEN_CLASSIC_SOP_42: &str = "a513f6bf12e240b9";

#[test]
fn golden_trajectory_is_stable() {
    // If this changes, the simulator's behaviour changed: say so in the commit and update the
    // playground's wasm test, which asserts the same digest in the browser.
    let t = trajectory("classic", "sop", 42);
    assert_eq!(t.lines().count(), 4);
    assert_eq!(format!("{:016x}", digest(&t)), GOLDEN_CLASSIC_SOP_42);
}

#[test]
fn a_clone_steps_exactly_like_the_original() {
    use ztgym_sre::Level;
    // Clone the environment at every step of real episodes (lateral movement and red herrings
    // included, the curriculum on and off); each clone, replaying the rest of the actions,
    // must give exactly the original's steps, however far the original went on meanwhile.
    for scenario in Scenario::builtin_names() {
        let s = Scenario::builtin(scenario).unwrap();
        for agent_name in ["random", "sop"] {
            let mut env = Env::new(s.clone());
            let mut agent = builtin_agent(agent_name, &s).unwrap();
            for (seed, level, curriculum) in [
                (1, None, false),
                (2, Some(Level::Intermediate), false),
                (3, Some(Level::Advanced), false),
                (4, Some(Level::Expert), false),
                (5, None, true),
            ] {
                let options = ResetOptions { level, curriculum };
                let (mut obs, mut info) = env.reset(seed, options);
                agent.reset(seed);
                let mut forks = vec![env.clone()];
                let mut actions = Vec::new();
                let mut steps = Vec::new();
                loop {
                    let action = agent.act(&obs, &info);
                    let step = env.step(&action).unwrap();
                    actions.push(action);
                    steps.push(step.clone());
                    forks.push(env.clone());
                    if step.terminated || step.truncated {
                        break;
                    }
                    (obs, info) = (step.observation, step.info);
                }
                for (k, fork) in forks.iter_mut().enumerate() {
                    for (action, step) in actions[k..].iter().zip(&steps[k..]) {
                        assert_eq!(&fork.step(action).unwrap(), step, "{scenario}/{agent_name}");
                    }
                    assert_eq!(fork.state(), env.state(), "{scenario}/{agent_name}");
                    assert_eq!(fork.alerts(), env.alerts());
                }
            }
        }
    }
}
