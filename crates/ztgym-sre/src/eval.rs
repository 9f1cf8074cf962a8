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
        let mut sums = EvalSums::default();
        for e in episodes {
            sums.add(e);
        }
        sums.report()
    }
}

/// Running sums over finished episodes: what [`EvalReport`] needs, in bounded memory however
/// many episodes are played. Means are sums divided by the count, added in episode order
/// exactly as a sum over a list would, so they are bit-identical to the list-based report.
///
/// The standard deviation of the return: for the first [`EXACT_STD_EPISODES`] episodes the
/// returns alone are kept (8 bytes each, at most 8 MiB) and the deviation is computed in two
/// passes exactly as before, so reports are byte-identical to earlier versions; past that,
/// Welford's running method (numerically stable) carries on in constant memory. (Welford's
/// figure differs from the two-pass one in the last bits, which would change the JSON.)
#[derive(Clone, Debug)]
pub struct EvalSums {
    episodes: usize,
    returns: Vec<f64>,
    return_sum: f64,
    welford_mean: f64,
    welford_m2: f64,
    successes: f64,
    compliant: f64,
    violations: f64,
    cost: f64,
    steps: f64,
    uptime: f64,
}

/// Episodes up to which [`EvalSums`] keeps the returns for the two-pass standard deviation.
pub const EXACT_STD_EPISODES: usize = 1 << 20;

impl Default for EvalSums {
    fn default() -> EvalSums {
        // What `Iterator::sum` starts from, so a running sum is bit-identical to one over a list.
        let zero: f64 = std::iter::empty::<f64>().sum();
        EvalSums {
            episodes: 0,
            returns: Vec::new(),
            return_sum: zero,
            welford_mean: 0.0,
            welford_m2: 0.0,
            successes: zero,
            compliant: zero,
            violations: zero,
            cost: zero,
            steps: zero,
            uptime: zero,
        }
    }
}

impl EvalSums {
    /// Adds one finished episode.
    pub fn add(&mut self, e: &EpisodeSummary) {
        self.episodes += 1;
        if self.episodes <= EXACT_STD_EPISODES {
            self.returns.push(e.episode_return);
        } else if !self.returns.is_empty() {
            self.returns = Vec::new();
        }
        self.return_sum += e.episode_return;
        let delta = e.episode_return - self.welford_mean;
        self.welford_mean += delta / self.episodes as f64;
        self.welford_m2 += delta * (e.episode_return - self.welford_mean);
        self.successes += f64::from(u8::from(e.success()));
        self.compliant += f64::from(u8::from(e.cost == 0.0));
        self.violations += f64::from(u8::from(e.outcome == Outcome::Violation));
        self.cost += e.cost;
        self.steps += f64::from(e.steps);
        self.uptime += e.uptime;
    }

    /// The report over the episodes added so far.
    pub fn report(&self) -> EvalReport {
        let n = self.episodes.max(1) as f64;
        let mean_return = self.return_sum / n;
        let var = if self.returns.len() == self.episodes {
            self.returns
                .iter()
                .map(|x| (x - mean_return) * (x - mean_return))
                .sum::<f64>()
                / n
        } else {
            self.welford_m2 / n
        };
        EvalReport {
            episodes: self.episodes,
            mean_return,
            std_return: var.sqrt(),
            success_rate: self.successes / n,
            compliance_rate: self.compliant / n,
            violation_rate: self.violations / n,
            mean_cost: self.cost / n,
            mean_steps: self.steps / n,
            mean_uptime: self.uptime / n,
        }
    }
}

/// Plays `episodes` episodes with seeds `seed, seed + 1, ...`, keeping every episode's summary.
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

/// Plays `episodes` episodes with seeds `seed, seed + 1, ...` and reports on them in constant
/// memory (what `ztgym eval` runs; the same report as [`evaluate`]).
pub fn evaluate_report(
    env: &mut Env,
    agent: &mut dyn Agent<Env>,
    episodes: u64,
    seed: u64,
    options: &ResetOptions,
) -> EvalReport {
    let mut sums = EvalSums::default();
    for i in 0..episodes {
        sums.add(&run_episode(
            env,
            agent,
            episode_seed(seed, i),
            options,
            |_, _, _| {},
        ));
    }
    sums.report()
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

/// One recorded step of the SRE gym (the core's [`ztgym_core::Recorded`]).
pub type Recorded = ztgym_core::Recorded<Env>;

/// The record of one SRE episode (the core's [`ztgym_core::EpisodeLog`]).
pub type EpisodeLog = ztgym_core::EpisodeLog<Env>;

#[cfg(test)]
mod tests {
    use super::*;

    fn summary(i: u64) -> EpisodeSummary {
        // Returns spread over several magnitudes, like real episodes.
        let x = ((i.wrapping_mul(0x9e37_79b9_7f4a_7c15) >> 40) as f64) / 1024.0 - 3000.0;
        EpisodeSummary {
            seed: i,
            episode_return: x,
            cost: (i % 3) as f64,
            steps: (i % 50) as u32,
            outcome: if i.is_multiple_of(5) {
                Outcome::Success
            } else {
                Outcome::Violation
            },
            uptime: 90.0 + (i % 10) as f64,
        }
    }

    /// The report before running sums: every figure over the whole list.
    fn list_report(all: &[EpisodeSummary]) -> EvalReport {
        let n = all.len().max(1) as f64;
        let mean = |f: &dyn Fn(&EpisodeSummary) -> f64| all.iter().map(f).sum::<f64>() / n;
        let mean_return = mean(&|e| e.episode_return);
        let var = mean(&|e| (e.episode_return - mean_return) * (e.episode_return - mean_return));
        EvalReport {
            episodes: all.len(),
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

    #[test]
    fn running_sums_match_the_list_report_bit_for_bit() {
        for n in [0, 1, 2, 13, 200, 5000] {
            let all: Vec<_> = (0..n).map(summary).collect();
            assert_eq!(
                EvalReport::from_episodes(&all),
                list_report(&all),
                "{n} episodes"
            );
        }
    }

    #[test]
    fn past_the_exact_window_welford_stays_close_in_constant_memory() {
        let n = EXACT_STD_EPISODES as u64 + 1000;
        let mut sums = EvalSums::default();
        let mut all = Vec::new();
        for i in 0..n {
            let s = summary(i);
            sums.add(&s);
            all.push(s);
        }
        assert!(
            sums.returns.is_empty(),
            "the returns are dropped past the window"
        );
        let (running, list) = (sums.report(), list_report(&all));
        assert_eq!(running.mean_return, list.mean_return);
        let rel = (running.std_return - list.std_return).abs() / list.std_return;
        assert!(rel < 1e-12, "{} vs {}", running.std_return, list.std_return);
    }
}
