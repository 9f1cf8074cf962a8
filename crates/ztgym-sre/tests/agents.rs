//! The built-in agents meet the figures docs/src/environments/sre.md reports (issue: random
//! clearly negative and mostly non-compliant; SOP successful, compliant and positive).

use ztgym_sre::agents::builtin_agent;
use ztgym_sre::eval::evaluate;
use ztgym_sre::{Env, ResetOptions, Scenario};

fn report(agent: &str, episodes: u64) -> ztgym_sre::eval::EvalReport {
    let s = Scenario::builtin("classic").unwrap();
    let mut a = builtin_agent(agent, &s).unwrap();
    evaluate(
        &mut Env::new(s),
        a.as_mut(),
        episodes,
        1,
        &ResetOptions::default(),
    )
    .0
}

#[test]
fn random_breaks_the_rules() {
    let r = report("random", 200);
    assert!(r.mean_return < -5.0, "{r:?}");
    assert!(r.compliance_rate < 0.5, "{r:?}");
    assert!(r.violation_rate > 0.5, "{r:?}");
}

#[test]
fn sop_succeeds_by_the_book() {
    let r = report("sop", 200);
    assert!(r.success_rate >= 0.9, "{r:?}");
    assert!(r.compliance_rate >= 0.95, "{r:?}");
    assert!(r.mean_return > 0.0, "{r:?}");
    assert_eq!(r.violation_rate, 0.0);
}

#[test]
fn unknown_agent_is_named() {
    let s = Scenario::builtin("classic").unwrap();
    let e = builtin_agent("genius", &s).err().unwrap();
    assert_eq!(e, "agent: unknown agent \"genius\" (known: random, sop)");
}

#[test]
fn the_mask_builds_any_one_of_its_actions_alone() {
    use ztgym_sre::eval::run_episode;
    use ztgym_sre::Level;
    for name in Scenario::builtin_names() {
        let s = Scenario::builtin(name).unwrap();
        let mut agent = builtin_agent("random", &s).unwrap();
        let mut env = Env::new(s);
        for seed in 0..30 {
            let options = ResetOptions {
                level: Some(Level::ALL[seed as usize % Level::ALL.len()]),
                curriculum: false,
            };
            let (_, info) = env.reset(seed, options.clone());
            let mut masks = vec![info.action_mask];
            run_episode(&mut env, agent.as_mut(), seed, &options, |_, _, step| {
                masks.push(step.info.action_mask.clone())
            });
            for mask in &masks {
                let all = mask.actions("why");
                assert_eq!(mask.count(), all.len(), "{name}");
                for (k, action) in all.iter().enumerate() {
                    assert_eq!(&mask.nth(k, "why"), action, "{name} #{k}");
                }
            }
        }
    }
}
