//! The curriculum in the environment: it picks the level, and draws the threat classes the
//! agent is weak on more often.

use ztgym_sre::{Curriculum, Env, Level, ResetOptions, Scenario, ThreatClass};

fn class_counts(env: &mut Env, episodes: u64) -> [u32; 5] {
    let mut counts = [0; 5];
    for seed in 0..episodes {
        env.reset(
            seed,
            ResetOptions {
                level: None,
                curriculum: true,
            },
        );
        counts[env.state().threats[0].class.index()] += 1;
    }
    counts
}

#[test]
fn weak_threat_classes_are_drawn_more_often() {
    let mut env = Env::new(Scenario::builtin("enterprise").unwrap());
    let even = class_counts(&mut env, 2000);
    let mut c = Curriculum::default();
    c.mastery[ThreatClass::Rce.index()] = 1.0;
    env.set_curriculum(c);
    let skewed = class_counts(&mut env, 2000);
    let rce = ThreatClass::Rce.index();
    assert!(
        skewed[rce] * 3 < even[rce],
        "mastered rce drawn less: {even:?} -> {skewed:?}"
    );
    assert!(skewed
        .iter()
        .enumerate()
        .filter(|(i, _)| *i != rce)
        .all(|(i, n)| *n >= even[i]));
}

#[test]
fn the_curriculum_sets_the_level_and_records_outcomes() {
    let mut env = Env::new(Scenario::builtin("classic").unwrap());
    let (obs, _) = env.reset(
        1,
        ResetOptions {
            level: Some(Level::Expert),
            curriculum: true,
        },
    );
    assert_eq!(
        obs.level,
        Level::Warmup,
        "a new learner starts at warmup whatever is asked"
    );
    env.set_curriculum(Curriculum {
        mastery: [0.7; 5],
        episodes: 12,
    });
    let (obs, _) = env.reset(
        1,
        ResetOptions {
            level: None,
            curriculum: true,
        },
    );
    assert_eq!(obs.level, Level::Advanced);
    // Ending an episode records it against the threat's class.
    let before = env.curriculum().episodes;
    for _ in 0..obs.max_steps {
        if env.step(&ztgym_sre::Action::Wait).unwrap().truncated {
            break;
        }
    }
    assert_eq!(env.curriculum().episodes, before + 1);
}
