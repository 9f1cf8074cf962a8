//! The page's handle on the training worker: the form's values, the run's status and curves
//! as signals, and the messages to and from the worker. The worker is started on the first
//! Train, so a visit that never trains never downloads it.

use super::protocol::{Addressed, FromWorker, Pace, ToWorkerOf};
use crate::learning::host::LearningHost;
use crate::learning::hyper_form::{problems, Typed};
use crate::learning::policy_store::LoadedPolicyOf;
use crate::play::clock::now_ms;
use crate::shell::notices::Notices;
use crate::shell::worker::{crash_reason, LazyWorker, WorkerHandle};
use gloo_timers::callback::Timeout;
use leptos::prelude::*;
use wasm_bindgen::JsValue;
use ztgym::core::learn::TrainConfig;
use ztgym::learn::trainer::WINDOW;
use ztgym::learn::{ChunkReport, Hyperparameters};
use ztgym::Kind;

/// The worker's loader script, made by trunk next to index.html (index.html, `data-bin`).
pub const WORKER_URL: &str = "./ztgym-train-worker_loader.js";

/// The training compliance the page times itself to (the README's benchmark).
pub const COMPLIANCE_GOAL: f64 = 0.95;

/// Where a training run is.
#[derive(Clone, Debug, PartialEq)]
pub enum Status {
    /// Nothing trained yet in this tab.
    Idle,
    /// Waiting for the worker to load.
    Loading,
    Running,
    /// Stopped by the person; can resume.
    Paused,
    /// Every episode trained; can train more.
    Finished,
    Failed(String),
}

/// The Train panel's state, shared through context. All fields are cheap handles.
#[derive(Clone, Copy)]
pub struct Training {
    worker: LazyWorker,
    pub kind: RwSignal<Kind>,
    pub episodes: RwSignal<u64>,
    pub seed: RwSignal<u64>,
    pub hyperparameters: RwSignal<Hyperparameters>,
    /// Texts typed in the hyperparameter fields since the last reset, and their problems.
    pub typed: RwSignal<Typed>,
    pub pace: RwSignal<Pace>,
    pub status: RwSignal<Status>,
    /// One point per fixed number of episodes, since the last Train.
    pub points: RwSignal<Vec<ChunkReport>>,
    /// Episodes to train in all in the current run.
    pub total: RwSignal<u64>,
    pub episodes_per_second: RwSignal<f64>,
    /// Seconds from Train to a training compliance of at least [`COMPLIANCE_GOAL`] over
    /// the last 100 episodes, and the episodes it took.
    pub time_to_goal: RwSignal<Option<(f64, u64)>>,
    started_ms: StoredValue<f64>,
    /// The environment the run is of, and who takes its policy.
    receiver: StoredValue<Option<Receiver>>,
    notices: Notices,
}

/// The environment a run is of: its id (the worker's replies are about it), and how its
/// trained policy's file is handed to its page. Its type erased, so the client is one copy
/// for every environment (and hardening action set).
#[derive(Clone, Copy)]
struct Receiver {
    env: &'static str,
    hand_over: Callback<String, Result<(), String>>,
}

impl Receiver {
    fn of<H: LearningHost>(host: H) -> Receiver {
        Receiver {
            env: H::ENV,
            hand_over: Callback::new(move |policy: String| {
                let loaded = LoadedPolicyOf::<H::Adapter>::trained(policy)?;
                // The handover runs in a task of its own, after this message's: on a cold
                // page, parsing the policy and redrawing the panels for it are each tens of
                // ms.
                Timeout::new(0, move || host.offer_trained(loaded)).forget();
                Ok(())
            }),
        }
    }
}

impl Training {
    pub fn new(notices: Notices) -> Training {
        let kind = Kind::QLagrangian;
        Training {
            worker: LazyWorker::default(),
            kind: RwSignal::new(kind),
            episodes: RwSignal::new(TrainConfig::<()>::DEFAULT_EPISODES),
            seed: RwSignal::new(0),
            hyperparameters: RwSignal::new(Hyperparameters::defaults(kind)),
            typed: RwSignal::new(Typed::new()),
            pace: RwSignal::new(Pace::SlowStart),
            status: RwSignal::new(Status::Idle),
            points: RwSignal::new(Vec::new()),
            total: RwSignal::new(0),
            episodes_per_second: RwSignal::new(0.0),
            time_to_goal: RwSignal::new(None),
            started_ms: StoredValue::new(0.0),
            receiver: StoredValue::new(None),
            notices,
        }
    }

    /// Chooses the learner, with its default hyperparameters.
    pub fn set_kind(&self, kind: Kind) {
        self.kind.set(kind);
        self.typed.set(Typed::new());
        self.hyperparameters.set(Hyperparameters::defaults(kind));
    }

    /// What is wrong with the form's hyperparameters, field by field (empty: Train may run).
    pub fn problems(&self) -> Vec<(&'static str, String)> {
        let kind = self.kind.get();
        self.typed
            .with(|typed| self.hyperparameters.with(|h| problems(kind, h, typed)))
    }

    /// Whether a run is under way (loading or training).
    pub fn busy(&self) -> bool {
        matches!(self.status.get(), Status::Loading | Status::Running)
    }

    /// Trains a new policy on the scenario (or task) and level on screen.
    pub fn train<H: LearningHost>(&self, host: H) {
        let (scenario, level) = host.training_ground();
        let level = level.map(|l| serde_json::to_value(l).expect("levels serialize"));
        self.start(Receiver::of(host), scenario, level);
    }

    /// Trains a new policy on `scenario` at `level` (as JSON: the worker reads it as the
    /// environment's) for `receiver`.
    fn start(&self, receiver: Receiver, scenario: String, level: Option<serde_json::Value>) {
        let hyperparameters = self.hyperparameters.get_untracked();
        let kind = self.kind.get_untracked();
        let problems: Vec<String> = self
            .typed
            .with_untracked(|typed| problems(kind, &hyperparameters, typed))
            .into_iter()
            .map(|(field, p)| format!("{field} {p}"))
            .collect();
        if !problems.is_empty() {
            self.notices
                .error(format!("Training not started: {}.", problems.join("; ")));
            return;
        }
        self.receiver.set_value(Some(receiver));
        let config = TrainConfig::<serde_json::Value> {
            kind,
            episodes: self.episodes.get_untracked(),
            seed: self.seed.get_untracked(),
            level,
            hyperparameters,
        };
        self.points.set(Vec::new());
        self.total.set(config.episodes);
        self.episodes_per_second.set(0.0);
        self.time_to_goal.set(None);
        self.started_ms.set_value(now_ms());
        self.send(ToWorkerOf::Start {
            scenario,
            config,
            pace: self.pace.get_untracked(),
        });
    }

    /// Pauses the run; the worker sends the policy so far.
    pub fn stop(&self) {
        self.send(ToWorkerOf::Stop);
    }

    /// Goes on after a stop, or trains `more` episodes after finishing.
    pub fn resume(&self, more: u64) {
        self.total.update(|t| *t += more);
        self.send(ToWorkerOf::Resume { more });
    }

    /// Changes the pace, also of a run under way.
    pub fn set_pace(&self, pace: Pace) {
        self.pace.set(pace);
        if self.worker.started() {
            self.send(ToWorkerOf::SetPace { pace });
        }
    }

    /// Posts `message` about the run's environment (none yet: nothing to send), starting the
    /// worker if a start or a resume needs it.
    fn send(&self, message: ToWorkerOf<serde_json::Value>) {
        let Some(receiver) = self.receiver.get_value() else {
            return;
        };
        let starts = matches!(
            message,
            ToWorkerOf::Start { .. } | ToWorkerOf::Resume { .. }
        );
        let text = serde_json::to_string(&Addressed::new(receiver.env, message))
            .expect("messages always serialize");
        if self.worker.post(&text) {
            if starts {
                self.status.set(Status::Running);
            }
            return;
        }
        if !starts {
            // A Stop while the worker loads: forget the run it would have started.
            if self.worker.forget_pending() {
                self.status.set(Status::Idle);
            }
            return;
        }
        match self.worker.post_when_ready(text, || self.spawn()) {
            Ok(()) => self.status.set(Status::Loading),
            Err(e) => self.fail(e),
        }
    }

    fn spawn(&self) -> Result<WorkerHandle, String> {
        let this = *self;
        let on_message = move |data: JsValue| {
            let env = this.receiver.get_value().map_or("", |r| r.env);
            match Addressed::<FromWorker>::from_js(&data) {
                // An empty env: the worker's Ready, or its answer to a message it could not read.
                Ok(reply) if reply.env == env || reply.env.is_empty() => {
                    this.receive(reply.message)
                }
                Ok(reply) => this.fail(format!(
                    "a reply about environment {:?}, not {:?}",
                    reply.env, env
                )),
                Err(e) => this.fail(e),
            }
        };
        // A crashed worker is dropped, and the next Train starts a fresh one.
        let on_crash = move |message: String| {
            this.worker.crashed();
            let reason = crash_reason(message, WORKER_URL);
            this.fail(format!("the training worker stopped: {reason}"));
        };
        WorkerHandle::start(WORKER_URL, "training", on_message, on_crash)
    }

    fn receive(&self, reply: FromWorker) {
        match reply {
            FromWorker::Ready => {
                // Only a Start or a Resume waits for the worker.
                if self.worker.ready() {
                    self.status.set(Status::Running);
                }
            }
            FromWorker::Progress {
                points,
                metrics,
                episodes_per_second,
            } => {
                if self.time_to_goal.get_untracked().is_none()
                    && metrics.window == WINDOW
                    && metrics.compliance_rate >= COMPLIANCE_GOAL
                {
                    let seconds = (now_ms() - self.started_ms.get_value()) / 1000.0;
                    self.time_to_goal.set(Some((seconds, metrics.episodes)));
                }
                if let Some(last) = points.last() {
                    self.total.set(last.episodes_total);
                }
                self.points.update(|p| p.extend(points));
                self.episodes_per_second.set(episodes_per_second);
            }
            FromWorker::Paused {
                finished, policy, ..
            } => {
                self.status.set(if finished {
                    Status::Finished
                } else {
                    Status::Paused
                });
                let handed = match self.receiver.get_value() {
                    Some(r) => r.hand_over.run(policy),
                    None => Err("a policy for no environment".to_string()),
                };
                if let Err(e) = handed {
                    self.fail(e);
                }
            }
            FromWorker::Failed { message } => self.fail(message),
        }
    }

    fn fail(&self, message: String) {
        self.status.set(Status::Failed(message.clone()));
        self.notices.error(format!("Training: {message}"));
    }

    /// Seconds left at the current speed, once it is known.
    pub fn seconds_left(&self) -> Option<f64> {
        let rate = self.episodes_per_second.get();
        let done = self
            .points
            .with(|p| p.last().map_or(0, |p| p.episodes_done));
        (rate > 0.0).then(|| self.total.get().saturating_sub(done) as f64 / rate)
    }
}
