//! Playing whole episodes, and every step of one in full as JSON lines (what the golden
//! digests fingerprint; the trajectory file people exchange is [`crate::trajectory`]'s).

use crate::env::{Agent, Environment, Step};
use serde::Serialize;

/// The seed of episode `i` of a run started at `seed`.
pub fn episode_seed(seed: u64, i: u64) -> u64 {
    seed.wrapping_add(i)
}

/// Plays one episode; `on_step` sees each observation acted on, the action and its result.
/// Returns the last observation and info.
pub fn play_episode<E: Environment>(
    env: &mut E,
    agent: &mut dyn Agent<E>,
    seed: u64,
    options: &E::Options,
    mut on_step: impl FnMut(&E::Observation, &E::Action, &Step<E::Observation, E::Info>),
) -> (E::Observation, E::Info) {
    let (mut observation, mut info) = env.reset(seed, options.clone());
    agent.reset(seed);
    loop {
        let action = agent.act(&observation, &info);
        let step = match env.step(&action) {
            Ok(step) => step,
            // Built-in agents only send well-formed actions; stop rather than loop on a bug.
            Err(_) => break,
        };
        on_step(&observation, &action, &step);
        let done = step.done();
        observation = step.observation;
        info = step.info;
        if done {
            break;
        }
    }
    (observation, info)
}

/// One step in full as a JSON line: the observation acted on, the action, and its result.
pub fn trajectory_line<O: Serialize, A: Serialize, I: Serialize>(
    t: u32,
    observation: &O,
    action: &A,
    step: &Step<O, I>,
) -> String {
    #[derive(Serialize)]
    struct Line<'a, O, A, I> {
        t: u32,
        observation: &'a O,
        action: &'a A,
        reward: f64,
        cost: f64,
        terminated: bool,
        truncated: bool,
        info: &'a I,
    }
    serde_json::to_string(&Line {
        t,
        observation,
        action,
        reward: step.reward,
        cost: step.cost,
        terminated: step.terminated,
        truncated: step.truncated,
        info: &step.info,
    })
    .unwrap_or_default()
}

/// Every step of one episode in full as JSON lines (each ending in `\n`).
pub fn trajectory_jsonl<E: Environment>(
    env: &mut E,
    agent: &mut dyn Agent<E>,
    seed: u64,
    options: &E::Options,
) -> String {
    let mut out = String::new();
    let mut t = 0;
    play_episode(env, agent, seed, options, |obs, action, step| {
        out.push_str(&trajectory_line(t, obs, action, step));
        out.push('\n');
        t += 1;
    });
    out
}

/// A short fingerprint of a trajectory file (64-bit FNV-1a over its bytes), to compare runs on
/// different machines and targets at a glance.
pub fn digest(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}
