//! The worker's loop training the hardening loop: addressed to `harden`, a built-in scenario,
//! the stage as the level; the adapter is the scenario's action set's, as the CLI picks it.

use super::adapter::with_set;
use crate::learning::training::job::{run_out, TrainingLoop};
use crate::learning::training::protocol::Addressed;
use crate::learning::training::protocol::{FromWorker, Pace, ToWorkerOf};
use ztgym::core::learn::{Kind, TrainConfig, Trainer};
use ztgym::core::policy::Policy;
use ztgym::harden::adapter::{for_scenario, HardenAdapterOf};
use ztgym::harden::{Scenario, Stage};

fn config(kind: Kind, episodes: u64, seed: u64, stage: Stage) -> TrainConfig<Stage> {
    let mut config = TrainConfig::new(kind);
    config.episodes = episodes;
    config.seed = seed;
    config.level = Some(stage);
    config
}

/// As the worker gets it: JSON text, the level read as any value.
fn as_sent(scenario: &str, config: TrainConfig<Stage>) -> (String, ToWorkerOf<serde_json::Value>) {
    let message = ToWorkerOf::Start {
        scenario: scenario.into(),
        config,
        pace: Pace::Full,
    };
    let text = serde_json::to_string(&Addressed::new("harden", message)).unwrap();
    let Addressed { env, message } = serde_json::from_str(&text).unwrap();
    (env, message)
}

/// `ztgym train --env harden --scenario S --agent K --episodes N --seed SEED --level STAGE`
/// (crates/ztgym-harden/src/commands.rs: the adapter of the scenario's action set, 50 episodes
/// a chunk): the policy file's text.
fn cli_file(scenario: &str, config: TrainConfig<Stage>) -> String {
    let scenario = Scenario::load(scenario).unwrap();
    with_set!(for_scenario(&scenario), K => {
        let mut trainer = Trainer::<HardenAdapterOf<K>>::new(scenario, config).unwrap();
        while !trainer.is_finished() {
            trainer.run(50);
        }
        Policy::from_trainer(&trainer).to_json()
    })
}

#[test]
fn a_harden_run_writes_the_policy_file_the_cli_writes() {
    // Seed 001's actions, and three scenarios of other action sets (pods, WAF, tenants).
    let runs = [
        ("seed001", Kind::QLagrangian, Stage::Sandbox),
        ("seed001", Kind::Q, Stage::Prod),
        ("seed001", Kind::Bandit, Stage::Sandbox),
        ("uc02-pod-security", Kind::QLagrangian, Stage::Stage),
        ("uc04-waf-tuning", Kind::Q, Stage::Sandbox),
        ("uc09-tenant-isolation", Kind::Bandit, Stage::Sandbox),
    ];
    for (scenario, kind, stage) in runs {
        let mut l = TrainingLoop::new(crate::envs::trains());
        let (env, message) = as_sent(scenario, config(kind, 60, 5, stage));
        assert_eq!(l.handle_for(&env, message, 0.0), (vec![], true));
        assert_eq!(l.env(), Some("harden"));
        let (points, policy) = run_out(&mut l);
        assert_eq!(points.last().unwrap().episodes_done, 60);
        let cli = cli_file(scenario, config(kind, 60, 5, stage));
        assert_eq!(policy, cli, "{scenario} {kind:?}");
        assert!(policy.contains("\"env\": \"harden\""), "{policy}");
        assert!(policy.contains(&format!("\"scenario\": \"{scenario}\"")));
    }
}

#[test]
fn a_lagrangian_run_on_seed001_reports_its_multiplier_and_cost() {
    let mut l = TrainingLoop::new(crate::envs::trains());
    let (env, message) = as_sent("seed001", config(Kind::QLagrangian, 200, 0, Stage::Sandbox));
    l.handle_for(&env, message, 0.0);
    let (points, _) = run_out(&mut l);
    assert_eq!(points.len(), 200, "one point per episode");
    assert!(points.iter().all(|p| p.lambda.is_some()));
    assert!(points.iter().all(|p| p.mean_return.is_finite()));
}

#[test]
fn a_bad_harden_start_is_answered_by_name() {
    let mut l = TrainingLoop::new(crate::envs::trains());
    let (env, message) = as_sent("uc99", config(Kind::Q, 5, 0, Stage::Sandbox));
    let (r, schedule) = l.handle_for(&env, message, 0.0);
    assert!(!schedule);
    assert!(
        matches!(&r[0], FromWorker::Failed { message } if message.contains("harden") && message.contains("\"uc99\"") && message.contains("seed001")),
        "{r:?}"
    );
    let mut bad = config(Kind::QLagrangian, 5, 0, Stage::Sandbox);
    bad.hyperparameters.cost_budget = -1.0;
    let (env, message) = as_sent("seed001", bad);
    let (r, _) = l.handle_for(&env, message, 0.0);
    assert!(
        matches!(&r[0], FromWorker::Failed { message } if message.contains("cost_budget")),
        "{r:?}"
    );
    // A stage the hardening loop does not have.
    let (env, mut message) = as_sent("seed001", config(Kind::Q, 5, 0, Stage::Sandbox));
    if let ToWorkerOf::Start { config, .. } = &mut message {
        config.level = Some(serde_json::json!("moon"));
    }
    let (r, _) = l.handle_for(&env, message, 0.0);
    assert!(
        matches!(&r[0], FromWorker::Failed { message } if message.contains("harden") && message.contains("moon")),
        "{r:?}"
    );
    assert_eq!(l.env(), None, "nothing runs");
}
