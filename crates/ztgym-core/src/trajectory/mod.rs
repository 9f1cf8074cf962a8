//! The trajectory file, one format for every environment and every surface (the CLI's
//! `run --trajectory`, the page's export, the Python package's writer): JSON lines, a header
//! naming the run (format and version, environment, scenario, reset options, seed, agent, the
//! files that shaped the environment), then one line per step with the action, its reward,
//! cost and end flags, and a digest of the observation it led to. The book's
//! `trajectory-format.md` documents it; [`read`] reads it within bounds, [`verify`] replays it.

pub mod read;
pub mod verify;

use crate::env::{Agent, Environment, Step};
use crate::eval::{digest, play_episode};
use serde::Serialize;
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;

/// The header's `format`.
pub const FORMAT: &str = "ztgym-trajectory";
/// The header's `version`: the only one this build writes and reads.
pub const VERSION: u64 = 1;

/// The first line: which run this is, enough to play it again.
#[derive(Clone, Debug, PartialEq)]
pub struct Header {
    /// The environment's id (`sre`, `harden`, `triage`).
    pub env: String,
    /// The scenario (or task) played, as the environment names it.
    pub scenario: String,
    /// The reset options as JSON (`null`: the defaults).
    pub options: Value,
    pub seed: u64,
    /// Who acted: a built-in agent's name, a policy's, `person`, or what a writer calls it.
    pub agent: String,
    /// The files that shaped the environment, by the option that named them (`gate`,
    /// `cve-feed`, `scenario` when it was a file); empty for built-in ones.
    pub inputs: BTreeMap<String, String>,
}

impl Header {
    /// The header of a run of `env` on `scenario` from `seed` with `options`, played by `agent`.
    pub fn new(
        env: &str,
        scenario: &str,
        options: &impl Serialize,
        seed: u64,
        agent: &str,
    ) -> Header {
        Header {
            env: env.to_string(),
            scenario: scenario.to_string(),
            options: serde_json::to_value(options).unwrap_or(Value::Null),
            seed,
            agent: agent.to_string(),
            inputs: BTreeMap::new(),
        }
    }

    /// The same header with the files that shaped the environment.
    pub fn with_inputs(mut self, inputs: &[(String, String)]) -> Header {
        self.inputs.extend(inputs.iter().cloned());
        self
    }

    /// The header's JSON line (without its `\n`).
    pub fn line(&self) -> String {
        json!({
            "format": FORMAT,
            "version": VERSION,
            "env": self.env,
            "scenario": self.scenario,
            "options": self.options,
            "seed": self.seed,
            "agent": self.agent,
            "inputs": self.inputs,
        })
        .to_string()
    }
}

/// One step: the action taken and what the environment answered.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct StepLine {
    /// The step's index from 0.
    pub t: u64,
    pub action: Value,
    pub reward: f64,
    pub cost: f64,
    pub terminated: bool,
    pub truncated: bool,
    /// [`observation_digest`] of the observation the step led to.
    pub observation_digest: String,
}

impl StepLine {
    /// Step `t` of a typed environment: `action` and its result.
    pub fn of<O: Serialize, I>(t: u64, action: &impl Serialize, step: &Step<O, I>) -> StepLine {
        StepLine {
            t,
            action: serde_json::to_value(action).unwrap_or(Value::Null),
            reward: step.reward,
            cost: step.cost,
            terminated: step.terminated,
            truncated: step.truncated,
            observation_digest: observation_digest(
                &serde_json::to_value(&step.observation).unwrap_or(Value::Null),
            ),
        }
    }

    /// Step `t` of an environment driven through JSON: `action` and the step it answered
    /// (`{"observation", "reward", "cost", "terminated", "truncated", ...}`).
    pub fn from_json(t: u64, action: &Value, step: &Value) -> StepLine {
        let number = |k: &str| step.get(k).and_then(Value::as_f64).unwrap_or(f64::NAN);
        let flag = |k: &str| step.get(k).and_then(Value::as_bool).unwrap_or(false);
        StepLine {
            t,
            action: action.clone(),
            reward: number("reward"),
            cost: number("cost"),
            terminated: flag("terminated"),
            truncated: flag("truncated"),
            observation_digest: observation_digest(step.get("observation").unwrap_or(&Value::Null)),
        }
    }

    /// Whether the episode ended here.
    pub fn done(&self) -> bool {
        self.terminated || self.truncated
    }

    /// The step's JSON line (without its `\n`).
    pub fn line(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }
}

/// A value's canonical JSON: object keys sorted at every depth, no spaces, numbers as
/// serde_json writes them (the shortest text that reads back as the same float).
pub fn canonical_json(value: &Value) -> String {
    fn sorted(value: &Value) -> Value {
        match value {
            Value::Object(map) => {
                let mut keys: Vec<&String> = map.keys().collect();
                keys.sort();
                let mut out = Map::new();
                for k in keys {
                    out.insert(k.clone(), sorted(&map[k]));
                }
                Value::Object(out)
            }
            Value::Array(items) => Value::Array(items.iter().map(sorted).collect()),
            other => other.clone(),
        }
    }
    // With serde_json's default map (sorted) the rebuild changes nothing; with an
    // insertion-ordered one it puts the keys in order.
    sorted(value).to_string()
}

/// An observation's digest: 64-bit FNV-1a over its [`canonical_json`], as 16 hex digits.
pub fn observation_digest(observation: &Value) -> String {
    format!("{:016x}", digest(&canonical_json(observation)))
}

/// A whole file: `header`'s line, then each step's, each ending in `\n`.
pub fn file_text<'a>(header: &Header, steps: impl IntoIterator<Item = &'a StepLine>) -> String {
    let mut out = header.line();
    out.push('\n');
    for s in steps {
        out.push_str(&s.line());
        out.push('\n');
    }
    out
}

/// Plays one episode of `agent` on `env` (environment `env_id`) from `seed` and gives its
/// trajectory file; `inputs` are the files that shaped the environment.
pub fn record<E: Environment>(
    env_id: &str,
    env: &mut E,
    agent: &mut dyn Agent<E>,
    seed: u64,
    options: &E::Options,
    inputs: &[(String, String)],
) -> String {
    let mut steps = Vec::new();
    play_episode(env, agent, seed, options, |_, action, step| {
        steps.push(StepLine::of(steps.len() as u64, action, step));
    });
    let header =
        Header::new(env_id, env.scenario_name(), options, seed, agent.name()).with_inputs(inputs);
    file_text(&header, &steps)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::trajectory::read::{parse, LIMITS};

    #[test]
    fn the_digest_reads_keys_in_order_whatever_order_they_came_in() {
        let a: Value =
            serde_json::from_str(r#"{"b": 1, "a": {"y": [1.5, "x"], "x": null}}"#).unwrap();
        let b = json!({"a": {"x": null, "y": [1.5, "x"]}, "b": 1});
        assert_eq!(
            canonical_json(&a),
            r#"{"a":{"x":null,"y":[1.5,"x"]},"b":1}"#
        );
        assert_eq!(observation_digest(&a), observation_digest(&b));
        assert_eq!(observation_digest(&a).len(), 16);
        assert_ne!(observation_digest(&a), observation_digest(&json!({"b": 2})));
    }

    #[test]
    fn a_file_written_reads_back_the_same() {
        let header = Header::new("sre", "classic", &json!({"level": null}), 9, "sop")
            .with_inputs(&[("gate".into(), "p.rego".into())]);
        let steps = [StepLine {
            t: 0,
            action: json!({"tool": "wait"}),
            reward: -0.1,
            cost: 0.0,
            terminated: false,
            truncated: true,
            observation_digest: observation_digest(&json!({"step": 1})),
        }];
        let text = file_text(&header, &steps);
        let back = parse(&text, &LIMITS).unwrap();
        assert_eq!(back.header, header);
        assert_eq!(back.steps, steps);
    }
}
