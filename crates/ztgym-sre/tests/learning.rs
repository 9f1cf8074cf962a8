//! The learners meet the figures, deterministically: the Lagrangian learner trained on
//! `classic` with the default episode count is compliant, successful and positive on other
//! seeds, the untrained policy is negative; training in chunks, or stopped, saved as JSON and
//! resumed, gives the very same policy file; the cost budget holds where the reward alone
//! would trade violations for return.

use ztgym_sre::eval::{evaluate, EvalReport};
use ztgym_sre::learn::executor::{AbstractAction, Executor, ACTIONS};
use ztgym_sre::learn::{Kind, TrainConfig, Trainer, TrainerState};
use ztgym_sre::rng::Rng;
use ztgym_sre::{Env, Level, Policy, PolicyAgent, ResetOptions, Scenario};

/// Evaluation seeds 1..=200: the trainer draws its episode seeds from a mixed stream, so
/// these are episodes it never saw.
fn play(policy: &Policy, scenario: &Scenario, level: Option<Level>) -> EvalReport {
    let mut agent = PolicyAgent::new(policy, scenario).unwrap();
    let options = ResetOptions {
        level,
        curriculum: false,
    };
    evaluate(
        &mut Env::new(scenario.clone()),
        &mut agent,
        200,
        1,
        &options,
    )
    .0
}

fn train(scenario: &Scenario, config: TrainConfig) -> Policy {
    let mut t = Trainer::new(scenario.clone(), config).unwrap();
    t.run(u64::MAX);
    assert!(t.is_finished());
    Policy::from_trainer(&t)
}

fn lenient() -> Scenario {
    Scenario::parse("lenient.toml", include_str!("fixtures/lenient.toml")).unwrap()
}

#[test]
fn lagrangian_q_on_classic_is_compliant_successful_and_positive_on_other_seeds() {
    let classic = Scenario::builtin("classic").unwrap();
    let trained = train(&classic, TrainConfig::new(Kind::QLagrangian));
    assert_eq!(trained.training.episodes, TrainConfig::DEFAULT_EPISODES);
    let r = play(&trained, &classic, None);
    assert!(r.compliance_rate >= 0.95, "{r:?}");
    assert!(r.success_rate >= 0.8, "{r:?}");
    assert!(r.mean_return > 0.0, "{r:?}");

    let untrained = train(
        &classic,
        TrainConfig {
            episodes: 0,
            ..TrainConfig::new(Kind::QLagrangian)
        },
    );
    let r0 = play(&untrained, &classic, None);
    assert!(r0.mean_return < 0.0, "{r0:?}");
}

#[test]
fn tabular_q_learns_classic_and_enterprise_and_the_bandit_stays_a_weak_baseline() {
    for name in ["classic", "enterprise"] {
        let s = Scenario::builtin(name).unwrap();
        let q = play(&train(&s, TrainConfig::new(Kind::Q)), &s, None);
        assert!(
            q.success_rate >= 0.8 && q.mean_return > 0.0,
            "{name}: {q:?}"
        );
        let bandit = play(&train(&s, TrainConfig::new(Kind::Bandit)), &s, None);
        assert!(bandit.success_rate < q.success_rate, "{name}: {bandit:?}");
    }
}

#[test]
fn the_defaults_learn_on_every_training_seed_not_only_the_bundled_one() {
    // Seeds 2 and 7 settled on the wrong containment with alpha 0.1 (see hyper.rs).
    let s = Scenario::builtin("enterprise").unwrap();
    for seed in [1, 2, 3, 7] {
        let config = TrainConfig {
            seed,
            ..TrainConfig::new(Kind::QLagrangian)
        };
        let r = play(&train(&s, config), &s, None);
        assert!(
            r.success_rate >= 0.8 && r.compliance_rate >= 0.95,
            "training seed {seed}: {r:?}"
        );
    }
}

#[test]
fn the_cost_budget_holds_where_the_reward_alone_trades_violations_for_return() {
    let s = lenient();
    let q = play(&train(&s, TrainConfig::new(Kind::Q)), &s, None);
    let lag = play(&train(&s, TrainConfig::new(Kind::QLagrangian)), &s, None);
    assert!(
        q.compliance_rate < 0.5,
        "reward-only Q bails out by breaking the rule: {q:?}"
    );
    assert!(lag.compliance_rate >= 0.95, "{lag:?}");
    assert!(lag.mean_cost <= 0.05, "within the default budget: {lag:?}");
}

#[test]
fn chunked_and_resumed_training_give_the_same_policy_file_byte_for_byte() {
    let s = Scenario::builtin("enterprise").unwrap();
    for kind in Kind::ALL {
        let config = TrainConfig {
            episodes: 300,
            seed: 7,
            ..TrainConfig::new(kind)
        };
        let whole = train(&s, config.clone()).to_json();

        let mut t = Trainer::new(s.clone(), config.clone()).unwrap();
        let mut reports = Vec::new();
        for chunk in [1, 10, 89] {
            reports.push(t.run(chunk));
        }
        // Stop, save, and resume in a new trainer from the JSON alone.
        let saved = serde_json::to_string(t.state()).unwrap();
        let state: TrainerState = serde_json::from_str(&saved).unwrap();
        assert_eq!(
            &state,
            t.state(),
            "{kind:?}: the state survives JSON exactly"
        );
        let mut t = Trainer::resume(s.clone(), state).unwrap();
        while !t.is_finished() {
            reports.push(t.run(64));
        }
        assert_eq!(Policy::from_trainer(&t).to_json(), whole, "{kind:?}");
        let done: Vec<u64> = reports.iter().map(|r| r.episodes_done).collect();
        assert_eq!(done, [1, 11, 100, 164, 228, 292, 300]);
        assert!(reports.last().unwrap().finished);
        assert_eq!(
            t.run(10).episodes_run,
            0,
            "nothing past the configured total"
        );
        t.extend(5);
        assert_eq!(t.run(10).episodes_run, 5, "extend trains on");
    }
}

#[test]
fn the_seed_decides_the_policy() {
    let s = Scenario::builtin("classic").unwrap();
    let config = |seed| TrainConfig {
        episodes: 200,
        seed,
        ..TrainConfig::new(Kind::Q)
    };
    let a = train(&s, config(1)).to_json();
    assert_eq!(a, train(&s, config(1)).to_json());
    assert_ne!(a, train(&s, config(2)).to_json());
}

#[test]
fn the_executor_only_sends_well_formed_actions_whatever_is_chosen() {
    for name in Scenario::builtin_names() {
        let s = Scenario::builtin(name).unwrap();
        let mut env = Env::new(s.clone());
        let mut ex = Executor::new(&s);
        let mut rng = Rng::new(11);
        for (episode, level) in Level::ALL.into_iter().cycle().take(60).enumerate() {
            let options = ResetOptions {
                level: Some(level),
                curriculum: false,
            };
            let (mut obs, _) = env.reset(episode as u64, options);
            ex.reset();
            loop {
                ex.observe(&obs);
                let choice = AbstractAction::ALL[rng.below(ACTIONS)];
                let action = ex.action(choice, &obs);
                let step = env
                    .step(&action)
                    .unwrap_or_else(|e| panic!("{name} {level:?} {choice:?}: {action}: {e}"));
                if step.terminated || step.truncated {
                    break;
                }
                obs = step.observation;
            }
        }
    }
}

#[test]
fn the_mask_removes_every_rule_breaking_choice_even_while_exploring() {
    let s = Scenario::builtin("classic").unwrap();
    let mut config = TrainConfig {
        episodes: 300,
        ..TrainConfig::new(Kind::Q)
    };
    config.hyperparameters.mask = true;
    config.hyperparameters.epsilon_start = 1.0;
    config.hyperparameters.epsilon_end = 1.0;
    let mut t = Trainer::new(s.clone(), config).unwrap();
    let r = t.run(300);
    assert_eq!(r.mean_cost, 0.0, "{r:?}");
    assert_eq!(r.compliance_rate, 1.0);
    let policy = Policy::from_trainer(&t);
    assert!(policy.model.masked);
    assert_eq!(play(&policy, &s, None).mean_cost, 0.0);
}

#[test]
fn inspection_shows_values_marks_rule_breaking_actions_and_lists_visited_states() {
    let s = Scenario::builtin("classic").unwrap();
    let policy = train(&s, TrainConfig::new(Kind::QLagrangian));
    let agent = PolicyAgent::new(&policy, &s).unwrap();
    let mut env = Env::new(s.clone());
    let (obs, _) = env.reset(5, ResetOptions::default());
    let i = agent.inspect(&obs);
    assert_eq!(i.values.len(), ACTIONS);
    assert_eq!(i.actions[i.chosen], "investigate", "{i:?}");
    let breaks = |name: &str| i.breaks_rule[i.actions.iter().position(|a| *a == name).unwrap()];
    assert!(breaks("isolate") && breaks("patch"), "no ticket yet: {i:?}");
    assert!(!breaks("investigate") && !breaks("wait"));
    assert!(i.masked.iter().all(|m| !m), "the policy is not masked");
    assert!(i.target("suspect").is_some());
    assert!(matches!(i.action, ztgym_sre::Action::QuerySiemLogs { .. }));

    let rows = policy.visited_states();
    assert!(!rows.is_empty());
    assert!(rows.windows(2).all(|w| w[0].visits >= w[1].visits));
    // Where an approval is in hand the policy acts on it; where a ticket is only pending it
    // does not isolate (the rule it learned).
    for row in &rows {
        let ticket = row.features.iter().find(|(n, _)| *n == "ticket").unwrap().1;
        if row.visits >= 50 {
            match ticket {
                "isolate_approved" => assert_eq!(row.greedy, "isolate", "{row:?}"),
                "patch_approved" => assert_eq!(row.greedy, "patch", "{row:?}"),
                "isolate_pending" | "patch_pending" | "isolate_ready" | "patch_ready" => {
                    assert!(!["isolate", "patch"].contains(&row.greedy), "{row:?}")
                }
                _ => {}
            }
        }
    }
}

#[test]
fn bad_hyperparameters_and_foreign_states_are_refused() {
    let s = Scenario::builtin("classic").unwrap();
    let mut config = TrainConfig::new(Kind::QLagrangian);
    config.hyperparameters.alpha = 1.5;
    config.hyperparameters.lambda_lr = f64::NAN;
    let e = Trainer::new(s.clone(), config).err().unwrap();
    assert!(
        e.contains("hyperparameters.alpha") && e.contains("hyperparameters.lambda_lr"),
        "{e}"
    );
    let t = Trainer::new(
        Scenario::builtin("enterprise").unwrap(),
        TrainConfig::new(Kind::Q),
    )
    .unwrap();
    let e = Trainer::resume(s, t.state().clone()).err().unwrap();
    assert!(e.contains("\"enterprise\""), "{e}");
}
