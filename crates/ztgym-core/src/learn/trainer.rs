//! The training loop, driven in chunks: `run(n)` trains up to `n` more episodes and reports
//! on them, so a page can train a few episodes per frame or per worker message, show the
//! curves, stop, save the [`TrainerState`] as JSON and resume later with the same result as an
//! uninterrupted run.

use super::adapter::{self, allowed, Adapter};
use super::model::{Model, Params, Shape};
use super::q::Next;
use super::{bandit, lagrangian, mix, q, quantize, Hyperparameters, Kind};
use crate::env::Environment;
use crate::rng::Rng;
use serde::{Deserialize, Serialize};

/// Training episodes the final metrics average over.
pub const WINDOW: usize = 100;

/// Salts that keep the environment's and the explorer's seed streams apart.
const ENV_SALT: u64 = 0x7A67_796D_0000_0E11;
const EXPLORE_SALT: u64 = 0x7A67_796D_0000_E5E1;

/// What to train; `L` is the environment's level type ([`Adapter::Level`]).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TrainConfig<L> {
    /// The learner.
    pub kind: Kind,
    /// Episodes to train in all.
    pub episodes: u64,
    /// Seeds the episodes and the exploration; the same seed gives the same policy.
    pub seed: u64,
    /// The level episodes are played at; the scenario's default when absent.
    pub level: Option<L>,
    /// The learner's hyperparameters.
    pub hyperparameters: Hyperparameters,
}

impl<L> TrainConfig<L> {
    /// Episodes trained when none are asked for: enough for tabular Q and the Lagrangian
    /// learner to settle on `classic` and `enterprise` (see docs/src/environments/sre.md,
    /// Results).
    pub const DEFAULT_EPISODES: u64 = 2000;

    /// A kind's defaults with seed 0 at the scenario's default level.
    pub fn new(kind: Kind) -> TrainConfig<L> {
        TrainConfig {
            kind,
            episodes: Self::DEFAULT_EPISODES,
            seed: 0,
            level: None,
            hyperparameters: Hyperparameters::defaults(kind),
        }
    }
}

/// One training episode's figures.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EpisodeStats {
    /// The episode's return.
    pub episode_return: f64,
    /// Rules broken (the environment's cost).
    pub cost: f64,
    /// Every threat contained by the book.
    pub success: bool,
    /// Steps played.
    pub steps: u32,
}

/// Averages over the last [`WINDOW`] training episodes (with exploration on).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TrainingMetrics {
    /// Episodes trained so far.
    pub episodes: u64,
    /// Episodes averaged over.
    pub window: usize,
    /// Mean return per episode.
    pub mean_return: f64,
    /// Mean cost per episode.
    pub mean_cost: f64,
    /// Share of episodes with total cost 0.
    pub compliance_rate: f64,
    /// Share of episodes where every threat was contained by the book.
    pub success_rate: f64,
    /// The Lagrange multiplier (Lagrangian learner only).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub lambda: Option<f64>,
    /// The exploration rate of the next episode.
    pub epsilon: f64,
}

/// What one call to [`Trainer::run`] did: the figures of the episodes it ran, for a curve.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ChunkReport {
    /// Episodes run by this call.
    pub episodes_run: u64,
    /// Episodes trained so far, and in all.
    pub episodes_done: u64,
    /// Episodes to train in all.
    pub episodes_total: u64,
    /// Mean return per episode of the chunk.
    pub mean_return: f64,
    /// Mean cost per episode.
    pub mean_cost: f64,
    /// Share of episodes with cost 0.
    pub compliance_rate: f64,
    /// Share of successful episodes.
    pub success_rate: f64,
    /// Mean steps per episode.
    pub mean_steps: f64,
    /// The multiplier after the chunk (Lagrangian learner only).
    pub lambda: Option<f64>,
    /// The exploration rate of the chunk's last episode.
    pub epsilon: f64,
    /// Every configured episode has been trained.
    pub finished: bool,
}

/// Everything needed to resume training: plain data, serializable as JSON.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TrainerState<L> {
    /// The scenario's name, checked on resume.
    pub scenario: String,
    /// What is being trained.
    pub config: TrainConfig<L>,
    /// Episodes trained so far.
    pub episodes_done: u64,
    /// The model as trained so far.
    pub model: Model,
    /// The last [`WINDOW`] episodes, oldest first.
    pub recent: Vec<EpisodeStats>,
}

/// A learner training on one scenario of the environment `A` adapts.
pub struct Trainer<A: Adapter> {
    scenario: A::Scenario,
    env: A::Env,
    adapter: A,
    state: TrainerState<A::Level>,
}

/// The sizes of `A`'s models.
pub fn shape<A: Adapter>() -> Shape {
    Shape {
        states: adapter::states::<A>(),
        actions: adapter::actions::<A>(),
        vector_len: adapter::vector_len::<A>(),
    }
}

impl<A: Adapter> Trainer<A> {
    /// A trainer with an untrained model. Fails on out-of-range hyperparameters.
    pub fn new(scenario: A::Scenario, config: TrainConfig<A::Level>) -> Result<Trainer<A>, String> {
        let h = &config.hyperparameters;
        let model = Model::zeros(config.kind, h.mask, quantize(h.lambda_init), shape::<A>());
        let state = TrainerState {
            scenario: A::scenario_name(&scenario).to_string(),
            config,
            episodes_done: 0,
            model,
            recent: Vec::new(),
        };
        Trainer::resume(scenario, state)
    }

    /// A trainer that continues from a saved state, exactly where it stopped.
    pub fn resume(
        scenario: A::Scenario,
        state: TrainerState<A::Level>,
    ) -> Result<Trainer<A>, String> {
        if state.scenario != A::scenario_name(&scenario) {
            return Err(format!(
                "trainer: the state is for scenario {:?}, not {:?}",
                state.scenario,
                A::scenario_name(&scenario)
            ));
        }
        let mut problems: Vec<String> = state
            .config
            .hyperparameters
            .problems()
            .into_iter()
            .map(|(field, p)| format!("hyperparameters.{field}: {p}"))
            .collect();
        if state.model.kind() != state.config.kind {
            problems.push(format!(
                "model: a {} model for a {} trainer",
                state.model.kind().as_str(),
                state.config.kind.as_str()
            ));
        }
        let shape = shape::<A>();
        if !state.model.has_shape(shape) {
            problems.push(format!(
                "model: tables must have {} states and {} actions",
                shape.states, shape.actions
            ));
        }
        if !problems.is_empty() {
            return Err(format!("trainer: {}", problems.join("; ")));
        }
        Ok(Trainer {
            adapter: A::new(&scenario),
            env: A::environment(&scenario),
            scenario,
            state,
        })
    }

    /// The state to save; [`Trainer::resume`] takes it back.
    pub fn state(&self) -> &TrainerState<A::Level> {
        &self.state
    }

    /// The configuration.
    pub fn config(&self) -> &TrainConfig<A::Level> {
        &self.state.config
    }

    /// The model as trained so far.
    pub fn model(&self) -> &Model {
        &self.state.model
    }

    /// The scenario trained on.
    pub fn scenario(&self) -> &A::Scenario {
        &self.scenario
    }

    /// Whether every configured episode has been trained.
    pub fn is_finished(&self) -> bool {
        self.state.episodes_done >= self.state.config.episodes
    }

    /// Raises the number of episodes to train in all (to train on after finishing).
    pub fn extend(&mut self, more: u64) {
        self.state.config.episodes = self.state.config.episodes.saturating_add(more);
    }

    /// Trains up to `max_episodes` more episodes (fewer if the configured total is reached)
    /// and reports on them.
    pub fn run(&mut self, max_episodes: u64) -> ChunkReport {
        let todo = max_episodes.min(
            self.state
                .config
                .episodes
                .saturating_sub(self.state.episodes_done),
        );
        let mut sums = [0.0; 5];
        let mut epsilon = self.epsilon();
        for _ in 0..todo {
            epsilon = self.epsilon();
            let e = self.train_episode();
            sums[0] += e.episode_return;
            sums[1] += e.cost;
            sums[2] += f64::from(u8::from(e.cost == 0.0));
            sums[3] += f64::from(u8::from(e.success));
            sums[4] += f64::from(e.steps);
        }
        let n = todo.max(1) as f64;
        ChunkReport {
            episodes_run: todo,
            episodes_done: self.state.episodes_done,
            episodes_total: self.state.config.episodes,
            mean_return: sums[0] / n,
            mean_cost: sums[1] / n,
            compliance_rate: sums[2] / n,
            success_rate: sums[3] / n,
            mean_steps: sums[4] / n,
            lambda: self.lambda(),
            epsilon,
            finished: self.is_finished(),
        }
    }

    /// Averages over the last [`WINDOW`] training episodes.
    pub fn metrics(&self) -> TrainingMetrics {
        let recent = &self.state.recent;
        let n = recent.len().max(1) as f64;
        // fold from +0.0: an empty f64 `sum` is -0.0, which would print as "-0.0".
        let mean = |f: &dyn Fn(&EpisodeStats) -> f64| {
            quantize(recent.iter().map(f).fold(0.0, |a, b| a + b) / n)
        };
        TrainingMetrics {
            episodes: self.state.episodes_done,
            window: recent.len(),
            mean_return: mean(&|e| e.episode_return),
            mean_cost: mean(&|e| e.cost),
            compliance_rate: mean(&|e| f64::from(u8::from(e.cost == 0.0))),
            success_rate: mean(&|e| f64::from(u8::from(e.success))),
            lambda: self.lambda(),
            epsilon: self.epsilon(),
        }
    }

    fn lambda(&self) -> Option<f64> {
        match self.state.model.params {
            Params::QLagrangian { lambda, .. } => Some(lambda),
            _ => None,
        }
    }

    fn epsilon(&self) -> f64 {
        self.state
            .config
            .hyperparameters
            .epsilon(self.state.episodes_done)
    }

    /// Plays and learns from one episode.
    fn train_episode(&mut self) -> EpisodeStats {
        let i = self.state.episodes_done;
        let seed = self.state.config.seed;
        let epsilon = self.epsilon();
        let h = self.state.config.hyperparameters.clone();
        let masked = self.state.model.masked;
        let n_actions = adapter::actions::<A>();
        let mut rng = Rng::new(mix(seed ^ EXPLORE_SALT, i));
        let options = A::options(self.state.config.level);
        let (mut obs, _) = self.env.reset(mix(seed ^ ENV_SALT, i), options);
        self.adapter.reset();
        let mut s = self.adapter.observe(&obs);
        let mut allowed_now = allowed(&self.adapter, masked, &obs);
        loop {
            let a = if rng.chance(epsilon) {
                let choices: Vec<usize> =
                    allowed_now.iter().take_while(|&a| a < n_actions).collect();
                if choices.is_empty() {
                    0
                } else {
                    *rng.pick(&choices)
                }
            } else {
                self.state.model.greedy(A::FEATURES, s, allowed_now)
            };
            self.state.model.visits[s] += 1;
            let action = self.adapter.action(a, &obs);
            let Ok(step) = self.env.step(&action) else {
                // The adapter only sends well-formed actions; end the episode rather than loop.
                debug_assert!(false, "the adapter sent a malformed action: {action:?}");
                break;
            };
            let done = step.done();
            obs = step.observation;
            let next_s = self.adapter.observe(&obs);
            let next_allowed = allowed(&self.adapter, masked, &obs);
            let next = (!done).then_some(Next {
                state: next_s,
                allowed: next_allowed,
            });
            match &mut self.state.model.params {
                Params::Q { q } => q::update(q, s, a, step.reward, next, h.alpha, h.gamma),
                Params::QLagrangian {
                    q_reward,
                    q_cost,
                    lambda,
                } => lagrangian::update(
                    q_reward,
                    q_cost,
                    *lambda,
                    s,
                    a,
                    step.reward,
                    step.cost,
                    next,
                    &h,
                ),
                Params::Bandit { weights } => {
                    let x = adapter::vector(A::FEATURES, s);
                    bandit::update(&mut weights[a], &x, step.reward, h.alpha);
                }
            }
            if done {
                break;
            }
            s = next_s;
            allowed_now = next_allowed;
        }
        let totals = self.env.totals();
        let cost = totals.episode_cost;
        if let Params::QLagrangian { lambda, .. } = &mut self.state.model.params {
            *lambda = lagrangian::dual_ascent(*lambda, cost, &h);
        }
        let stats = EpisodeStats {
            episode_return: quantize(totals.episode_return),
            cost: quantize(cost),
            success: totals.success,
            steps: totals.steps,
        };
        self.state.episodes_done += 1;
        if self.state.recent.len() == WINDOW {
            self.state.recent.remove(0);
        }
        self.state.recent.push(stats.clone());
        stats
    }
}
