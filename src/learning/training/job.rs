//! What the training worker does, without the worker: take messages, train in time slices,
//! say what to post back. Plain Rust with the clock passed in, so it is tested natively.

use super::protocol::{FromWorker, Pace, ToWorkerOf};
use super::trainers::{self, Learner, Trains};
use serde::Serialize;
use ztgym::learn::ChunkReport;

/// Wall time of one slice of training at full pace: short enough that a Stop is heard
/// quickly and the curves move smoothly, long enough that yielding costs little.
pub const SLICE_MS: f64 = 40.0;

/// A slow start's first curve points, sent one per slice ([`Pace::SlowStart`])...
pub const SLOW_START_POINTS: u64 = 20;

/// ...over about this many milliseconds.
pub const SLOW_START_MS: f64 = 2000.0;

/// Curve points a run aims for; the episodes per point follow from the run's length.
const POINTS: u64 = 200;

/// The worker's state: the environments it trains, and at most one run, running or paused.
pub struct TrainingLoop {
    trains: Vec<Trains>,
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
    /// A worker that trains the environments of `trains`, with no run yet.
    pub fn new(trains: Vec<Trains>) -> TrainingLoop {
        TrainingLoop { trains, run: None }
    }

    /// The environment of the run, if there is one: the worker's replies are about it.
    pub fn env(&self) -> Option<&str> {
        self.run.as_ref().map(|r| r.env.as_str())
    }

    /// Carries out a message from the page addressed to `env` (one it trains),
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
                    .and_then(|config| trainers::start(&self.trains, env, &scenario, &config));
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

/// Runs the worker's run to the end on a clock of 7 ms a reading: every curve point and the
/// policy file (for the environments' tests of the worker).
#[cfg(test)]
pub fn run_out(l: &mut TrainingLoop) -> (Vec<ChunkReport>, String) {
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
