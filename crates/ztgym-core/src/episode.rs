//! The record of one episode, step by step: what every surface replays, summarizes and exports.

use crate::env::{Environment, Step};
use crate::eval::trajectory_line;
use crate::trajectory::{file_text, Header, StepLine};
use std::fmt;

/// One recorded step: the observation acted on, the action, and what came of it.
pub struct Recorded<E: Environment> {
    pub observation: E::Observation,
    pub action: E::Action,
    pub step: Step<E::Observation, E::Info>,
}

/// The record of one episode, for replay, summaries and export.
pub struct EpisodeLog<E: Environment> {
    pub steps: Vec<Recorded<E>>,
}

impl<E: Environment> EpisodeLog<E> {
    /// Records a step.
    pub fn push(
        &mut self,
        observation: &E::Observation,
        action: &E::Action,
        step: &Step<E::Observation, E::Info>,
    ) {
        self.steps.push(Recorded {
            observation: observation.clone(),
            action: action.clone(),
            step: step.clone(),
        });
    }

    /// Every step in full (the observation acted on, the action, the step with its info) as
    /// JSON lines: what the golden digests and the page's tests compare.
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

    /// The episode as a trajectory file (see [`crate::trajectory`]) under `header`.
    pub fn trajectory_file(&self, header: &Header) -> String {
        let steps: Vec<StepLine> = self
            .steps
            .iter()
            .enumerate()
            .map(|(t, r)| StepLine::of(t as u64, &r.action, &r.step))
            .collect();
        file_text(header, &steps)
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

// Written out rather than derived: a derive would ask `E` itself (the environment) to be
// `Default`, `PartialEq` or `Debug`, where only its observation, action and info need be.

impl<E: Environment> Default for EpisodeLog<E> {
    fn default() -> Self {
        EpisodeLog { steps: Vec::new() }
    }
}

impl<E: Environment> Clone for EpisodeLog<E> {
    fn clone(&self) -> Self {
        EpisodeLog {
            steps: self.steps.clone(),
        }
    }
}

impl<E: Environment> Clone for Recorded<E> {
    fn clone(&self) -> Self {
        Recorded {
            observation: self.observation.clone(),
            action: self.action.clone(),
            step: self.step.clone(),
        }
    }
}

impl<E: Environment> fmt::Debug for Recorded<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Recorded")
            .field("observation", &self.observation)
            .field("action", &self.action)
            .field("step", &self.step)
            .finish()
    }
}

impl<E: Environment> fmt::Debug for EpisodeLog<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EpisodeLog")
            .field("steps", &self.steps)
            .finish()
    }
}

impl<E: Environment> PartialEq for Recorded<E>
where
    E::Observation: PartialEq,
    E::Action: PartialEq,
    E::Info: PartialEq,
{
    fn eq(&self, other: &Self) -> bool {
        self.observation == other.observation
            && self.action == other.action
            && self.step == other.step
    }
}

impl<E: Environment> PartialEq for EpisodeLog<E>
where
    Recorded<E>: PartialEq,
{
    fn eq(&self, other: &Self) -> bool {
        self.steps == other.steps
    }
}
