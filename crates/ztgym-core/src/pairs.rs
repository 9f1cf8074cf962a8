//! Counterfactual preference pairs for any environment with an [`Adapter`]: at each step of an
//! episode played by a behaviour agent, every abstract action is replayed from the same state on
//! a clone of the environment, and the best outcome is paired with each clearly worse one.
//!
//! The outcome of an action is its step's reward minus `cost_weight` times its cost. The prompt
//! is the observation as text ([`Environment::prompt`]); `chosen` and `rejected` are the actions
//! as JSON text, the shape preference trainers (DPO) read.

use crate::env::{Agent, Environment};
use crate::learn::adapter::{actions, Adapter};
use serde::Serialize;

/// One preference pair.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Pair {
    pub prompt: String,
    /// The better action, as JSON text.
    pub chosen: String,
    /// The worse action, as JSON text.
    pub rejected: String,
    /// The chosen outcome minus the rejected one.
    pub margin: f64,
    pub chosen_reward: f64,
    pub rejected_reward: f64,
    pub chosen_cost: f64,
    pub rejected_cost: f64,
    /// Where it comes from.
    pub scenario: String,
    pub seed: u64,
    pub step: u32,
}

/// How pairs are made.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PairConfig {
    /// Outcome = reward - cost_weight x cost.
    pub cost_weight: f64,
    /// Pairs whose outcomes differ by less are dropped (no clear preference).
    pub min_margin: f64,
}

impl Default for PairConfig {
    fn default() -> Self {
        PairConfig {
            cost_weight: 1.0,
            min_margin: 0.05,
        }
    }
}

fn round9(x: f64) -> f64 {
    (x * 1e9).round() / 1e9
}

/// The pairs of one state: replays every abstract action on a clone of `env`.
pub fn pairs_at<A: Adapter>(
    env: &A::Env,
    adapter: &A,
    observation: &<A::Env as Environment>::Observation,
    config: PairConfig,
    seed: u64,
    step: u32,
) -> Vec<Pair>
where
    A::Env: Environment,
{
    let mut outcomes: Vec<(String, f64, f64, f64)> = Vec::new();
    for choice in 0..actions::<A>() {
        let action = adapter.action(choice, observation);
        let text = serde_json::to_string(&action).unwrap_or_default();
        if outcomes.iter().any(|o| o.0 == text) {
            continue;
        }
        let mut branch = env.clone();
        if let Ok(s) = branch.step(&action) {
            let value = s.reward - config.cost_weight * s.cost;
            outcomes.push((text, value, s.reward, s.cost));
        }
    }
    let Some(best) = outcomes
        .iter()
        .enumerate()
        .max_by(|a, b| a.1 .1.total_cmp(&b.1 .1).then(b.0.cmp(&a.0)))
        .map(|(i, _)| i)
    else {
        return Vec::new();
    };
    let prompt = <A::Env as Environment>::prompt(observation);
    let b = &outcomes[best];
    outcomes
        .iter()
        .filter(|o| b.1 - o.1 >= config.min_margin)
        .map(|o| Pair {
            prompt: prompt.clone(),
            chosen: b.0.clone(),
            rejected: o.0.clone(),
            margin: round9(b.1 - o.1),
            chosen_reward: b.2,
            rejected_reward: o.2,
            chosen_cost: b.3,
            rejected_cost: o.3,
            scenario: String::new(),
            seed,
            step,
        })
        .collect()
}

/// Plays `episodes` episodes (seeds `seed`, `seed + 1`, ...) with `agent` on `scenario` and
/// returns the pairs of every step.
pub fn collect<A: Adapter>(
    scenario: &A::Scenario,
    agent: &mut dyn Agent<A::Env>,
    episodes: u64,
    seed: u64,
    options: &<A::Env as Environment>::Options,
    config: PairConfig,
) -> Vec<Pair> {
    let mut env = A::environment(scenario);
    let mut adapter = A::new(scenario);
    let name = A::scenario_name(scenario).to_string();
    let mut out = Vec::new();
    for i in 0..episodes {
        let s = crate::eval::episode_seed(seed, i);
        let (mut obs, mut info) = env.reset(s, options.clone());
        agent.reset(s);
        adapter.reset();
        let mut t = 0u32;
        loop {
            adapter.observe(&obs);
            for mut p in pairs_at(&env, &adapter, &obs, config, s, t) {
                p.scenario.clone_from(&name);
                out.push(p);
            }
            let action = agent.act(&obs, &info);
            let Ok(step) = env.step(&action) else { break };
            let done = step.done();
            obs = step.observation;
            info = step.info;
            t += 1;
            if done {
                break;
            }
        }
    }
    out
}

/// Pairs as JSONL, one object per line.
pub fn to_jsonl(pairs: &[Pair]) -> String {
    let mut s = String::new();
    for p in pairs {
        s.push_str(&serde_json::to_string(p).unwrap_or_default());
        s.push('\n');
    }
    s
}
