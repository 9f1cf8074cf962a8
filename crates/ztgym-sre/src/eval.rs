//! Running agents for whole episodes: evaluation metrics and trajectory files.
//!
//! The CLI and the playground both write trajectories through [`trajectory_line`], so a file
//! exported from the page is byte-identical to `ztgym run` for the same scenario, seed and agent.

use crate::action::Action;
use crate::agents::Agent;
use crate::env::{Env, ResetOptions};
use crate::observation::{Info, Observation, Outcome, Step};
use serde::Serialize;
pub use ztgym_core::eval::{digest, episode_seed, trajectory_line};

/// One finished episode.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct EpisodeSummary {
    pub seed: u64,
    pub episode_return: f64,
    pub cost: f64,
    pub steps: u32,
    pub outcome: Outcome,
    pub uptime: f64,
}

impl EpisodeSummary {
    /// All threats contained with uptime at or above the floor.
    pub fn success(&self) -> bool {
        self.outcome == Outcome::Success
    }
}

/// Plays one episode; `on_step` sees each observation acted on, the action and its result.
pub fn run_episode(
    env: &mut Env,
    agent: &mut dyn Agent<Env>,
    seed: u64,
    options: &ResetOptions,
    on_step: impl FnMut(&Observation, &Action, &Step),
) -> EpisodeSummary {
    let (observation, info) = ztgym_core::eval::play_episode(env, agent, seed, options, on_step);
    finish(seed, &observation, &info)
}

fn finish(seed: u64, observation: &Observation, info: &Info) -> EpisodeSummary {
    EpisodeSummary {
        seed,
        episode_return: info.episode_return,
        cost: info.episode_cost,
        steps: observation.step,
        outcome: info.outcome.unwrap_or(Outcome::Truncated),
        uptime: observation.uptime,
    }
}

/// Aggregate metrics over episodes (the `ztgym eval` report).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct EvalReport {
    pub episodes: usize,
    pub mean_return: f64,
    pub std_return: f64,
    /// Share of episodes where every threat was contained with uptime at or above the floor.
    pub success_rate: f64,
    /// Share of episodes with total cost 0.
    pub compliance_rate: f64,
    /// Share of episodes that ended on the no-ticket rule.
    pub violation_rate: f64,
    pub mean_cost: f64,
    pub mean_steps: f64,
    pub mean_uptime: f64,
}

impl EvalReport {
    /// Metrics over finished episodes.
    pub fn from_episodes(episodes: &[EpisodeSummary]) -> EvalReport {
        let n = episodes.len().max(1) as f64;
        let mean = |f: &dyn Fn(&EpisodeSummary) -> f64| episodes.iter().map(f).sum::<f64>() / n;
        let mean_return = mean(&|e| e.episode_return);
        let var = mean(&|e| (e.episode_return - mean_return) * (e.episode_return - mean_return));
        EvalReport {
            episodes: episodes.len(),
            mean_return,
            std_return: var.sqrt(),
            success_rate: mean(&|e| f64::from(u8::from(e.success()))),
            compliance_rate: mean(&|e| f64::from(u8::from(e.cost == 0.0))),
            violation_rate: mean(&|e| f64::from(u8::from(e.outcome == Outcome::Violation))),
            mean_cost: mean(&|e| e.cost),
            mean_steps: mean(&|e| f64::from(e.steps)),
            mean_uptime: mean(&|e| e.uptime),
        }
    }
}

/// Plays `episodes` episodes with seeds `seed, seed + 1, ...`.
pub fn evaluate(
    env: &mut Env,
    agent: &mut dyn Agent<Env>,
    episodes: u64,
    seed: u64,
    options: &ResetOptions,
) -> (EvalReport, Vec<EpisodeSummary>) {
    let all: Vec<EpisodeSummary> = (0..episodes)
        .map(|i| run_episode(env, agent, episode_seed(seed, i), options, |_, _, _| {}))
        .collect();
    (EvalReport::from_episodes(&all), all)
}

/// The whole trajectory of one episode as JSONL (a line per step, each ending in `\n`).
pub fn trajectory_jsonl(
    env: &mut Env,
    agent: &mut dyn Agent<Env>,
    seed: u64,
    options: &ResetOptions,
) -> String {
    ztgym_core::eval::trajectory_jsonl(env, agent, seed, options)
}

/// The trajectory of a built-in agent on a built-in scenario at the scenario's default level,
/// as `ztgym run --scenario S --agent A --seed N` writes it: what the native and the wasm
/// determinism tests both compute. Fails for an unknown scenario or agent.
pub fn builtin_trajectory(scenario: &str, agent: &str, seed: u64) -> Result<String, String> {
    let scenario = crate::Scenario::builtin(scenario).map_err(|e| e.to_string())?;
    let mut agent = crate::agents::builtin_agent(agent, &scenario)?;
    Ok(trajectory_jsonl(
        &mut Env::new(scenario),
        agent.as_mut(),
        seed,
        &ResetOptions::default(),
    ))
}

/// Alerts as ECS-style NDJSON, one alert per line (the CLI's `--alerts` file and the page's
/// export).
pub fn alerts_ndjson(alerts: &[crate::siem::Alert]) -> String {
    let mut out = String::new();
    for a in alerts {
        out.push_str(&serde_json::to_string(a).unwrap_or_default());
        out.push('\n');
    }
    out
}

/// One recorded step: the observation acted on, the action, and what came of it.
#[derive(Clone, Debug, PartialEq)]
pub struct Recorded {
    pub observation: Observation,
    pub action: Action,
    pub step: Step,
}

/// The record of one episode, for replay, summaries and export.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct EpisodeLog {
    pub steps: Vec<Recorded>,
}

impl EpisodeLog {
    /// Records a step.
    pub fn push(&mut self, observation: &Observation, action: &Action, step: &Step) {
        self.steps.push(Recorded {
            observation: observation.clone(),
            action: action.clone(),
            step: step.clone(),
        });
    }

    /// The episode as JSONL, exactly as `ztgym run` writes it.
    pub fn trajectory_jsonl(&self) -> String {
        let mut out = String::new();
        for (t, r) in self.steps.iter().enumerate() {
            out.push_str(&trajectory_line(
                t as u32,
                &r.observation,
                &r.action,
                &r.step,
            ));
            out.push('\n');
        }
        out
    }

    /// The steps that decided the episode: every step with a cost, and the steps whose reward
    /// is largest in size (at most `n` in all), in step order.
    pub fn decisive_steps(&self, n: usize) -> Vec<usize> {
        let mut ranked: Vec<usize> = (0..self.steps.len()).collect();
        ranked.sort_by(|&a, &b| {
            let (sa, sb) = (&self.steps[a].step, &self.steps[b].step);
            (sb.cost > 0.0)
                .cmp(&(sa.cost > 0.0))
                .then(sb.reward.abs().total_cmp(&sa.reward.abs()))
                .then(a.cmp(&b))
        });
        ranked.truncate(n);
        ranked.sort_unstable();
        ranked
    }
}
