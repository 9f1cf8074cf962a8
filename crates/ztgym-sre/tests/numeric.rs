//! The numeric observation (what the Python package hands a network): one length for every
//! scenario, every entry finite and in its named range, a pure function of the episode, and
//! entries that say what the observation shows.

use std::collections::HashSet;
use ztgym_core::learn::numeric::{bounds, NumericEnv};
use ztgym_core::spec::NumericRequest;
use ztgym_core::Rng;
use ztgym_sre::numeric::{make, MAX_NODES, OBSERVATION_LEN};
use ztgym_sre::{Level, Scenario};

fn env(scenario: &str, level: Option<&str>) -> Box<dyn NumericEnv> {
    make(
        "test",
        &NumericRequest {
            scenario: Some(scenario),
            level,
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

fn entry(names: &[String], obs: &[f32], name: &str) -> f32 {
    let i = names.iter().position(|n| n == name).unwrap_or_else(|| {
        panic!("no entry {name}");
    });
    obs[i]
}

#[test]
fn every_scenario_has_the_same_named_length() {
    for name in Scenario::builtin_names() {
        let e = env(name, None);
        let names = e.observation_names();
        assert_eq!(names.len(), OBSERVATION_LEN, "{name}");
        assert_eq!(e.observation_len(), OBSERVATION_LEN, "{name}");
        assert_eq!(names.iter().collect::<HashSet<_>>().len(), names.len());
        assert!(Scenario::builtin(name).unwrap().services().len() <= MAX_NODES);
    }
    assert_eq!(
        env("classic", None).observation_names()[0],
        "global.step_fraction"
    );
}

#[test]
fn random_episodes_stay_finite_and_in_range() {
    let mut rng = Rng::new(7);
    for name in Scenario::builtin_names() {
        for level in Level::ALL {
            let mut e = env(name, Some(level.as_str()));
            let names = e.observation_names();
            let ranges: Vec<(f32, f32)> = names.iter().map(|n| bounds(n)).collect();
            for seed in 0..4 {
                for obs in episode(e.as_mut(), seed, &mut rng) {
                    for (k, x) in obs.iter().enumerate() {
                        let (lo, hi) = ranges[k];
                        assert!(
                            x.is_finite() && (lo..=hi).contains(x),
                            "{name} {} seed {seed}: {} = {x}",
                            level.as_str(),
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
        let first = episode(a.as_mut(), 11, &mut Rng::new(3));
        // `b` plays another episode first: nothing of it may show in the next one.
        episode(b.as_mut(), 12, &mut Rng::new(4));
        assert_eq!(first, episode(b.as_mut(), 11, &mut Rng::new(3)), "{name}");
    }
}

#[test]
fn entries_say_what_the_observation_shows() {
    let mut e = env("classic", Some("warmup"));
    let names = e.observation_names();
    let mut obs = vec![0.0; e.observation_len()];
    let mut mask = vec![0; e.actions().len()];
    e.reset(5, &mut obs, &mut mask);
    let get = |obs: &[f32], name: &str| entry(&names, obs, name);
    // Classic has five services: nodes 0-4 are there, 5 on are padding.
    assert_eq!(get(&obs, "node4.present"), 1.0);
    assert_eq!(get(&obs, "node5.present"), 0.0);
    assert!(
        obs[names.iter().position(|n| n == "node5.present").unwrap()..]
            .iter()
            .all(|x| *x == 0.0)
    );
    assert_eq!(get(&obs, "node0.protected"), 1.0);
    assert_eq!(get(&obs, "global.step_fraction"), 0.0);
    assert_eq!(get(&obs, "global.level.warmup"), 1.0);
    let json = e.observation_json();
    for (i, s) in json["services"].as_array().unwrap().iter().enumerate() {
        let state = s["state"].as_str().unwrap();
        assert_eq!(get(&obs, &format!("node{i}.state.{state}")), 1.0, "{s}");
    }
    let suspect = (0..5)
        .find(|i| get(&obs, &format!("node{i}.target.suspect")) == 1.0)
        .expect("warmup starts with an alert to investigate");
    assert_eq!(get(&obs, &format!("node{suspect}.alert.present")), 1.0);
    assert_eq!(get(&obs, &format!("node{suspect}.read")), 0.0);
    assert_eq!(get(&obs, &format!("node{suspect}.unread_alerts")), 1.0);

    let investigate = e
        .actions()
        .iter()
        .position(|a| *a == "investigate")
        .unwrap();
    e.step(investigate, &mut obs, &mut mask).unwrap();
    assert_eq!(
        e.action_json()["node"],
        json["services"][suspect]["id"],
        "investigating reads the suspect"
    );
    assert_eq!(get(&obs, &format!("node{suspect}.read")), 1.0);
    assert_eq!(get(&obs, &format!("node{suspect}.logs_shown")), 1.0);
    assert_eq!(get(&obs, &format!("node{suspect}.unread_alerts")), 0.0);
    assert_eq!(get(&obs, "global.logs_shown"), 1.0);
    assert!(get(&obs, "global.step_fraction") > 0.0);
}

#[test]
fn a_scenario_larger_than_the_vector_is_refused() {
    let mut text = String::from("[scenario]\nname = \"big\"\ntitle = \"Big\"\n");
    for i in 0..=MAX_NODES {
        text.push_str(&format!(
            "[[service]]\nid = \"s{i}\"\ntags = [\"java\", \"log4j\"]\n"
        ));
    }
    let path = std::env::temp_dir().join(format!("ztgym-numeric-big-{}.toml", std::process::id()));
    std::fs::write(&path, text).unwrap();
    let err = make(
        "test",
        &NumericRequest {
            scenario: path.to_str(),
            level: None,
            gate: None,
        },
    )
    .err()
    .expect("refused");
    std::fs::remove_file(&path).ok();
    assert!(err.contains("at most 16"), "{err}");
}
