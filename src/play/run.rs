//! One environment's run as every page plays it: the environment, who acts (an agent, or a
//! person when there is none), the episode on screen and its record (the core's
//! [`EpisodeLog`]), the totals over the episodes played, restart and seed, the trajectory
//! file, and a trajectory made elsewhere replayed and verified in its place. Plain Rust,
//! tested natively through each environment's session.

use ztgym::core::trajectory::read::{parse, Limits};
use ztgym::core::trajectory::verify::{verify_typed, Verdict};
use ztgym::core::trajectory::Header;
use ztgym::core::{Agent, Environment, EpisodeLog, Step};

/// What a run needs of its environment beyond the core's contract: how a finished episode
/// counts in the totals. By default its score is its return.
pub trait Scored: Environment + 'static {
    /// The environment's id (`sre`), as trajectory files name it.
    const ID: &'static str;

    /// Whether it has a score of its own (a grader's) to show beside the return.
    const GRADED: bool = false;

    /// The score of the episode `last` ended (a grader's, where the environment has one).
    fn score(&self, _last: &Step<Self::Observation, Self::Info>) -> f64 {
        self.totals().episode_return
    }
}

/// Totals over the episodes played since the settings last changed.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct RunStats {
    pub episodes: u64,
    pub steps: u64,
    /// Episodes that ended in the environment's idea of success (a triage task passed).
    pub successes: u64,
    /// Episodes without cost.
    pub compliant: u64,
    pub total_return: f64,
    pub total_score: f64,
}

impl RunStats {
    /// The share of the episodes played that `count` of them make, in percent (0 before any).
    pub fn percent(&self, count: u64) -> f64 {
        if self.episodes == 0 {
            0.0
        } else {
            100.0 * count as f64 / self.episodes as f64
        }
    }

    /// The mean return of the episodes played (`None` before any).
    pub fn mean_return(&self) -> Option<f64> {
        (self.episodes > 0).then(|| self.total_return / self.episodes as f64)
    }

    /// The mean score of the episodes played (`None` before any).
    pub fn mean_score(&self) -> Option<f64> {
        (self.episodes > 0).then(|| self.total_score / self.episodes as f64)
    }
}

/// Sets up an episode's first observation after a reset (e.g. a specimen shown first).
pub type Prepare<E> =
    fn(&mut E, <E as Environment>::Observation) -> <E as Environment>::Observation;

/// One run of an environment.
pub struct Run<E: Scored> {
    env: E,
    agent: Option<Box<dyn Agent<E>>>,
    seed: u64,
    options: E::Options,
    prepare: Option<Prepare<E>>,
    observation: E::Observation,
    info: E::Info,
    log: EpisodeLog<E>,
    stats: RunStats,
    /// What verifying the trajectory on screen found, when it came from a file.
    verdict: Option<Verdict>,
}

/// The most steps a trajectory file replayed in the page may have: far above any built-in
/// episode (a few hundred steps), low enough to replay at once on a phone.
pub const PAGE_LIMITS: Limits = Limits {
    max_bytes: 4 * 1024 * 1024,
    max_steps: 2_000,
    max_line_bytes: 64 * 1024,
};

/// A trajectory file read and verified, ready to take the place of the episode on screen.
pub struct Replayed<E: Scored> {
    env: E,
    seed: u64,
    options: E::Options,
    log: EpisodeLog<E>,
    observation: E::Observation,
    info: E::Info,
    verdict: Verdict,
}

impl<E: Scored> Replayed<E> {
    /// The recorded seed.
    pub fn seed(&self) -> u64 {
        self.seed
    }

    pub fn verdict(&self) -> &Verdict {
        &self.verdict
    }
}

impl<E: Scored> Run<E> {
    /// Starts the episode of `seed` on `env` (reset with `options`, then `prepare` if any),
    /// played by `agent` (`None`: by a person).
    pub fn new(
        mut env: E,
        agent: Option<Box<dyn Agent<E>>>,
        seed: u64,
        options: E::Options,
        prepare: Option<Prepare<E>>,
    ) -> Run<E> {
        let (observation, info) = start(&mut env, seed, &options, prepare);
        let mut run = Run {
            env,
            agent,
            seed,
            options,
            prepare,
            observation,
            info,
            log: EpisodeLog::default(),
            stats: RunStats::default(),
            verdict: None,
        };
        if let Some(a) = run.agent.as_mut() {
            a.reset(seed);
        }
        run
    }

    pub fn env(&self) -> &E {
        &self.env
    }

    /// The environment, to change what it holds between steps (a policy put in force); then
    /// [`Run::show`] what it shows.
    pub fn env_mut(&mut self) -> &mut E {
        &mut self.env
    }

    /// Shows `observation` and `info` in place of the ones on screen (no step is taken).
    pub fn show(&mut self, observation: E::Observation, info: E::Info) {
        self.observation = observation;
        self.info = info;
    }

    /// The episode's seed.
    pub fn seed(&self) -> u64 {
        self.seed
    }

    /// How episodes are reset.
    pub fn options(&self) -> &E::Options {
        &self.options
    }

    /// Starts the episode again with the same seed.
    pub fn restart(&mut self) {
        let (observation, info) = start(&mut self.env, self.seed, &self.options, self.prepare);
        self.observation = observation;
        self.info = info;
        self.log = EpisodeLog::default();
        self.verdict = None;
        if let Some(a) = self.agent.as_mut() {
            a.reset(self.seed);
        }
    }

    /// Starts a new episode with `seed`.
    pub fn set_seed(&mut self, seed: u64) {
        self.seed = seed;
        self.restart();
    }

    /// Whether an agent acts (not a person).
    pub fn automated(&self) -> bool {
        self.agent.is_some()
    }

    /// Whether the episode on screen has ended.
    pub fn done(&self) -> bool {
        self.log.steps.last().is_some_and(|r| r.step.done())
    }

    /// A person's action. A refused one (finished episode, unknown target) changes nothing
    /// and says why.
    pub fn act(&mut self, action: E::Action) -> Result<(), String> {
        let step = self.env.step(&action).map_err(|e| e.to_string())?;
        self.record(action, step);
        Ok(())
    }

    /// One step of the agent; false when there is none, the episode is over, or its action is
    /// refused.
    pub fn agent_step(&mut self) -> bool {
        if self.done() {
            return false;
        }
        let Some(agent) = self.agent.as_mut() else {
            return false;
        };
        let action = agent.act(&self.observation, &self.info);
        match self.env.step(&action) {
            Ok(step) => {
                self.record(action, step);
                true
            }
            Err(_) => false,
        }
    }

    fn record(&mut self, action: E::Action, step: Step<E::Observation, E::Info>) {
        self.stats.steps += 1;
        if step.done() {
            let totals = self.env.totals();
            self.stats.episodes += 1;
            self.stats.successes += u64::from(totals.success);
            self.stats.compliant += u64::from(totals.episode_cost == 0.0);
            self.stats.total_return += totals.episode_return;
            self.stats.total_score += self.env.score(&step);
        }
        self.log.push(&self.observation, &action, &step);
        self.observation = step.observation;
        self.info = step.info;
    }

    /// What the agent (or person) sees now.
    pub fn observation(&self) -> &E::Observation {
        &self.observation
    }

    pub fn info(&self) -> &E::Info {
        &self.info
    }

    /// The current episode's record.
    pub fn log(&self) -> &EpisodeLog<E> {
        &self.log
    }

    pub fn stats(&self) -> RunStats {
        self.stats
    }

    /// The observation after `k` steps of the episode (0: at reset; at or past the last step:
    /// the one on screen), for replay.
    pub fn observation_at(&self, k: usize) -> &E::Observation {
        self.log
            .steps
            .get(k)
            .map_or(&self.observation, |r| &r.observation)
    }

    /// Every step in full as JSON lines, as the core's `eval::trajectory_jsonl` writes them.
    pub fn trajectory_jsonl(&self) -> String {
        self.log.trajectory_jsonl()
    }

    /// The episode as a trajectory file, as `ztgym run` writes it (who acted: the agent's
    /// name, or `person`).
    pub fn trajectory_file(&self) -> String {
        let agent = self.agent.as_ref().map_or("person", |a| a.name());
        let header = Header::new(
            E::ID,
            self.env.scenario_name(),
            &self.options,
            self.seed,
            agent,
        );
        self.log.trajectory_file(&header)
    }

    /// Reads a trajectory file's `text` within [`PAGE_LIMITS`] and replays it on a fresh copy
    /// of this run's environment (its scenario), verifying every step. Nothing changes here:
    /// [`Run::show_replayed`] puts the result on screen. The error names the line and field.
    pub fn replay_file(&self, text: &str) -> Result<Replayed<E>, String> {
        let trajectory = parse(text, &PAGE_LIMITS)?;
        let recorded = &trajectory.header.env;
        if recorded != E::ID {
            return Err(format!(
                "line 1: field env: this is a run of \"{}\", not of {}; open its tab to replay it",
                ztgym::core::text::shorten(recorded, 40),
                E::ID
            ));
        }
        let mut env = self.env.clone();
        let (verdict, log, observation, info) = verify_typed(&mut env, &trajectory)?;
        let options = if trajectory.header.options.is_null() {
            E::Options::default()
        } else {
            serde_json::from_value(trajectory.header.options.clone()).map_err(|e| e.to_string())?
        };
        Ok(Replayed {
            env,
            seed: trajectory.header.seed,
            options,
            log,
            observation,
            info,
            verdict,
        })
    }

    /// Puts a replayed trajectory on screen in place of the episode (its seed and options
    /// become the run's; the totals are left as they were).
    pub fn show_replayed(&mut self, replayed: Replayed<E>) {
        self.env = replayed.env;
        self.seed = replayed.seed;
        self.options = replayed.options;
        self.log = replayed.log;
        self.observation = replayed.observation;
        self.info = replayed.info;
        self.verdict = Some(replayed.verdict);
        if let Some(a) = self.agent.as_mut() {
            a.reset(self.seed);
        }
    }

    /// What verifying the trajectory on screen found, when it came from a file.
    pub fn verdict(&self) -> Option<&Verdict> {
        self.verdict.as_ref()
    }
}

fn start<E: Scored>(
    env: &mut E,
    seed: u64,
    options: &E::Options,
    prepare: Option<Prepare<E>>,
) -> (E::Observation, E::Info) {
    let (observation, info) = env.reset(seed, options.clone());
    match prepare {
        Some(prepare) => (prepare(env, observation), info),
        None => (observation, info),
    }
}

#[cfg(test)]
mod tests {
    use super::RunStats;

    #[test]
    fn rates_and_means_wait_for_an_episode() {
        let none = RunStats::default();
        assert_eq!(none.percent(0), 0.0);
        assert_eq!(none.mean_return(), None);
        assert_eq!(none.mean_score(), None);
        let four = RunStats {
            episodes: 4,
            successes: 3,
            total_return: -10.0,
            total_score: 2.0,
            ..RunStats::default()
        };
        assert_eq!(four.percent(four.successes), 75.0);
        assert_eq!(four.mean_return(), Some(-2.5));
        assert_eq!(four.mean_score(), Some(0.5));
    }
}
