//! Helpers shared by the server's tests: sessions, episodes played by the SOP agent, and a small
//! JSON Schema checker (the keywords schemars writes, and nothing else).
#![allow(dead_code)]

pub mod net;

use serde_json::{json, Value};
use std::sync::{Arc, OnceLock};
use ztgym::{builtin_agent, Action, Env, Level, ResetOptions, Scenario};
use ztgym_server::{Catalog, Frame, Limits, Response, Session};

pub fn catalog() -> Arc<Catalog> {
    static CATALOG: OnceLock<Arc<Catalog>> = OnceLock::new();
    CATALOG
        .get_or_init(|| Arc::new(Catalog::build("sre").expect("the catalog builds")))
        .clone()
}

pub const MAX_MESSAGE: usize = 64 * 1024;

pub fn session() -> Session {
    Session::new(
        catalog(),
        Limits {
            max_message: MAX_MESSAGE,
        },
        1,
        42,
    )
    .expect("a session on the default environment")
}

pub fn send(s: &mut Session, message: &Value) -> Response {
    s.handle(Frame::Text(&message.to_string()))
}

/// The reply, which must be there.
pub fn reply(s: &mut Session, message: &Value) -> Value {
    send(s, message).reply.expect("a reply")
}

pub fn reset(seed: u64, scenario: &str, level: &str) -> Value {
    json!({"type": "reset", "data": {"seed": seed, "scenario": scenario, "level": level}})
}

pub fn step(action: &Value) -> Value {
    json!({"type": "step", "data": action})
}

/// The SOP agent's actions for one episode, with the typed environment's observations, so a
/// session's replies can be compared with the simulator's own values.
pub struct Episode {
    pub actions: Vec<Value>,
    pub observations: Vec<Value>,
    pub rewards: Vec<f64>,
    pub state: Value,
}

pub fn sop_episode(scenario: &str, level: Level, seed: u64) -> Episode {
    episode("sop", scenario, level, seed)
}

/// An episode of a built-in agent (`sop`, `random`).
pub fn episode(agent: &str, scenario: &str, level: Level, seed: u64) -> Episode {
    let sc = Scenario::builtin(scenario).unwrap();
    let mut env = Env::new(sc.clone());
    let mut agent = builtin_agent(agent, &sc).unwrap();
    let (mut obs, mut info) = env.reset(
        seed,
        ResetOptions {
            level: Some(level),
            curriculum: false,
        },
    );
    agent.reset(seed);
    let mut out = Episode {
        actions: vec![],
        observations: vec![serde_json::to_value(&obs).unwrap()],
        rewards: vec![],
        state: Value::Null,
    };
    loop {
        let action: Action = agent.act(&obs, &info);
        let step = env.step(&action).unwrap();
        out.actions.push(serde_json::to_value(&action).unwrap());
        out.observations
            .push(serde_json::to_value(&step.observation).unwrap());
        out.rewards.push(step.reward);
        if step.terminated || step.truncated {
            break;
        }
        (obs, info) = (step.observation, step.info);
    }
    out.state = serde_json::to_value(env.state()).unwrap();
    out
}

/// Checks `value` against `schema` (with `root` holding the `$defs`); the problems, each with
/// its JSON path. An unknown keyword is a problem too, so the checker never passes a schema it
/// does not understand.
pub fn check(root: &Value, schema: &Value, value: &Value, path: &str, problems: &mut Vec<String>) {
    let Some(obj) = schema.as_object() else {
        if schema == &json!(false) {
            problems.push(format!("{path}: no value is allowed here"));
        }
        return;
    };
    for (k, s) in obj {
        match k.as_str() {
            "description" | "title" | "default" | "$schema" | "format" | "examples" | "$defs" => {}
            "$ref" => {
                let name = s.as_str().and_then(|r| r.strip_prefix("#/$defs/"));
                match name.and_then(|n| root["$defs"].get(n)) {
                    Some(target) => check(root, target, value, path, problems),
                    None => problems.push(format!("{path}: unresolved $ref {s}")),
                }
            }
            "const" => {
                if value != s {
                    problems.push(format!("{path}: {value} is not {s}"));
                }
            }
            "enum" => {
                if !s.as_array().is_some_and(|e| e.contains(value)) {
                    problems.push(format!("{path}: {value} is not one of {s}"));
                }
            }
            "type" => {
                let types: Vec<&str> = match s {
                    Value::String(t) => vec![t.as_str()],
                    Value::Array(a) => a.iter().filter_map(Value::as_str).collect(),
                    _ => vec![],
                };
                let ok = types.iter().any(|t| match *t {
                    "object" => value.is_object(),
                    "array" => value.is_array(),
                    "string" => value.is_string(),
                    "number" => value.is_number(),
                    "integer" => value.is_i64() || value.is_u64(),
                    "boolean" => value.is_boolean(),
                    "null" => value.is_null(),
                    _ => false,
                });
                if !ok {
                    problems.push(format!("{path}: {value} is not of type {s}"));
                }
            }
            "properties" => {
                if let (Some(props), Some(v)) = (s.as_object(), value.as_object()) {
                    for (name, sub) in props {
                        if let Some(x) = v.get(name) {
                            check(root, sub, x, &format!("{path}.{name}"), problems);
                        }
                    }
                }
            }
            "required" => {
                if let (Some(req), Some(v)) = (s.as_array(), value.as_object()) {
                    for r in req.iter().filter_map(Value::as_str) {
                        if !v.contains_key(r) {
                            problems.push(format!("{path}: missing {r}"));
                        }
                    }
                }
            }
            "additionalProperties" => {
                if let Some(v) = value.as_object() {
                    let props = obj.get("properties").and_then(Value::as_object);
                    for (name, x) in v {
                        if !props.is_some_and(|p| p.contains_key(name)) {
                            check(root, s, x, &format!("{path}.{name}"), problems);
                        }
                    }
                }
            }
            "items" => {
                if let Some(a) = value.as_array() {
                    for (i, x) in a.iter().enumerate() {
                        check(root, s, x, &format!("{path}[{i}]"), problems);
                    }
                }
            }
            "minItems" | "maxItems" => {
                if let (Some(a), Some(n)) = (value.as_array(), s.as_u64()) {
                    let bad = if k == "minItems" {
                        (a.len() as u64) < n
                    } else {
                        a.len() as u64 > n
                    };
                    if bad {
                        problems.push(format!("{path}: {} items, {k} {n}", a.len()));
                    }
                }
            }
            "minimum" | "maximum" => {
                if let (Some(x), Some(n)) = (value.as_f64(), s.as_f64()) {
                    if (k == "minimum" && x < n) || (k == "maximum" && x > n) {
                        problems.push(format!("{path}: {x} breaks {k} {n}"));
                    }
                }
            }
            "maxLength" | "minLength" => {
                if let (Some(x), Some(n)) = (value.as_str(), s.as_u64()) {
                    let len = x.chars().count() as u64;
                    if (k == "maxLength" && len > n) || (k == "minLength" && len < n) {
                        problems.push(format!("{path}: {len} characters, {k} {n}"));
                    }
                }
            }
            // The one pattern the types write: some character that is not white space.
            "pattern" if s == "\\S" => {
                if value
                    .as_str()
                    .is_some_and(|x| x.chars().all(char::is_whitespace))
                {
                    problems.push(format!("{path}: blank"));
                }
            }
            "oneOf" | "anyOf" => {
                let branches = s.as_array().map(Vec::as_slice).unwrap_or_default();
                let passing = branches
                    .iter()
                    .filter(|b| {
                        let mut p = vec![];
                        check(root, b, value, path, &mut p);
                        p.is_empty()
                    })
                    .count();
                let ok = if k == "oneOf" {
                    passing == 1
                } else {
                    passing >= 1
                };
                if !ok {
                    problems.push(format!("{path}: {passing} branches of {k} match {value}"));
                }
            }
            "dependentSchemas" => {
                if let (Some(v), Some(deps)) = (value.as_object(), s.as_object()) {
                    for (key, sub) in deps {
                        if v.contains_key(key) {
                            check(root, sub, value, path, problems);
                        }
                    }
                }
            }
            "allOf" => {
                for b in s.as_array().map(Vec::as_slice).unwrap_or_default() {
                    check(root, b, value, path, problems);
                }
            }
            other => problems.push(format!("{path}: the checker does not know keyword {other}")),
        }
    }
}

/// The problems of `value` against the root schema `schema`.
pub fn problems(schema: &Value, value: &Value) -> Vec<String> {
    let mut p = vec![];
    check(schema, schema, value, "$", &mut p);
    p
}

pub const LEVELS: [Level; 5] = [
    Level::Warmup,
    Level::Beginner,
    Level::Intermediate,
    Level::Advanced,
    Level::Expert,
];
