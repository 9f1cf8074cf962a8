//! Evaluating an agent on a task: the grader's figures averaged over episodes.

use crate::env::{Env, Grade, ResetOptions};
use crate::task::TaskId;
use serde::Serialize;
use ztgym_core::eval::{episode_seed, play_episode, trajectory_jsonl};
use ztgym_core::{Agent, Environment};

/// The averages of an evaluation.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Report {
    pub env: &'static str,
    pub task: &'static str,
    pub task_name: &'static str,
    pub agent: String,
    pub episodes: u64,
    pub seed: u64,
    pub threshold: f64,
    /// The grader's mean score and its letter.
    pub mean_score: f64,
    pub letter: String,
    /// Share of episodes whose score reached the task's threshold.
    pub pass_rate: f64,
    pub mean_return: f64,
    /// Mean legitimate messages blocked per episode.
    pub mean_cost: f64,
    pub mean_steps: f64,
    /// Threats stopped over threats seen, pooled over episodes' rates (mean).
    pub detection_rate: f64,
    /// Safe messages blocked over safe messages seen (mean of episodes).
    pub false_positive_rate: f64,
    pub mean_trust: f64,
    pub mean_reasoning: f64,
    /// Episodes cut short (trust at 0 or fatigue at its maximum).
    pub cut_short_rate: f64,
}

fn r6(x: f64) -> f64 {
    (x * 1e6).round() / 1e6
}

/// Plays `episodes` episodes of `task` from `seed` and averages the grades.
pub fn evaluate(task: TaskId, agent: &mut dyn Agent<Env>, episodes: u64, seed: u64) -> Report {
    let mut env = Env::new(task);
    let n = episodes.max(1);
    let mut s = [0.0f64; 10];
    for i in 0..n {
        let mut grade: Option<Grade> = None;
        play_episode(
            &mut env,
            agent,
            episode_seed(seed, i),
            &ResetOptions::default(),
            |_, _, step| {
                if let Some(g) = &step.info.grade {
                    grade = Some(g.clone());
                }
            },
        );
        let g = grade.unwrap_or_else(|| env.grade());
        let t = env.totals();
        s[0] += g.score;
        s[1] += f64::from(u8::from(g.passed));
        s[2] += t.episode_return;
        s[3] += t.episode_cost;
        s[4] += f64::from(t.steps);
        s[5] += g.detection_rate;
        s[6] += g.false_positive_rate;
        s[7] += g.user_retention * 100.0;
        s[8] += g.reasoning_quality;
        s[9] += f64::from(u8::from(g.completion < 1.0));
    }
    let m = |k: usize| r6(s[k] / n as f64);
    let rules = env.rules();
    let t = rules.task(task.as_str()).expect("task in rules");
    Report {
        env: "triage",
        task: task.as_str(),
        task_name: task.name(),
        agent: agent.name().to_string(),
        episodes: n,
        seed,
        threshold: t.threshold,
        mean_score: m(0),
        letter: rules.letter(m(0)).to_string(),
        pass_rate: m(1),
        mean_return: m(2),
        mean_cost: m(3),
        mean_steps: m(4),
        detection_rate: m(5),
        false_positive_rate: m(6),
        mean_trust: m(7),
        mean_reasoning: m(8),
        cut_short_rate: m(9),
    }
}

/// The trajectory (JSONL) of a built-in agent on a task from a seed: what the golden digests
/// pin natively and in wasm.
pub fn builtin_trajectory(task: TaskId, agent: &str, seed: u64) -> Result<String, String> {
    let mut agent = crate::agents::builtin_agent(agent)?;
    let mut env = Env::new(task);
    Ok(trajectory_jsonl(
        &mut env,
        agent.as_mut(),
        seed,
        &ResetOptions::default(),
    ))
}
