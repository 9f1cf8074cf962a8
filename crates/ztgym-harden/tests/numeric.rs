//! The numeric observation (what the Python package hands a network): one length for every
//! use case, every entry finite and in its named range, a pure function of the episode, and
//! entries that say what the observation shows.

use std::collections::HashSet;
use ztgym_core::learn::numeric::{bounds, NumericEnv};
use ztgym_core::spec::NumericRequest;
use ztgym_core::Rng;
use ztgym_harden::numeric::{make, ALL_KINDS, OBSERVATION_LEN};
use ztgym_harden::{Scenario, Stage};

fn env(scenario: &str, stage: Option<Stage>) -> Box<dyn NumericEnv> {
    make(
        "test",
        &NumericRequest {
            scenario: Some(scenario),
            level: stage.map(Stage::as_str),
            gate: None,
        },
    )
    .unwrap()
}

/// Plays one episode of random abstract actions (allowed ones half the time), returning every
/// observation vector.
fn episode(env: &mut dyn NumericEnv, seed: u64, rng: &mut Rng) -> Vec<Vec<f32>> {
    let mut obs = vec![f32::NAN; env.observation_len()];
    let mut mask = vec![0; env.actions().len()];
    env.reset(seed, &mut obs, &mut mask);
    let mut seen = vec![obs.clone()];
    while !env.ended() {
        let allowed: Vec<usize> = (0..mask.len()).filter(|&a| mask[a] == 1).collect();
        let choice = if rng.below(2) == 0 && !allowed.is_empty() {
            allowed[rng.below(allowed.len())]
        } else {
            rng.below(mask.len())
        };
        env.step(choice, &mut obs, &mut mask).unwrap();
        seen.push(obs.clone());
    }
    seen
}

#[test]
fn every_use_case_has_the_same_names() {
    let first = env("seed001", None).observation_names();
    assert_eq!(first.len(), OBSERVATION_LEN);
    // The length docs/src/python-observations.md gives.
    assert_eq!(OBSERVATION_LEN, 268);
    assert_eq!(first.iter().collect::<HashSet<_>>().len(), first.len());
    assert_eq!(
        ALL_KINDS.iter().collect::<HashSet<_>>().len(),
        ALL_KINDS.len()
    );
    for name in Scenario::builtin_names() {
        let e = env(name, None);
        assert_eq!(e.observation_names(), first, "{name}");
        assert_eq!(e.observation_len(), OBSERVATION_LEN, "{name}");
        for action in e.actions() {
            assert!(ALL_KINDS.contains(action), "{name}: {action} has no block");
        }
    }
}

#[test]
fn random_episodes_stay_finite_and_in_range() {
    let mut rng = Rng::new(9);
    for name in Scenario::builtin_names() {
        for stage in Stage::ALL {
            let mut e = env(name, Some(stage));
            let names = e.observation_names();
            for seed in 0..2 {
                for obs in episode(e.as_mut(), seed, &mut rng) {
                    for (k, x) in obs.iter().enumerate() {
                        let (lo, hi) = bounds(&names[k]);
                        assert!(
                            x.is_finite() && (lo..=hi).contains(x),
                            "{name} {} seed {seed}: {} = {x}",
                            stage.as_str(),
                            names[k]
                        );
                    }
                }
            }
        }
    }
}

#[test]
fn the_vectors_are_a_function_of_the_episode() {
    for name in Scenario::builtin_names() {
        let (mut a, mut b) = (env(name, None), env(name, None));
        let first = episode(a.as_mut(), 31, &mut Rng::new(1));
        episode(b.as_mut(), 32, &mut Rng::new(2));
        assert_eq!(first, episode(b.as_mut(), 31, &mut Rng::new(1)), "{name}");
    }
}

#[test]
fn entries_say_what_the_observation_shows() {
    let mut rng = Rng::new(4);
    for name in Scenario::builtin_names() {
        let mut e = env(name, Some(Stage::Prod));
        let names = e.observation_names();
        let at = |name: &str| names.iter().position(|n| n == name).expect(name);
        let mut obs = vec![0.0; e.observation_len()];
        let mut mask = vec![0; e.actions().len()];
        e.reset(1, &mut obs, &mut mask);
        for _ in 0..3 {
            let json = e.observation_json();
            let risk = json["risk_score"].as_f64().unwrap() / 100.0;
            assert!(
                (f64::from(obs[at("global.risk")]) - risk).abs() < 1e-6,
                "{name}"
            );
            assert_eq!(obs[at("global.stage.prod")], 1.0);
            let candidates = json["candidates"].as_array().unwrap();
            for kind in ALL_KINDS {
                let playable = e.actions().iter().position(|a| *a == kind);
                let block = |field: &str| obs[at(&format!("kind.{kind}.{field}"))];
                assert_eq!(
                    block("available") == 1.0,
                    playable.is_some(),
                    "{name} {kind}"
                );
                // The mask is the gate's verdict on the kind's best candidate.
                if let Some(a) = playable {
                    assert_eq!(block("best.allowed"), f32::from(mask[a]), "{name} {kind}");
                }
                let n = candidates
                    .iter()
                    .filter(|c| c["action"]["id"] == kind)
                    .count();
                assert_eq!(
                    block("candidates"),
                    (n as f32 / 8.0).min(1.0),
                    "{name} {kind}"
                );
            }
            let a = rng.below(mask.len());
            e.step(a, &mut obs, &mut mask).unwrap();
        }
        assert!(obs[at("global.cycle_fraction")] > 0.0, "{name}");
    }
}
