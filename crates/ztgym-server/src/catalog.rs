//! What the server knows of every environment it serves, computed once at start from the
//! table of environment specs: ids, scenarios, the wire schemas (generated from the environments' types) and the
//! MCP tools (derived from the action schema).

use serde_json::{json, Map, Value};
use ztgym::core::spec::{self, EnvInfo, EnvSpec, JsonEnv, Loaded};

/// Keys the server adds to an environment's observation on the wire.
pub const OBSERVATION_EXTRAS: [&str; 5] = ["prompt", "info", "cost", "terminated", "truncated"];
/// Keys the server adds to an environment's state on the wire.
pub const STATE_EXTRAS: [&str; 3] = ["episode_id", "step_count", "env"];
/// Keys of `reset`'s data the server reads itself; the rest are the environment's options.
pub const RESET_KEYS: [&str; 5] = ["seed", "episode_id", "env", "scenario", "task"];

/// One environment served.
#[derive(Clone, Debug)]
pub struct EnvEntry {
    pub spec: &'static dyn EnvSpec,
    pub info: &'static EnvInfo,
    /// Every scenario a client may name: the built-in ones, then the operator's.
    pub scenarios: Vec<String>,
    /// The scenario played when a reset names none.
    pub default_scenario: &'static str,
    /// The scenarios the operator allowed at start-up (`--scenarios DIR`).
    pub loaded: Vec<Loaded>,
    /// `{action, observation, state, reset}` as sent on the wire.
    pub schemas: WireSchemas,
    pub tools: Tools,
}

/// The JSON Schemas of what goes over the wire for one environment.
#[derive(Clone, Debug, PartialEq)]
pub struct WireSchemas {
    /// A step's `data` (the environment's action).
    pub action: Value,
    /// The `observation` object of reset and step replies: the environment's observation with
    /// `prompt`, `info`, `cost`, `terminated` and `truncated` added.
    pub observation: Value,
    /// The `data` of a state reply: the environment's state with `episode_id`, `step_count`
    /// and `env` added.
    pub state: Value,
    /// A reset's `data`: `seed`, `episode_id`, `env`, `scenario` (or `task`) and the
    /// environment's reset options.
    pub reset: Value,
}

/// The environment's actions as MCP tools.
#[derive(Clone, Debug, PartialEq)]
pub struct Tools {
    /// The action's tag field (`tool` for the SRE gym) when each action variant is a tool;
    /// `None` when the whole action is one tool named `step`.
    pub tag: Option<String>,
    /// `[{name, description, inputSchema}]`, as `tools/list` returns them.
    pub list: Vec<Value>,
}

impl Tools {
    /// The action a `tools/call` of `name` with `arguments` stands for.
    pub fn action(&self, name: &str, arguments: Map<String, Value>) -> Option<Value> {
        if !self.list.iter().any(|t| t["name"] == name) {
            return None;
        }
        Some(match &self.tag {
            Some(tag) => {
                let mut action = Map::with_capacity(arguments.len() + 1);
                action.insert(tag.clone(), Value::String(name.into()));
                action.extend(arguments);
                Value::Object(action)
            }
            None => Value::Object(arguments),
        })
    }
}

/// Every environment served.
#[derive(Clone, Debug)]
pub struct Catalog {
    pub envs: Vec<EnvEntry>,
    /// Index in `envs` of the environment a session starts with.
    pub default: usize,
}

impl Catalog {
    /// Every environment of the facade's table; `default_env` is the one sessions start with.
    pub fn build(default_env: &str) -> Result<Catalog, String> {
        Catalog::with_scenarios(ztgym::registry::ENVS, default_env, Vec::new())
    }

    /// Every environment of `table`, with scenarios the operator loaded beside the built-in
    /// ones.
    pub fn with_scenarios(
        table: &[&'static dyn EnvSpec],
        default_env: &str,
        loaded: Vec<Loaded>,
    ) -> Result<Catalog, String> {
        let ids: Vec<&str> = table.iter().map(|e| e.id()).collect();
        let mut envs = Vec::new();
        for e in table {
            let mine = loaded.iter().filter(|l| l.env() == e.id()).cloned();
            envs.push(entry(*e, &ids, mine.collect())?);
        }
        let catalog = Catalog { envs, default: 0 };
        let default = catalog
            .find(default_env)
            .ok_or_else(|| catalog.unknown_env(default_env))?;
        Ok(Catalog { default, ..catalog })
    }

    /// The error for an environment id not served: the known ones listed.
    pub fn unknown_env(&self, id: &str) -> String {
        let table: Vec<&dyn EnvSpec> = self.envs.iter().map(|e| e.spec).collect();
        spec::find(&table, id).err().unwrap_or_default()
    }

    /// The entry of environment `id`.
    pub fn find(&self, id: &str) -> Option<usize> {
        self.envs.iter().position(|e| e.info.id == id)
    }

    /// The scenario `name` stands for in entry `entry`: one the operator loaded, or a built-in
    /// one in its own spelling; `Err` is the error to answer, in the same words whatever the
    /// name is.
    pub fn scenario(&self, entry: usize, name: &str) -> Result<String, String> {
        let e = &self.envs[entry];
        if e.loaded.iter().any(|l| l.name() == name) {
            return Ok(name.to_string());
        }
        e.spec
            .builtin_scenario(name)
            .map(str::to_string)
            .ok_or_else(|| spec::unknown_scenario(e.info.id, name, &e.scenarios))
    }

    /// A fresh environment of entry `entry` on scenario `name` (see [`Catalog::scenario`]).
    pub fn make(&self, entry: usize, name: &str) -> Result<Box<dyn JsonEnv>, String> {
        let name = self.scenario(entry, name)?;
        let e = &self.envs[entry];
        match e.loaded.iter().find(|l| l.name() == name) {
            Some(l) => l.make(),
            None => spec::make(e.spec, Some(&name)),
        }
    }

    /// The entry of `id`, or the default one when `None`; an unknown id is the table's error.
    pub fn get(&self, id: Option<&str>) -> Result<&EnvEntry, String> {
        match id {
            None => Ok(&self.envs[self.default]),
            Some(id) => self
                .find(id)
                .map(|i| &self.envs[i])
                .ok_or_else(|| self.unknown_env(id)),
        }
    }

    /// `GET /metadata`: OpenEnv's `name` and `description`, and every environment served.
    pub fn metadata(&self) -> Value {
        let envs: Vec<Value> = self
            .envs
            .iter()
            .map(|e| {
                json!({
                    "id": e.info.id,
                    "name": e.info.name,
                    "seed": e.info.seed,
                    "description": e.info.summary,
                    "scenarios": e.scenarios,
                    "default_scenario": e.default_scenario,
                    "tools": e.tools.list.iter().map(|t| t["name"].clone()).collect::<Vec<_>>(),
                })
            })
            .collect();
        let ids: Vec<&str> = self.envs.iter().map(|e| e.info.id).collect();
        json!({
            "name": "ztgym",
            "description": format!(
                "Zero Trust Gym: deterministic constrained-MDP environments for security agents \
                 (reward and a separate cost for broken zero-trust rules). Environments: {}. \
                 Pick one with reset(env=..., scenario=..., seed=...).",
                ids.join(", ")
            ),
            "version": ztgym::VERSION,
            "author": "ztgym",
            "readme_content": null,
            "documentation_url": null,
            "default_env": self.envs[self.default].info.id,
            "envs": envs,
        })
    }
}

fn entry(
    spec: &'static dyn EnvSpec,
    ids: &[&str],
    loaded: Vec<Loaded>,
) -> Result<EnvEntry, String> {
    let info = spec.info();
    let builtin = spec.scenarios();
    let default_scenario = spec::make(spec, None)?.scenario().to_string();
    let default_scenario = builtin
        .iter()
        .copied()
        .find(|s| *s == default_scenario)
        .ok_or_else(|| {
            format!(
                "{}: default scenario {default_scenario:?} is not built in",
                info.id
            )
        })?;
    let s = spec.schemas()?;
    let observation = extend(
        info.id,
        s.observation,
        vec![
            (
                "prompt",
                json!({"type": "string", "description": "The observation as text, for language-model agents."}),
            ),
            ("info", s.info),
            (
                "cost",
                json!({"type": "number", "description": "What the step cost in broken rules (a channel apart from the reward)."}),
            ),
            (
                "terminated",
                json!({"type": "boolean", "description": "The episode ended by the rules."}),
            ),
            (
                "truncated",
                json!({"type": "boolean", "description": "The episode ran out of steps."}),
            ),
        ],
    )?;
    let state = extend(
        info.id,
        s.state,
        vec![
            ("episode_id", json!({"type": ["string", "null"]})),
            ("step_count", json!({"type": "integer", "minimum": 0})),
            ("env", json!({"const": info.id})),
        ],
    )?;
    let scenarios: Vec<String> = builtin
        .iter()
        .map(|s| s.to_string())
        .chain(loaded.iter().map(|l| l.name().to_string()))
        .collect();
    let reset = reset_schema(info.id, ids, &scenarios, s.options)?;
    let tools = tools(&s.action);
    Ok(EnvEntry {
        spec,
        info,
        scenarios,
        default_scenario,
        loaded,
        schemas: WireSchemas {
            action: s.action,
            observation,
            state,
            reset,
        },
        tools,
    })
}

/// Adds properties (each required) to an object schema; a property schema that is itself a
/// root schema has its `$defs` merged into the root's and its body stored as a definition.
fn extend(env: &str, mut root: Value, extra: Vec<(&str, Value)>) -> Result<Value, String> {
    let title = root["title"].as_str().unwrap_or("Value").to_string();
    let obj = root
        .as_object_mut()
        .filter(|o| o.get("type") == Some(&json!("object")))
        .ok_or_else(|| format!("{env}: the {title} schema is not an object"))?;
    let mut defs = match obj.remove("$defs") {
        Some(Value::Object(d)) => d,
        _ => Map::new(),
    };
    let mut props = match obj.remove("properties") {
        Some(Value::Object(p)) => p,
        _ => Map::new(),
    };
    let mut required = match obj.remove("required") {
        Some(Value::Array(r)) => r,
        _ => Vec::new(),
    };
    for (name, mut schema) in extra {
        if props.contains_key(name) {
            return Err(format!(
                "{env}: the {title} already has a field {name:?}, which the server adds on the wire"
            ));
        }
        if let Some(o) = schema.as_object_mut() {
            if let Some(Value::Object(sub)) = o.remove("$defs") {
                for (k, v) in sub {
                    if defs.get(&k).is_some_and(|old| old != &v) {
                        return Err(format!("{env}: two different schemas named {k:?}"));
                    }
                    defs.insert(k, v);
                }
            }
            if let Some(Value::String(t)) = o.remove("title") {
                o.remove("$schema");
                defs.insert(t.clone(), schema);
                schema = json!({ "$ref": format!("#/$defs/{t}") });
            }
        }
        props.insert(name.into(), schema);
        required.push(name.into());
    }
    obj.insert("properties".into(), Value::Object(props));
    obj.insert("required".into(), Value::Array(required));
    if !defs.is_empty() {
        obj.insert("$defs".into(), Value::Object(defs));
    }
    Ok(root)
}

/// An enum's values and `null` (which reads as the field left out).
fn with_null<T: AsRef<str>>(names: &[T]) -> Vec<Value> {
    let mut out: Vec<Value> = names.iter().map(|n| json!(n.as_ref())).collect();
    out.push(Value::Null);
    out
}

fn reset_schema(
    env: &str,
    ids: &[&str],
    scenarios: &[String],
    options: Value,
) -> Result<Value, String> {
    let mut root = json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "ResetData",
        "description": format!("A reset's data: the seed, the environment and scenario, and {env}'s reset options."),
        "type": "object",
        "properties": {
            "seed": {"type": ["integer", "null"], "minimum": 0, "maximum": u64::MAX, "description": "The episode's seed; absent: one is drawn (the state reports it)."},
            "episode_id": {"type": ["string", "null"], "maxLength": 255},
            "env": {"enum": with_null(ids), "description": "The environment; absent or null: the session's."},
            "scenario": {"enum": with_null(scenarios), "description": "The scenario (or task); absent or null: the session's, else the environment's default."},
            "task": {"enum": with_null(scenarios), "description": "Another name for scenario."},
        },
        "additionalProperties": false,
        // `scenario` and `task` are two names of one field: at most one is given.
        "dependentSchemas": {"task": {"properties": {"scenario": false}}},
    });
    let props = root["properties"].as_object_mut().expect("built above");
    if let Some(Value::Object(opts)) = options.get("properties") {
        for (k, v) in opts {
            if RESET_KEYS.contains(&k.as_str()) {
                return Err(format!(
                    "{env}: reset option {k:?} clashes with the server's"
                ));
            }
            props.insert(k.clone(), v.clone());
        }
    }
    if let Some(defs) = options.get("$defs") {
        root["$defs"] = defs.clone();
    }
    Ok(root)
}

/// The action schema as MCP tools: a `oneOf` whose branches each fix one tag property to a
/// constant becomes one tool per branch (named by the constant, its arguments the other
/// properties); any other action is one tool, `step`, taking the whole action.
pub fn tools(action: &Value) -> Tools {
    let defs = action.get("$defs").cloned();
    let with_defs = |mut schema: Value| {
        if let (Some(d), Some(o)) = (&defs, schema.as_object_mut()) {
            o.insert("$defs".into(), d.clone());
        }
        schema
    };
    if let Some((tag, branches)) = tagged_branches(action) {
        let list = branches
            .into_iter()
            .map(|(name, branch)| {
                let mut input = branch.clone();
                let description = input
                    .as_object_mut()
                    .and_then(|o| o.remove("description"))
                    .unwrap_or_else(|| json!(""));
                if let Some(p) = input.get_mut("properties").and_then(Value::as_object_mut) {
                    p.remove(&tag);
                }
                if let Some(r) = input.get_mut("required").and_then(Value::as_array_mut) {
                    r.retain(|x| x != &json!(tag));
                }
                if input.get("properties").is_none() {
                    input["properties"] = json!({});
                }
                json!({"name": name, "description": description, "inputSchema": with_defs(input)})
            })
            .collect();
        return Tools {
            tag: Some(tag),
            list,
        };
    }
    let mut input = action.clone();
    if let Some(o) = input.as_object_mut() {
        o.remove("$schema");
        o.remove("title");
    }
    Tools {
        tag: None,
        list: vec![
            json!({"name": "step", "description": "Take one action.", "inputSchema": input}),
        ],
    }
}

fn tagged_branches(action: &Value) -> Option<(String, Vec<(String, &Value)>)> {
    let branches = action.get("oneOf")?.as_array()?;
    let mut tag: Option<String> = None;
    let mut out = Vec::new();
    for b in branches {
        let props = b.get("properties")?.as_object()?;
        let (key, name) = props.iter().find_map(|(k, v)| {
            let c = v.get("const").or_else(|| {
                v.get("enum")
                    .and_then(Value::as_array)
                    .filter(|e| e.len() == 1)
                    .and_then(|e| e.first())
            })?;
            Some((k.clone(), c.as_str()?.to_string()))
        })?;
        match &tag {
            Some(t) if *t != key => return None,
            _ => tag = Some(key),
        }
        out.push((name, b));
    }
    Some((tag?, out))
}
