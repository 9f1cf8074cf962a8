//! The worker's loop training message triage: the same messages, addressed to `triage`, with a
//! task for the scenario and the task as the level.

use crate::learning::training::job::{run_out, TrainingLoop};
use crate::learning::training::protocol::Addressed;
use crate::learning::training::protocol::{FromWorker, Pace, ToWorker, ToWorkerOf};
use ztgym::core::learn::{Kind, TrainConfig, Trainer};
use ztgym::core::policy::Policy;
use ztgym::learn::ChunkReport;
use ztgym::triage::{TaskId, Triage};

fn config(kind: Kind, episodes: u64, seed: u64) -> TrainConfig<TaskId> {
    let mut config = TrainConfig::new(kind);
    config.episodes = episodes;
    config.seed = seed;
    config
}

fn start(task: &str, config: TrainConfig<TaskId>, pace: Pace) -> ToWorkerOf<TaskId> {
    ToWorkerOf::Start {
        scenario: task.into(),
        config,
        pace,
    }
}

/// As the worker gets it: JSON text, the level read as any value.
fn as_sent(message: ToWorkerOf<TaskId>) -> (String, ToWorkerOf<serde_json::Value>) {
    let text = serde_json::to_string(&Addressed::new("triage", message)).unwrap();
    let Addressed { env, message } = serde_json::from_str(&text).unwrap();
    (env, message)
}

fn ticking(step: f64) -> impl FnMut() -> f64 {
    let mut t = 0.0;
    move || {
        t += step;
        t
    }
}

#[test]
fn a_triage_run_writes_the_policy_file_the_cli_writes() {
    for kind in Kind::ALL {
        let mut l = TrainingLoop::new(crate::envs::trains());
        let (env, message) = as_sent(start("L1", config(kind, 600, 4), Pace::Full));
        assert_eq!(l.handle_for(&env, message, 0.0), (vec![], true));
        assert_eq!(l.env(), Some("triage"));
        let (points, policy) = run_out(&mut l);
        assert_eq!(points.last().unwrap().episodes_done, 600);
        // `ztgym train --env triage --task L1 --agent KIND --episodes 600 --seed 4`.
        let mut cli = Trainer::<Triage>::new(TaskId::L1, config(kind, 600, 4)).unwrap();
        while !cli.is_finished() {
            cli.run(1000);
        }
        assert_eq!(policy, Policy::from_trainer(&cli).to_json(), "{kind:?}");
        let read = Policy::<Triage>::parse("page.json", &policy, Some("L1")).unwrap();
        assert_eq!(read.training.level, TaskId::L1);
        assert!(policy.contains("\"env\": \"message-triage\""), "{policy}");
    }
}

#[test]
fn the_curves_of_a_lagrangian_run_on_l1_move() {
    let mut l = TrainingLoop::new(crate::envs::trains());
    let (env, message) = as_sent(start(
        "basic_security",
        config(Kind::QLagrangian, 2000, 0),
        Pace::Full,
    ));
    l.handle_for(&env, message, 0.0);
    let (points, _) = run_out(&mut l);
    assert_eq!(points.len(), 200, "one point per 10 episodes");
    let mean = |p: &[ChunkReport]| p.iter().map(|p| p.mean_return).sum::<f64>() / p.len() as f64;
    let (first, last) = (mean(&points[..20]), mean(&points[180..]));
    assert!(
        last > first,
        "the return rises as it learns: {first:.2} then {last:.2}"
    );
    assert!(points.iter().all(|p| p.lambda.is_some()));
}

#[test]
fn stop_and_resume_learn_what_one_run_learns_and_other_environments_find_no_run() {
    let mut whole = TrainingLoop::new(crate::envs::trains());
    let (env, message) = as_sent(start("L2", config(Kind::Q, 300, 9), Pace::Full));
    whole.handle_for(&env, message, 0.0);
    let (_, uninterrupted) = run_out(&mut whole);

    let mut l = TrainingLoop::new(crate::envs::trains());
    let (env, message) = as_sent(start("L2", config(Kind::Q, 300, 9), Pace::Watch(100)));
    l.handle_for(&env, message, 0.0);
    l.work(&mut ticking(1.0));
    let (r, _) = l.handle_for("sre", ToWorker::Stop, 0.0);
    assert!(
        r.is_empty(),
        "a Stop about the SRE gym does not stop triage: {r:?}"
    );
    let (r, schedule) = l.handle_for("triage", ToWorkerOf::<TaskId>::Stop, 0.0);
    assert!(
        !schedule
            && matches!(
                r[0],
                FromWorker::Paused {
                    finished: false,
                    ..
                }
            )
    );
    let (r, schedule) = l.handle_for("triage", ToWorkerOf::<TaskId>::Resume { more: 0 }, 0.0);
    assert!(r.is_empty() && schedule);
    l.handle_for(
        "triage",
        ToWorkerOf::<TaskId>::SetPace { pace: Pace::Full },
        0.0,
    );
    let (_, resumed) = run_out(&mut l);
    assert_eq!(resumed, uninterrupted);
}

#[test]
fn a_bad_triage_start_is_answered_by_name() {
    let mut l = TrainingLoop::new(crate::envs::trains());
    let (env, message) = as_sent(start("L9", config(Kind::Q, 5, 0), Pace::Full));
    let (r, schedule) = l.handle_for(&env, message, 0.0);
    assert!(!schedule);
    assert!(
        matches!(&r[0], FromWorker::Failed { message } if message.contains("triage") && message.contains("\"L9\"")),
        "{r:?}"
    );
    let mut bad = config(Kind::QLagrangian, 5, 0);
    bad.hyperparameters.cost_budget = -1.0;
    let (r, _) = l.handle_for("triage", start("L1", bad, Pace::Full), 0.0);
    assert!(
        matches!(&r[0], FromWorker::Failed { message } if message.contains("cost_budget")),
        "{r:?}"
    );
    let (r, _) = l.handle_for("mars", start("L1", config(Kind::Q, 5, 0), Pace::Full), 0.0);
    assert!(
        matches!(&r[0], FromWorker::Failed { message } if message.contains("\"mars\"") && message.contains("\"triage\"")),
        "{r:?}"
    );
    assert_eq!(l.env(), None, "nothing runs");
}

#[test]
fn the_sre_gym_trains_the_same_whether_its_level_is_read_typed_or_as_any_value() {
    let mut typed = TrainConfig::<ztgym::Level>::new(Kind::QLagrangian);
    typed.episodes = 400;
    typed.seed = 11;
    typed.level = Some(ztgym::Level::Expert);
    let message = ToWorker::Start {
        scenario: "classic".into(),
        config: typed,
        pace: Pace::Full,
    };
    let text = serde_json::to_string(&Addressed::new("sre", message.clone())).unwrap();
    let sent: Addressed<ToWorkerOf<serde_json::Value>> = serde_json::from_str(&text).unwrap();
    let mut a = TrainingLoop::new(crate::envs::trains());
    a.handle_for("sre", message, 0.0);
    let mut b = TrainingLoop::new(crate::envs::trains());
    b.handle_for(&sent.env, sent.message, 0.0);
    assert_eq!(run_out(&mut a), run_out(&mut b));
}
