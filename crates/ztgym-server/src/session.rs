//! One session: an environment and the messages that drive it. Plain Rust with no socket,
//! clock or task: [`Session::handle`] takes the session and one message and gives the reply
//! (and whether to close), so every message, well-formed or not, is tested without a network.
//! The socket layer (`server.rs`) only carries frames to it and replies back.

use crate::catalog::{Catalog, EnvEntry, RESET_KEYS};
use crate::mcp;
use crate::protocol::{mcp_reply, observation_reply, quote, state_reply, Code, WireError};
use serde_json::{json, Map, Value};
use std::sync::Arc;
use ztgym::registry::{JsonEnv, StepFailure};

/// One message as it came off the socket.
#[derive(Clone, Copy, Debug)]
pub enum Frame<'a> {
    Text(&'a str),
    Binary(&'a [u8]),
}

/// What to do after a message: send `reply` (if any), then close the connection if `close`.
#[derive(Clone, Debug, PartialEq)]
pub struct Response {
    pub reply: Option<Value>,
    pub close: bool,
}

impl Response {
    fn reply(v: Value) -> Response {
        Response {
            reply: Some(v),
            close: false,
        }
    }

    /// The error code of an error reply.
    pub fn error_code(&self) -> Option<&str> {
        let r = self.reply.as_ref()?;
        (r["type"] == "error").then(|| r["data"]["code"].as_str())?
    }
}

impl From<WireError> for Response {
    fn from(e: WireError) -> Response {
        Response::reply(e.to_json())
    }
}

/// The limits a session enforces on messages.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// The largest message read, in bytes; a longer one is answered with `VALIDATION_ERROR`.
    pub max_message: usize,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            max_message: 1 << 20,
        }
    }
}

/// One client's environment and episode.
pub struct Session {
    catalog: Arc<Catalog>,
    limits: Limits,
    /// A number for the server's bookkeeping; episode ids are made from it.
    id: u64,
    /// Seeds of resets that give none are drawn from this stream.
    nonce: u64,
    entry: usize,
    scenario: String,
    env: Box<dyn JsonEnv>,
    episode_id: Option<String>,
    episodes: u64,
    started: bool,
    done: bool,
}

fn validation(message: impl Into<String>) -> WireError {
    WireError::new(Code::ValidationError, message)
}

/// 2^64: seeds written as floats must be below it (every integral float below is a u64).
const SEED_BOUND: f64 = 18_446_744_073_709_551_616.0;

/// splitmix64: the seed of the n-th episode of a session that gives no seed.
fn draw_seed(nonce: u64, n: u64) -> u64 {
    let mut z = nonce.wrapping_add(n.wrapping_add(1).wrapping_mul(0x9E37_79B9_7F4A_7C15));
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    (z ^ (z >> 31)) >> 11 // 53 bits: exact as a JSON number in every client
}

impl Session {
    /// A session on the catalog's default environment and its default scenario, not yet reset.
    pub fn new(
        catalog: Arc<Catalog>,
        limits: Limits,
        id: u64,
        nonce: u64,
    ) -> Result<Session, WireError> {
        let entry = catalog.default;
        let e = &catalog.envs[entry];
        let env = catalog
            .make(entry, e.default_scenario)
            .map_err(|m| WireError::new(Code::FactoryError, m))?;
        Ok(Session {
            scenario: e.default_scenario.to_string(),
            catalog,
            limits,
            id,
            nonce,
            entry,
            env,
            episode_id: None,
            episodes: 0,
            started: false,
            done: false,
        })
    }

    /// The environment played.
    pub fn entry(&self) -> &EnvEntry {
        &self.catalog.envs[self.entry]
    }

    /// Whether an episode is under way (reset, not yet over).
    pub fn in_episode(&self) -> bool {
        self.started && !self.done
    }

    /// Answers one message. Never panics on any input (a property test holds it to that);
    /// an error leaves the session as it was.
    pub fn handle(&mut self, frame: Frame<'_>) -> Response {
        match frame {
            Frame::Binary(b) => WireError::new(
                Code::InvalidJson,
                format!(
                    "Invalid JSON: a binary frame ({} bytes); send each message as a JSON text frame",
                    b.len()
                ),
            )
            .into(),
            Frame::Text(t) if t.len() > self.limits.max_message => validation(format!(
                "message too large: {} bytes, the limit is {}",
                t.len(),
                self.limits.max_message
            ))
            .into(),
            Frame::Text(t) => match serde_json::from_str::<Value>(t) {
                Ok(v) => self.handle_value(v),
                Err(e) => WireError::new(Code::InvalidJson, format!("Invalid JSON: {e}")).into(),
            },
        }
    }

    /// Answers one message that parsed as JSON.
    pub fn handle_value(&mut self, message: Value) -> Response {
        let Value::Object(mut m) = message else {
            return validation(
                "Invalid message: a message is a JSON object {\"type\": ..., \"data\": ...}",
            )
            .into();
        };
        let kind = match m.get("type") {
            Some(Value::String(t)) => t.clone(),
            Some(other) => other.to_string(),
            None => String::new(),
        };
        let allowed: &[&str] = match kind.as_str() {
            "reset" | "step" | "mcp" => &["type", "data"],
            "state" | "close" => &["type"],
            _ => {
                return WireError::new(
                    Code::UnknownType,
                    format!(
                        "Unknown message type: {} (known: reset, step, state, close, mcp)",
                        quote(&kind)
                    ),
                )
                .into()
            }
        };
        if let Some(k) = m.keys().find(|k| !allowed.contains(&k.as_str())) {
            return validation(format!(
                "Invalid message: {kind} takes no field \"{}\"",
                quote(k)
            ))
            .into();
        }
        let data = m.remove("data");
        let result = match kind.as_str() {
            "reset" => match data {
                None | Some(Value::Null) => self.reset(Map::new()).map(observation_reply),
                Some(Value::Object(d)) => self.reset(d).map(observation_reply),
                Some(_) => Err(validation(
                    "Invalid message: reset's data must be an object",
                )),
            },
            "step" => match data {
                Some(Value::Object(d)) => self.step(d).map(observation_reply),
                Some(_) => Err(validation(
                    "Invalid message: step's data must be an object (the action)",
                )),
                None => Err(validation("Invalid message: step needs data (the action)")),
            },
            "state" => Ok(state_reply(self.state())),
            "close" => {
                return Response {
                    reply: None,
                    close: true,
                }
            }
            _ => match data {
                Some(d @ Value::Object(_)) => Ok(mcp_reply(self.mcp(&d))),
                _ => Err(validation(
                    "Invalid message: mcp's data must be a JSON-RPC request object",
                )),
            },
        };
        match result {
            Ok(v) => Response::reply(v),
            Err(e) => e.into(),
        }
    }

    /// Starts an episode (the reply's data, `{"observation", "reward", "done"}`): `seed`, `episode_id`, `env`, `scenario` (or `task`), and the rest as
    /// the environment's reset options.
    pub fn reset(&mut self, mut data: Map<String, Value>) -> Result<Value, WireError> {
        let seed = match data.remove("seed") {
            None | Some(Value::Null) => draw_seed(self.nonce, self.episodes),
            // A JSON number with no fraction is an integer (JSON Schema's reading): 7.0 is 7.
            Some(v) => v
                .as_u64()
                .or_else(|| {
                    v.as_f64()
                        .filter(|f| f.fract() == 0.0 && (0.0..SEED_BOUND).contains(f))
                        .map(|f| f as u64)
                })
                .ok_or_else(|| {
                    validation(format!(
                        "seed: {} is not a whole number >= 0",
                        quote(&v.to_string())
                    ))
                })?,
        };
        let episode_id = match data.remove("episode_id") {
            None | Some(Value::Null) => format!("{:x}-{}", self.id, self.episodes + 1),
            Some(Value::String(s)) if s.len() <= 255 => s,
            Some(_) => return Err(validation("episode_id: a string of at most 255 bytes")),
        };
        let env_id = match data.remove("env") {
            None | Some(Value::Null) => None,
            Some(Value::String(s)) => Some(s),
            Some(v) => {
                return Err(validation(format!(
                    "env: {} is not an environment id",
                    quote(&v.to_string())
                )))
            }
        };
        if data.contains_key("scenario") && data.contains_key("task") {
            return Err(validation(
                "scenario and task are two names of one field: give one",
            ));
        }
        let mut scenario = None;
        for key in ["scenario", "task"] {
            match data.remove(key) {
                None | Some(Value::Null) => {}
                Some(Value::String(s)) => scenario = Some(s),
                Some(v) => {
                    return Err(validation(format!(
                        "{key}: {} is not a scenario name",
                        quote(&v.to_string())
                    )))
                }
            }
        }
        debug_assert!(RESET_KEYS.iter().all(|k| !data.contains_key(*k)));
        let (entry, scenario) = self.resolve(env_id.as_deref(), scenario.as_deref())?;
        let options = if data.is_empty() {
            Value::Null
        } else {
            Value::Object(data)
        };
        // A new environment is made only when the environment or scenario changes, so the
        // curriculum (kept by the environment) carries over from one episode to the next.
        let mut fresh = None;
        let env: &mut Box<dyn JsonEnv> = if entry == self.entry && scenario == self.scenario {
            &mut self.env
        } else {
            fresh.insert(self.make(entry, &scenario)?)
        };
        let out = env.reset(seed, &options).map_err(validation)?;
        if let Some(made) = fresh {
            self.env = made;
            self.entry = entry;
            self.scenario = scenario;
        }
        self.episode_id = Some(episode_id);
        self.episodes += 1;
        self.started = true;
        self.done = false;
        Ok(json!({
            "observation": wire_observation(out),
            "reward": null,
            "done": false,
        }))
    }

    /// The environment and scenario a reset names: absent, the session's (a new environment's
    /// default scenario when only the environment changes).
    fn resolve(
        &self,
        env: Option<&str>,
        scenario: Option<&str>,
    ) -> Result<(usize, String), WireError> {
        let entry = match env {
            None => self.entry,
            Some(id) => self
                .catalog
                .find(id)
                .ok_or_else(|| validation(self.catalog.unknown_env(id)))?,
        };
        let scenario = match scenario {
            Some(s) => self.catalog.scenario(entry, s).map_err(validation)?,
            None if entry == self.entry => self.scenario.clone(),
            None => self.catalog.envs[entry].default_scenario.to_string(),
        };
        Ok((entry, scenario))
    }

    fn make(&self, entry: usize, scenario: &str) -> Result<Box<dyn JsonEnv>, WireError> {
        self.catalog.make(entry, scenario).map_err(validation)
    }

    /// Switches to another environment or scenario without starting an episode (a fresh
    /// environment, as `GET /state` shows it).
    pub fn select(&mut self, env: Option<&str>, scenario: Option<&str>) -> Result<(), WireError> {
        let (entry, scenario) = self.resolve(env, scenario)?;
        if entry != self.entry || scenario != self.scenario {
            self.env = self.make(entry, &scenario)?;
            self.entry = entry;
            self.scenario = scenario;
            self.started = false;
            self.done = false;
            self.episode_id = None;
        }
        Ok(())
    }

    /// One step: `{"observation", "reward", "done"}`. A top-level `metadata` object (OpenEnv's
    /// `Action` base class carries one) is dropped before the action is read.
    pub fn step(&mut self, mut action: Map<String, Value>) -> Result<Value, WireError> {
        if matches!(action.get("metadata"), Some(Value::Object(_))) {
            action.remove("metadata");
        }
        let out = self
            .env
            .try_step(&Value::Object(action))
            .map_err(|e| match e {
                StepFailure::Action(m) => validation(m),
                StepFailure::Refused(m) => WireError::new(Code::ExecutionError, m),
            })?;
        let reward = out["reward"].as_f64().unwrap_or(0.0);
        let done = out["terminated"] == true || out["truncated"] == true;
        self.done = done;
        Ok(json!({
            "observation": wire_observation(out),
            "reward": reward,
            "done": done,
        }))
    }

    /// The state reply's data: the environment's state with `episode_id`, `step_count`, `env`.
    pub fn state(&self) -> Value {
        let mut out = Map::new();
        out.insert("episode_id".into(), json!(self.episode_id));
        out.insert("step_count".into(), json!(self.env.totals().steps));
        out.insert("env".into(), json!(self.entry().info.id));
        match self.env.state() {
            Value::Object(s) => {
                for (k, v) in s {
                    out.entry(k).or_insert(v);
                }
            }
            other => {
                out.insert("state".into(), other);
            }
        }
        Value::Object(out)
    }

    /// Answers a JSON-RPC request about this session's environment: `tools/call` steps it.
    pub fn mcp(&mut self, request: &Value) -> Value {
        let req = match mcp::parse(request) {
            Ok(r) => r,
            Err(e) => return e,
        };
        self.mcp_request(&req)
    }

    /// [`Session::mcp`] on a request that read.
    pub fn mcp_request(&mut self, req: &mcp::Request) -> Value {
        match req.method.as_str() {
            "initialize" => mcp::success(&req.id, mcp::initialize_result()),
            "ping" => mcp::success(&req.id, json!({})),
            m if m.starts_with("notifications/") => mcp::success(&req.id, json!({})),
            "tools/list" => mcp::success(&req.id, json!({"tools": self.entry().tools.list})),
            "tools/call" => {
                let Some(name) = req.params.get("name").and_then(Value::as_str) else {
                    return mcp::error(&req.id, mcp::INVALID_PARAMS, "Missing 'name' in params");
                };
                let arguments = match req.params.get("arguments") {
                    None | Some(Value::Null) => Map::new(),
                    Some(Value::Object(a)) => a.clone(),
                    Some(_) => {
                        return mcp::error(
                            &req.id,
                            mcp::INVALID_PARAMS,
                            "arguments must be an object",
                        )
                    }
                };
                let Some(Value::Object(action)) = self.entry().tools.action(name, arguments) else {
                    let known: Vec<String> = self
                        .entry()
                        .tools
                        .list
                        .iter()
                        .filter_map(|t| t["name"].as_str().map(String::from))
                        .collect();
                    return mcp::error(
                        &req.id,
                        mcp::INVALID_PARAMS,
                        format!(
                            "Tool not found: {} (tools: {})",
                            quote(name),
                            known.join(", ")
                        ),
                    );
                };
                match self.step(action) {
                    Ok(step) => mcp::success(&req.id, mcp::tool_result(&step)),
                    Err(e) => mcp::success(&req.id, mcp::tool_error(e.code.as_str(), &e.message)),
                }
            }
            other => mcp::error(
                &req.id,
                mcp::METHOD_NOT_FOUND,
                format!("Method not found: {}", quote(other)),
            ),
        }
    }
}

/// The observation object on the wire: the environment's observation with `prompt`, `info`,
/// `cost`, `terminated` and `truncated` beside its fields.
fn wire_observation(out: Value) -> Value {
    let Value::Object(mut out) = out else {
        return json!({});
    };
    let mut obs = match out.remove("observation") {
        Some(Value::Object(o)) => o,
        Some(other) => {
            let mut m = Map::new();
            m.insert("value".into(), other);
            m
        }
        None => Map::new(),
    };
    for key in ["prompt", "info"] {
        obs.insert(key.into(), out.remove(key).unwrap_or(Value::Null));
    }
    obs.insert("cost".into(), out.remove("cost").unwrap_or(json!(0.0)));
    for key in ["terminated", "truncated"] {
        obs.insert(key.into(), out.remove(key).unwrap_or(json!(false)));
    }
    Value::Object(obs)
}
