//! The numeric observation (what the Python package hands a network): one length for every
//! task, every entry finite and in its named range, a pure function of the episode, and
//! entries that say what the observation shows.

use std::collections::HashSet;
use ztgym_core::learn::numeric::{bounds, NumericEnv};
use ztgym_core::spec::NumericRequest;
use ztgym_core::Rng;
use ztgym_triage::cues::read_cues;
use ztgym_triage::message::Cue;
use ztgym_triage::numeric::{make, OBSERVATION_LEN};
use ztgym_triage::{TaskId, Visible};

fn env(task: TaskId) -> Box<dyn NumericEnv> {
    make(
        "test",
        &NumericRequest {
            scenario: Some(task.as_str()),
            level: None,
            gate: None,
        },
    )
    .unwrap()
}

/// Plays one episode of random decisions, returning every observation vector.
fn episode(env: &mut dyn NumericEnv, seed: u64, rng: &mut Rng) -> Vec<Vec<f32>> {
    let mut obs = vec![f32::NAN; env.observation_len()];
    let mut mask = vec![0; env.actions().len()];
    env.reset(seed, &mut obs, &mut mask);
    let mut seen = vec![obs.clone()];
    while !env.ended() {
        env.step(rng.below(mask.len()), &mut obs, &mut mask)
            .unwrap();
        seen.push(obs.clone());
    }
    seen
}

#[test]
fn every_task_has_the_same_named_length() {
    for task in TaskId::ALL {
        let e = env(task);
        let names = e.observation_names();
        assert_eq!(names.len(), OBSERVATION_LEN, "{task:?}");
        assert_eq!(e.observation_len(), OBSERVATION_LEN, "{task:?}");
        assert_eq!(names.iter().collect::<HashSet<_>>().len(), names.len());
    }
    // The length docs/src/python-observations.md gives.
    assert_eq!(OBSERVATION_LEN, 85);
}

#[test]
fn random_episodes_stay_finite_and_in_range() {
    let mut rng = Rng::new(5);
    for task in TaskId::ALL {
        let mut e = env(task);
        let names = e.observation_names();
        for seed in 0..3 {
            for obs in episode(e.as_mut(), seed, &mut rng) {
                for (k, x) in obs.iter().enumerate() {
                    let (lo, hi) = bounds(&names[k]);
                    assert!(
                        x.is_finite() && (lo..=hi).contains(x),
                        "{task:?} seed {seed}: {} = {x}",
                        names[k]
                    );
                }
            }
        }
    }
}

#[test]
fn the_vectors_are_a_function_of_the_episode() {
    for task in TaskId::ALL {
        let (mut a, mut b) = (env(task), env(task));
        let first = episode(a.as_mut(), 21, &mut Rng::new(1));
        episode(b.as_mut(), 22, &mut Rng::new(2));
        assert_eq!(first, episode(b.as_mut(), 21, &mut Rng::new(1)), "{task:?}");
    }
}

#[test]
fn entries_say_what_the_observation_shows() {
    let mut e = env(TaskId::L2);
    let names = e.observation_names();
    let at = |name: &str| names.iter().position(|n| n == name).expect(name);
    let mut obs = vec![0.0; e.observation_len()];
    let mut mask = vec![0; e.actions().len()];
    let decision = |name: &str| e.actions().iter().position(|a| *a == name).unwrap();
    let (block, allow) = (decision("block"), decision("allow"));
    for seed in 0..20 {
        e.reset(seed, &mut obs, &mut mask);
        let json = e.observation_json();
        assert_eq!(obs[at("task.L2")], 1.0);
        let risk = json["risk_score"].as_f64().unwrap() as f32;
        assert_eq!(obs[at("message.risk_score")], risk);
        let trust = json["user_trust"].as_f64().unwrap() / 100.0;
        assert!((obs[at("user.trust")] as f64 - trust).abs() < 1e-6);
        let visible: Visible = serde_json::from_value(json["message"].clone()).unwrap();
        let channel = json["message"]["channel"].as_str().unwrap();
        assert_eq!(obs[at(&format!("message.channel.{channel}"))], 1.0);
        let cues = read_cues(&visible);
        for c in Cue::ALL {
            assert_eq!(
                obs[at(&format!("cue.{}", c.as_str()))] == 1.0,
                cues.has(c),
                "{c:?}"
            );
        }
        assert!((0..8).all(|k| obs[at(&format!("recent{k}.block"))] == 0.0));
    }
    e.reset(3, &mut obs, &mut mask);
    e.step(block, &mut obs, &mut mask).unwrap();
    assert_eq!(obs[at("recent0.block")], 1.0);
    assert_eq!(obs[at("recent.share.block")], 1.0);
    e.step(allow, &mut obs, &mut mask).unwrap();
    assert_eq!(obs[at("recent0.allow")], 1.0);
    assert_eq!(obs[at("recent1.block")], 1.0);
    assert_eq!(obs[at("recent.share.block")], 0.5);
    assert!(obs[at("episode.step_fraction")] > 0.0);
}
