//! The worker's loop training the SRE gym (messages without an address are its).

use super::id::ENV;
use crate::learning::training::job::{TrainingLoop, SLOW_START_MS, SLOW_START_POINTS};
use crate::learning::training::protocol::Addressed;
use crate::learning::training::protocol::{FromWorker, Pace, ToWorker};
use ztgym::learn::TrainConfig;
use ztgym::learn::{ChunkReport, Trainer};
use ztgym::Kind;
use ztgym::{Policy, Scenario};

fn start(episodes: u64, pace: Pace) -> ToWorker {
    let mut config = TrainConfig::new(Kind::QLagrangian);
    config.episodes = episodes;
    config.seed = 3;
    ToWorker::Start {
        scenario: "classic".into(),
        config,
        pace,
    }
}

/// A clock that moves `step` ms every time it is read.
fn ticking(step: f64) -> impl FnMut() -> f64 {
    let mut t = 0.0;
    move || {
        t += step;
        t
    }
}

fn policy_of(replies: &[FromWorker]) -> Option<String> {
    replies.iter().find_map(|r| match r {
        FromWorker::Paused { policy, .. } => Some(policy.clone()),
        _ => None,
    })
}

#[test]
fn training_in_slices_gives_the_cli_policy_and_one_point_per_bin() {
    let mut l = TrainingLoop::new(crate::envs::trains());
    assert_eq!(
        l.handle_for(ENV, start(400, Pace::Full), 0.0),
        (vec![], true)
    );
    let mut clock = ticking(7.0);
    let (mut points, mut policy, mut slices) = (Vec::new(), None, 0);
    loop {
        let r = l.work(&mut clock);
        slices += 1;
        for reply in &r.replies {
            if let FromWorker::Progress { points: p, .. } = reply {
                points.extend(p.iter().cloned());
            }
        }
        policy = policy.or(policy_of(&r.replies));
        if r.next_in_ms.is_none() {
            break;
        }
    }
    assert!(
        slices > 1,
        "a 7 ms clock ends a 40 ms slice after a few points"
    );
    assert_eq!(points.len(), 200);
    assert_eq!(points.last().unwrap().episodes_done, 400);
    let mut config = TrainConfig::new(Kind::QLagrangian);
    config.episodes = 400;
    config.seed = 3;
    let mut cli = Trainer::new(Scenario::builtin("classic").unwrap(), config).unwrap();
    cli.run(400);
    assert_eq!(policy.unwrap(), Policy::from_trainer(&cli).to_json());
    assert_eq!(
        l.work(&mut clock).replies,
        vec![],
        "a finished run does no work"
    );
}

#[test]
fn stop_pauses_with_the_policy_so_far_and_resume_goes_on() {
    let mut l = TrainingLoop::new(crate::envs::trains());
    l.handle_for(ENV, start(10_000, Pace::Full), 0.0);
    l.work(&mut ticking(50.0));
    let (replies, schedule) = l.handle_for(ENV, ToWorker::Stop, 100.0);
    assert!(!schedule);
    let Some(FromWorker::Paused {
        finished, policy, ..
    }) = replies.first()
    else {
        panic!("{replies:?}")
    };
    assert!(!finished);
    let stopped = Policy::parse("stopped", policy, Some("classic")).unwrap();
    assert!(stopped.training.episodes > 0 && stopped.training.episodes < 10_000);
    assert_eq!(l.work(&mut ticking(1.0)).next_in_ms, None, "paused");
    assert_eq!(
        l.handle_for(ENV, ToWorker::Stop, 0.0),
        (vec![], false),
        "stop twice"
    );
    assert_eq!(
        l.handle_for(ENV, ToWorker::Resume { more: 0 }, 200.0),
        (vec![], true)
    );
    assert_eq!(l.work(&mut ticking(1.0)).next_in_ms, Some(0.0));
}

#[test]
fn a_finished_run_trains_on_when_resumed_with_more() {
    let mut l = TrainingLoop::new(crate::envs::trains());
    l.handle_for(ENV, start(20, Pace::Full), 0.0);
    assert_eq!(l.work(&mut ticking(1.0)).next_in_ms, None);
    let (replies, schedule) = l.handle_for(ENV, ToWorker::Resume { more: 0 }, 0.0);
    assert!(!schedule && matches!(replies[0], FromWorker::Paused { finished: true, .. }));
    assert_eq!(
        l.handle_for(ENV, ToWorker::Resume { more: 10 }, 0.0),
        (vec![], true)
    );
    let r = l.work(&mut ticking(1.0));
    let policy = Policy::parse("more", &policy_of(&r.replies).unwrap(), None).unwrap();
    assert_eq!(policy.training.episodes, 30);
}

#[test]
fn watching_trains_one_point_per_slice_at_the_chosen_rate() {
    let mut l = TrainingLoop::new(crate::envs::trains());
    l.handle_for(ENV, start(2000, Pace::Watch(100)), 0.0);
    let r = l.work(&mut ticking(1.0));
    let FromWorker::Progress { points, .. } = &r.replies[0] else {
        panic!()
    };
    assert_eq!(points.len(), 1);
    assert_eq!(points[0].episodes_run, 10);
    assert_eq!(r.next_in_ms, Some(100.0), "10 episodes at 100 per second");
    l.handle_for(ENV, ToWorker::SetPace { pace: Pace::Full }, 0.0);
    assert_eq!(l.work(&mut ticking(1.0)).next_in_ms, Some(0.0));
}

/// A run's replies, gathered: per slice, the points sent and the delay asked after it;
/// every point; the policy at the end.
struct RunOut {
    slices: Vec<(usize, Option<f64>)>,
    points: Vec<ChunkReport>,
    policy: String,
}

/// Runs `l` to the end.
fn run_out(l: &mut TrainingLoop) -> RunOut {
    let (mut slices, mut points, mut policy) = (Vec::new(), Vec::new(), None);
    let mut clock = ticking(7.0);
    loop {
        let r = l.work(&mut clock);
        for reply in &r.replies {
            if let FromWorker::Progress { points: p, .. } = reply {
                slices.push((p.len(), r.next_in_ms));
                points.extend(p.iter().cloned());
            }
        }
        policy = policy.or(policy_of(&r.replies));
        if r.next_in_ms.is_none() {
            return RunOut {
                slices,
                points,
                policy: policy.unwrap(),
            };
        }
    }
}

#[test]
fn a_slow_start_spreads_the_first_points_then_goes_full_speed_and_learns_the_same() {
    let mut slow = TrainingLoop::new(crate::envs::trains());
    slow.handle_for(ENV, start(2000, Pace::SlowStart), 0.0);
    let RunOut {
        slices,
        points: slow_points,
        policy: slow_policy,
    } = run_out(&mut slow);
    let first = &slices[..SLOW_START_POINTS as usize];
    let delay = SLOW_START_MS / SLOW_START_POINTS as f64;
    assert!(
        first.iter().all(|&(n, next)| n == 1 && next == Some(delay)),
        "{first:?}"
    );
    assert!(
        (delay * SLOW_START_POINTS as f64 - SLOW_START_MS).abs() < 1e-9,
        "the first points spread over the slow start's time"
    );
    let rest = &slices[SLOW_START_POINTS as usize..];
    assert!(
        rest[0].0 > 1,
        "then full speed: several points a slice ({rest:?})"
    );
    assert!(rest
        .iter()
        .all(|&(_, next)| next.is_none_or(|ms| ms == 0.0)));

    let mut full = TrainingLoop::new(crate::envs::trains());
    full.handle_for(ENV, start(2000, Pace::Full), 0.0);
    let RunOut {
        points: full_points,
        policy: full_policy,
        ..
    } = run_out(&mut full);
    assert_eq!(
        slow_policy, full_policy,
        "pacing never changes what is learned"
    );
    assert_eq!(slow_points, full_points, "nor the curves");
}

#[test]
fn a_change_of_pace_ends_the_slow_start() {
    let mut l = TrainingLoop::new(crate::envs::trains());
    l.handle_for(ENV, start(2000, Pace::SlowStart), 0.0);
    assert_eq!(l.work(&mut ticking(1.0)).next_in_ms, Some(100.0));
    l.handle_for(ENV, ToWorker::SetPace { pace: Pace::Full }, 0.0);
    assert_eq!(l.work(&mut ticking(1.0)).next_in_ms, Some(0.0));
}

#[test]
fn bad_requests_are_answered_not_fatal() {
    let mut l = TrainingLoop::new(crate::envs::trains());
    let (r, _) = l.handle_for(ENV, ToWorker::Resume { more: 5 }, 0.0);
    assert!(
        matches!(&r[0], FromWorker::Failed { message } if message.contains("nothing to resume"))
    );
    let mut config = TrainConfig::new(Kind::Q);
    config.hyperparameters.alpha = 2.0;
    let (r, schedule) = l.handle_for(
        ENV,
        ToWorker::Start {
            scenario: "classic".into(),
            config,
            pace: Pace::Full,
        },
        0.0,
    );
    assert!(!schedule);
    assert!(matches!(&r[0], FromWorker::Failed { message } if message.contains("alpha")));
    let (r, _) = l.handle_for(
        ENV,
        ToWorker::Start {
            scenario: "mars".into(),
            config: TrainConfig::new(Kind::Q),
            pace: Pace::Full,
        },
        0.0,
    );
    assert!(matches!(&r[0], FromWorker::Failed { message } if message.contains("mars")));
    let round = ToWorker::from_json(&start(5, Pace::Watch(3)).to_json()).unwrap();
    assert_eq!(round, start(5, Pace::Watch(3)));
    assert!(ToWorker::from_json("{\"type\":\"fly\"}").is_err());
}

#[test]
fn messages_for_another_environment_are_answered_not_carried_out() {
    let mut l = TrainingLoop::new(crate::envs::trains());
    let (r, schedule) = l.handle_for("triage", start(5, Pace::Full), 0.0);
    assert!(!schedule);
    assert!(
        matches!(&r[0], FromWorker::Failed { message } if message.contains("triage")),
        "{r:?}"
    );
    assert_eq!(
        l.handle_for("sre", start(5, Pace::Full), 0.0),
        (vec![], true)
    );
}

#[test]
fn addressed_messages_round_trip() {
    let sent = Addressed::new("sre", start(5, Pace::Watch(3)));
    let text = serde_json::to_string(&sent).unwrap();
    assert!(text.starts_with("{\"env\":\"sre\","), "{text}");
    assert_eq!(
        serde_json::from_str::<Addressed<ToWorker>>(&text).unwrap(),
        sent
    );
}
