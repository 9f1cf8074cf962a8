//! An arena's run: every agent on the same seeds of one environment's scenario, one episode at
//! a time (so the worker can report progress and hear a Cancel between slices). Generic over
//! the environment: each episode is the core's `play_episode` and its figures the environment's
//! totals, exactly what `ztgym eval` plays and averages; an environment's folder only says how
//! its environment and agents are made ([`Arenas`]).

use super::ranking::{ArenaResult, EpisodeFigures};
use super::seeds::MAX_SEEDS;
use crate::play::run::Scored;
use serde::{Deserialize, Serialize};
use ztgym::core::eval::play_episode;
use ztgym::core::{Agent, Step};

/// The most agents an arena ranks.
pub const MAX_AGENTS: usize = 6;

/// An agent as the page names it to the worker.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum AgentSpec {
    /// One of the environment's built-in agents, by name.
    Builtin { name: String },
    /// A policy file's text (bundled, trained in the page or loaded), with its label.
    Policy { label: String, text: String },
}

impl AgentSpec {
    /// Its name in the table.
    pub fn label(&self) -> &str {
        match self {
            AgentSpec::Builtin { name } => name,
            AgentSpec::Policy { label, .. } => label,
        }
    }
}

/// What the page asks the worker to rank.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ArenaRequest {
    pub env: String,
    /// A built-in scenario (or task) of the environment, by name.
    pub scenario: String,
    pub agents: Vec<AgentSpec>,
    pub seeds: Vec<u64>,
}

impl ArenaRequest {
    /// The request's sizes checked against the caps (the page checks them first; the worker
    /// again, as it trusts no message).
    pub fn check(&self) -> Result<(), String> {
        if self.agents.len() < 2 {
            return Err("pick at least two agents to rank".into());
        }
        if self.agents.len() > MAX_AGENTS {
            return Err(format!(
                "{} agents picked; an arena ranks at most {MAX_AGENTS}",
                self.agents.len()
            ));
        }
        if self.seeds.is_empty() || self.seeds.len() > MAX_SEEDS {
            return Err(format!(
                "{} seeds; an arena plays 1 to {MAX_SEEDS}",
                self.seeds.len()
            ));
        }
        Ok(())
    }
}

/// An arena being played, its environment's types erased.
pub trait ArenaJob {
    /// Plays up to `episodes` more episodes; returns whether every episode is played.
    fn run(&mut self, episodes: usize) -> bool;
    /// Episodes played, and in all.
    fn progress(&self) -> (usize, usize);
    /// The episodes played (all of them once [`ArenaJob::run`] said so).
    fn result(&self) -> ArenaResult;
}

/// Agents of environment `E`, each with its label in the table.
pub type Labelled<E> = Vec<(String, Box<dyn Agent<E>>)>;

/// An arena of environment `E`.
pub struct ArenaJobOf<E: Scored> {
    env: E,
    options: E::Options,
    env_id: String,
    scenario: String,
    /// Each agent's label and player, in request order.
    agents: Labelled<E>,
    seeds: Vec<u64>,
    /// Each agent's episodes so far (agent `i`'s in `figures[i]`).
    figures: Vec<Vec<EpisodeFigures>>,
    played: usize,
}

impl<E: Scored> ArenaJobOf<E>
where
    E::Options: Default,
{
    /// The arena the request asks for on `env` (reset with default options at each seed): its
    /// agents made by `builtin` (by name) and `policy` (label, text), as [`make_agents`] does.
    pub fn start(
        env: E,
        request: &ArenaRequest,
        builtin: impl Fn(&str) -> Result<Box<dyn Agent<E>>, String>,
        policy: impl Fn(&str, &str) -> Result<Box<dyn Agent<E>>, String>,
    ) -> Result<Box<dyn ArenaJob>, String> {
        let agents = make_agents(request, builtin, policy)?;
        Ok(Box::new(ArenaJobOf {
            env,
            options: E::Options::default(),
            env_id: request.env.clone(),
            scenario: request.scenario.clone(),
            figures: vec![Vec::new(); agents.len()],
            agents,
            seeds: request.seeds.clone(),
            played: 0,
        }))
    }
}

/// Plays one episode of `agent` from `seed` and counts it as `ztgym eval` does: the
/// environment's totals at the end, and its score of the last step where it has one.
pub fn episode_figures<E: Scored>(
    env: &mut E,
    agent: &mut dyn Agent<E>,
    seed: u64,
    options: &E::Options,
) -> EpisodeFigures {
    let mut last: Option<Step<E::Observation, E::Info>> = None;
    play_episode(env, agent, seed, options, |_, _, step| {
        if step.done() {
            last = Some(step.clone());
        }
    });
    let totals = env.totals();
    EpisodeFigures {
        seed,
        episode_return: totals.episode_return,
        cost: totals.episode_cost,
        success: totals.success,
        score: if E::GRADED {
            last.map(|step| env.score(&step))
        } else {
            None
        },
        steps: totals.steps,
    }
}

impl<E: Scored> ArenaJob for ArenaJobOf<E> {
    fn run(&mut self, episodes: usize) -> bool {
        let total = self.agents.len() * self.seeds.len();
        for _ in 0..episodes {
            if self.played >= total {
                break;
            }
            // Agent by agent, each over every seed: an agent's episodes follow one another as
            // in `ztgym eval` (an agent with memory across episodes plays as it does there).
            let (a, s) = (
                self.played / self.seeds.len(),
                self.played % self.seeds.len(),
            );
            let figures = episode_figures(
                &mut self.env,
                self.agents[a].1.as_mut(),
                self.seeds[s],
                &self.options,
            );
            self.figures[a].push(figures);
            self.played += 1;
        }
        self.played >= total
    }

    fn progress(&self) -> (usize, usize) {
        (self.played, self.agents.len() * self.seeds.len())
    }

    fn result(&self) -> ArenaResult {
        ArenaResult {
            env: self.env_id.clone(),
            scenario: self.scenario.clone(),
            seeds: self.seeds.clone(),
            agents: self
                .agents
                .iter()
                .zip(&self.figures)
                .map(|((label, _), f)| (label.clone(), f.clone()))
                .collect(),
        }
    }
}

/// Makes the request's agents: built-in ones by `builtin`, policies by `policy` (label, text).
/// A problem names the agent it is about, shortened (a policy's problems can be long).
pub fn make_agents<E: Scored>(
    request: &ArenaRequest,
    builtin: impl Fn(&str) -> Result<Box<dyn Agent<E>>, String>,
    policy: impl Fn(&str, &str) -> Result<Box<dyn Agent<E>>, String>,
) -> Result<Labelled<E>, String> {
    request.check()?;
    request
        .agents
        .iter()
        .map(|spec| {
            let made = match spec {
                AgentSpec::Builtin { name } => builtin(name),
                AgentSpec::Policy { label, text } => policy(label, text),
            };
            made.map(|agent| (spec.label().to_string(), agent))
                .map_err(|e| agent_problem(spec.label(), &e))
        })
        .collect()
}

/// A short message about one agent: its first line, at most 300 characters.
pub fn agent_problem(label: &str, problem: &str) -> String {
    let first = problem.lines().next().unwrap_or_default();
    format!(
        "{}: {}",
        ztgym::core::text::shorten(label, 60),
        ztgym::core::text::shorten(first, 300)
    )
}

/// Starts an arena from a request.
pub type Start = fn(request: &ArenaRequest) -> Result<Box<dyn ArenaJob>, String>;

/// How the arena worker plays one environment: its id and how an arena of it starts. The
/// environments' folders say theirs (`src/envs/<id>/arena.rs`); `src/envs/mod.rs` lists them.
#[derive(Clone, Copy)]
pub struct Arenas {
    pub env: &'static str,
    pub start: Start,
}

/// An arena of the environment the request names.
pub fn start(arenas: &[Arenas], request: &ArenaRequest) -> Result<Box<dyn ArenaJob>, String> {
    request.check()?;
    match arenas.iter().find(|a| a.env == request.env) {
        Some(a) => (a.start)(request),
        None => Err(format!(
            "the arena plays {}, not {:?}",
            arenas.iter().map(|a| a.env).collect::<Vec<_>>().join(", "),
            ztgym::core::text::shorten(&request.env, 40)
        )),
    }
}
