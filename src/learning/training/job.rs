//! What the training worker does, without the worker: take messages, train in time slices,
//! say what to post back. Plain Rust with the clock passed in, so it is tested natively.

use super::protocol::{FromWorker, Pace, ToWorker, ToWorkerOf};
use super::trainers::{self, Learner};
use serde::Serialize;
use ztgym::learn::ChunkReport;
// What the SRE gym's tests below check the worker's runs against: the CLI's trainer and files.
#[cfg(test)]
use ztgym::{learn::Trainer, Policy, Scenario};

/// Wall time of one slice of training at full pace: short enough that a Stop is heard
/// quickly and the curves move smoothly, long enough that yielding costs little.
pub const SLICE_MS: f64 = 40.0;

/// A slow start's first curve points, sent one per slice ([`Pace::SlowStart`])...
pub const SLOW_START_POINTS: u64 = 20;

/// ...over about this many milliseconds.
pub const SLOW_START_MS: f64 = 2000.0;

/// Curve points a run aims for; the episodes per point follow from the run's length.
const POINTS: u64 = 200;

/// The worker's state: at most one run, running or paused.
#[derive(Default)]
pub struct TrainingLoop {
    run: Option<Run>,
}

struct Run {
    /// The environment trained: its page's id, which the replies are addressed to.
    env: String,
    trainer: Box<dyn Learner>,
    /// Episodes per curve point, fixed for the run so points stay comparable.
    per_point: u64,
    pace: Pace,
    /// Curve points still to send one at a time, at the start of a slow-start run.
    slow_points_left: u64,
    running: bool,
    /// Wall clock and episodes at the last start or resume, for the speed.
    since_ms: f64,
    since_episodes: u64,
}

/// What a slice of work asks of the worker.
#[derive(Debug, PartialEq)]
pub struct SliceResult {
    /// Messages to post to the page, in order.
    pub replies: Vec<FromWorker>,
    /// Milliseconds to wait before the next slice; `None` when training is paused.
    pub next_in_ms: Option<f64>,
}

/// Episodes per curve point for a run of `episodes`.
pub fn episodes_per_point(episodes: u64) -> u64 {
    (episodes / POINTS).clamp(1, 1000)
}

impl TrainingLoop {
    /// The environment of the run, if there is one: the worker's replies are about it.
    pub fn env(&self) -> Option<&str> {
        self.run.as_ref().map(|r| r.env.as_str())
    }

    /// Carries out a message from the page addressed to `env` (one of [`trainers::ENVS`]),
    /// whose level type is `L`. A message about another environment than the run's finds no
    /// run; a start for an environment the worker does not train is answered, not carried out.
    /// Returns the replies and whether slices of work should now be scheduled.
    pub fn handle_for<L: Serialize>(
        &mut self,
        env: &str,
        message: ToWorkerOf<L>,
        now_ms: f64,
    ) -> (Vec<FromWorker>, bool) {
        let run = self.run.as_mut().filter(|r| r.env == env);
        match message {
            ToWorkerOf::Start {
                scenario,
                config,
                pace,
            } => {
                self.run = None;
                let trainer = serde_json::to_value(&config)
                    .map_err(|e| format!("the training settings do not read: {e}"))
                    .and_then(|config| trainers::start(env, &scenario, &config));
                match trainer {
                    Ok(trainer) => {
                        let per_point = episodes_per_point(trainer.episodes_total());
                        self.run = Some(Run {
                            env: env.to_string(),
                            trainer,
                            per_point,
                            pace,
                            slow_points_left: if pace == Pace::SlowStart {
                                SLOW_START_POINTS
                            } else {
                                0
                            },
                            running: true,
                            since_ms: now_ms,
                            since_episodes: 0,
                        });
                        (Vec::new(), true)
                    }
                    Err(message) => (vec![FromWorker::Failed { message }], false),
                }
            }
            ToWorkerOf::Stop => match run {
                Some(run) if run.running => {
                    run.running = false;
                    (vec![run.paused()], false)
                }
                _ => (Vec::new(), false),
            },
            ToWorkerOf::Resume { more } => match run {
                Some(run) => {
                    run.trainer.extend(more);
                    if run.trainer.is_finished() {
                        return (vec![run.paused()], false);
                    }
                    let was_running = run.running;
                    run.running = true;
                    run.since_ms = now_ms;
                    run.since_episodes = run.trainer.episodes_done();
                    (Vec::new(), !was_running)
                }
                None => (
                    vec![FromWorker::Failed {
                        message: "nothing to resume: start a training run first".into(),
                    }],
                    false,
                ),
            },
            ToWorkerOf::SetPace { pace } => {
                if let Some(run) = run {
                    run.pace = pace;
                    // A slow start belongs to the start of a run: a change of pace ends it.
                    run.slow_points_left = 0;
                }
                (Vec::new(), false)
            }
        }
    }

    /// Carries out a message from the page about the SRE gym. Returns the replies and whether
    /// slices of work should now be scheduled.
    pub fn handle(&mut self, message: ToWorker, now_ms: f64) -> (Vec<FromWorker>, bool) {
        self.handle_for(crate::envs::sre::ENV, message, now_ms)
    }

    /// Trains one slice: at full pace until `SLICE_MS` have passed on `clock`, when watching
    /// one curve point. Reports the points, and the policy once every episode is trained.
    pub fn work(&mut self, clock: &mut dyn FnMut() -> f64) -> SliceResult {
        let Some(run) = self.run.as_mut().filter(|r| r.running) else {
            return SliceResult {
                replies: Vec::new(),
                next_in_ms: None,
            };
        };
        let start = clock();
        let mut points: Vec<ChunkReport> = Vec::new();
        let slow = run.slow_points_left > 0;
        loop {
            points.push(run.trainer.run(run.per_point));
            if run.trainer.is_finished() || slow || matches!(run.pace, Pace::Watch(_)) {
                break;
            }
            if clock() - start >= SLICE_MS {
                break;
            }
        }
        let now = clock();
        let trained = run.trainer.episodes_done() - run.since_episodes;
        let seconds = ((now - run.since_ms) / 1000.0).max(1e-3);
        let mut replies = vec![FromWorker::Progress {
            points,
            metrics: run.trainer.metrics(),
            episodes_per_second: trained as f64 / seconds,
        }];
        let next_in_ms = if run.trainer.is_finished() {
            run.running = false;
            replies.push(run.paused());
            None
        } else {
            Some(match run.pace {
                _ if slow => {
                    run.slow_points_left -= 1;
                    SLOW_START_MS / SLOW_START_POINTS as f64
                }
                Pace::Full | Pace::SlowStart => 0.0,
                Pace::Watch(rate) => run.per_point as f64 * 1000.0 / f64::from(rate.max(1)),
            })
        };
        SliceResult {
            replies,
            next_in_ms,
        }
    }
}

impl Run {
    fn paused(&self) -> FromWorker {
        FromWorker::Paused {
            finished: self.trainer.is_finished(),
            policy: self.trainer.policy_file(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::learning::training::protocol::Addressed;
    use ztgym::learn::TrainConfig;
    use ztgym::Kind;

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
        let mut l = TrainingLoop::default();
        assert_eq!(l.handle(start(400, Pace::Full), 0.0), (vec![], true));
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
        let mut l = TrainingLoop::default();
        l.handle(start(10_000, Pace::Full), 0.0);
        l.work(&mut ticking(50.0));
        let (replies, schedule) = l.handle(ToWorker::Stop, 100.0);
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
        assert_eq!(l.handle(ToWorker::Stop, 0.0), (vec![], false), "stop twice");
        assert_eq!(
            l.handle(ToWorker::Resume { more: 0 }, 200.0),
            (vec![], true)
        );
        assert_eq!(l.work(&mut ticking(1.0)).next_in_ms, Some(0.0));
    }

    #[test]
    fn a_finished_run_trains_on_when_resumed_with_more() {
        let mut l = TrainingLoop::default();
        l.handle(start(20, Pace::Full), 0.0);
        assert_eq!(l.work(&mut ticking(1.0)).next_in_ms, None);
        let (replies, schedule) = l.handle(ToWorker::Resume { more: 0 }, 0.0);
        assert!(!schedule && matches!(replies[0], FromWorker::Paused { finished: true, .. }));
        assert_eq!(l.handle(ToWorker::Resume { more: 10 }, 0.0), (vec![], true));
        let r = l.work(&mut ticking(1.0));
        let policy = Policy::parse("more", &policy_of(&r.replies).unwrap(), None).unwrap();
        assert_eq!(policy.training.episodes, 30);
    }

    #[test]
    fn watching_trains_one_point_per_slice_at_the_chosen_rate() {
        let mut l = TrainingLoop::default();
        l.handle(start(2000, Pace::Watch(100)), 0.0);
        let r = l.work(&mut ticking(1.0));
        let FromWorker::Progress { points, .. } = &r.replies[0] else {
            panic!()
        };
        assert_eq!(points.len(), 1);
        assert_eq!(points[0].episodes_run, 10);
        assert_eq!(r.next_in_ms, Some(100.0), "10 episodes at 100 per second");
        l.handle(ToWorker::SetPace { pace: Pace::Full }, 0.0);
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
        let mut slow = TrainingLoop::default();
        slow.handle(start(2000, Pace::SlowStart), 0.0);
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

        let mut full = TrainingLoop::default();
        full.handle(start(2000, Pace::Full), 0.0);
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
        let mut l = TrainingLoop::default();
        l.handle(start(2000, Pace::SlowStart), 0.0);
        assert_eq!(l.work(&mut ticking(1.0)).next_in_ms, Some(100.0));
        l.handle(ToWorker::SetPace { pace: Pace::Full }, 0.0);
        assert_eq!(l.work(&mut ticking(1.0)).next_in_ms, Some(0.0));
    }

    #[test]
    fn bad_requests_are_answered_not_fatal() {
        let mut l = TrainingLoop::default();
        let (r, _) = l.handle(ToWorker::Resume { more: 5 }, 0.0);
        assert!(
            matches!(&r[0], FromWorker::Failed { message } if message.contains("nothing to resume"))
        );
        let mut config = TrainConfig::new(Kind::Q);
        config.hyperparameters.alpha = 2.0;
        let (r, schedule) = l.handle(
            ToWorker::Start {
                scenario: "classic".into(),
                config,
                pace: Pace::Full,
            },
            0.0,
        );
        assert!(!schedule);
        assert!(matches!(&r[0], FromWorker::Failed { message } if message.contains("alpha")));
        let (r, _) = l.handle(
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
        let mut l = TrainingLoop::default();
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
}

/// The worker's loop training message triage: the same messages, addressed to `triage`, with a
/// task for the scenario and the task as the level.
#[cfg(test)]
mod triage_tests {
    use super::*;
    use crate::learning::training::protocol::Addressed;
    use ztgym::core::learn::{Kind, TrainConfig, Trainer};
    use ztgym::core::policy::Policy;
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

    /// Runs to the end: every curve point and the policy file.
    fn run_out(l: &mut TrainingLoop) -> (Vec<ChunkReport>, String) {
        let (mut points, mut clock) = (Vec::new(), ticking(7.0));
        loop {
            let r = l.work(&mut clock);
            for reply in r.replies {
                match reply {
                    FromWorker::Progress { points: p, .. } => points.extend(p),
                    FromWorker::Paused { policy, .. } => return (points, policy),
                    other => panic!("{other:?}"),
                }
            }
            assert!(r.next_in_ms.is_some(), "the run ended without its policy");
        }
    }

    #[test]
    fn a_triage_run_writes_the_policy_file_the_cli_writes() {
        for kind in Kind::ALL {
            let mut l = TrainingLoop::default();
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
        let mut l = TrainingLoop::default();
        let (env, message) = as_sent(start(
            "basic_security",
            config(Kind::QLagrangian, 2000, 0),
            Pace::Full,
        ));
        l.handle_for(&env, message, 0.0);
        let (points, _) = run_out(&mut l);
        assert_eq!(points.len(), 200, "one point per 10 episodes");
        let mean =
            |p: &[ChunkReport]| p.iter().map(|p| p.mean_return).sum::<f64>() / p.len() as f64;
        let (first, last) = (mean(&points[..20]), mean(&points[180..]));
        assert!(
            last > first,
            "the return rises as it learns: {first:.2} then {last:.2}"
        );
        assert!(points.iter().all(|p| p.lambda.is_some()));
    }

    #[test]
    fn stop_and_resume_learn_what_one_run_learns_and_other_environments_find_no_run() {
        let mut whole = TrainingLoop::default();
        let (env, message) = as_sent(start("L2", config(Kind::Q, 300, 9), Pace::Full));
        whole.handle_for(&env, message, 0.0);
        let (_, uninterrupted) = run_out(&mut whole);

        let mut l = TrainingLoop::default();
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
        let mut l = TrainingLoop::default();
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
        let mut a = TrainingLoop::default();
        a.handle(message, 0.0);
        let mut b = TrainingLoop::default();
        b.handle_for(&sent.env, sent.message, 0.0);
        assert_eq!(run_out(&mut a), run_out(&mut b));
    }
}

/// The worker's loop training the hardening loop: addressed to `harden`, a built-in scenario,
/// the stage as the level; the adapter is the scenario's action set's, as the CLI picks it.
#[cfg(test)]
mod harden_tests {
    use super::*;
    use crate::learning::adapters::with_harden_adapter;
    use crate::learning::training::protocol::Addressed;
    use ztgym::core::learn::{Kind, TrainConfig, Trainer};
    use ztgym::core::policy::Policy;
    use ztgym::harden::adapter::for_scenario;
    use ztgym::harden::{Scenario, Stage};

    fn config(kind: Kind, episodes: u64, seed: u64, stage: Stage) -> TrainConfig<Stage> {
        let mut config = TrainConfig::new(kind);
        config.episodes = episodes;
        config.seed = seed;
        config.level = Some(stage);
        config
    }

    /// As the worker gets it: JSON text, the level read as any value.
    fn as_sent(
        scenario: &str,
        config: TrainConfig<Stage>,
    ) -> (String, ToWorkerOf<serde_json::Value>) {
        let message = ToWorkerOf::Start {
            scenario: scenario.into(),
            config,
            pace: Pace::Full,
        };
        let text = serde_json::to_string(&Addressed::new("harden", message)).unwrap();
        let Addressed { env, message } = serde_json::from_str(&text).unwrap();
        (env, message)
    }

    fn run_out(l: &mut TrainingLoop) -> (Vec<ChunkReport>, String) {
        let (mut points, mut t) = (Vec::new(), 0.0);
        let mut clock = move || {
            t += 7.0;
            t
        };
        loop {
            let r = l.work(&mut clock);
            for reply in r.replies {
                match reply {
                    FromWorker::Progress { points: p, .. } => points.extend(p),
                    FromWorker::Paused { policy, .. } => return (points, policy),
                    other => panic!("{other:?}"),
                }
            }
            assert!(r.next_in_ms.is_some(), "the run ended without its policy");
        }
    }

    /// `ztgym train --env harden --scenario S --agent K --episodes N --seed SEED --level STAGE`
    /// (crates/ztgym-cli/src/harden.rs: the adapter of the scenario's action set, 50 episodes
    /// a chunk): the policy file's text.
    fn cli_file(scenario: &str, config: TrainConfig<Stage>) -> String {
        let scenario = Scenario::load(scenario).unwrap();
        with_harden_adapter!(for_scenario(&scenario), A => {
            let mut trainer = Trainer::<A>::new(scenario, config).unwrap();
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
            let mut l = TrainingLoop::default();
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
        let mut l = TrainingLoop::default();
        let (env, message) = as_sent("seed001", config(Kind::QLagrangian, 200, 0, Stage::Sandbox));
        l.handle_for(&env, message, 0.0);
        let (points, _) = run_out(&mut l);
        assert_eq!(points.len(), 200, "one point per episode");
        assert!(points.iter().all(|p| p.lambda.is_some()));
        assert!(points.iter().all(|p| p.mean_return.is_finite()));
    }

    #[test]
    fn a_bad_harden_start_is_answered_by_name() {
        let mut l = TrainingLoop::default();
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
}
