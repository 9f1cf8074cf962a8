//! Every environment by id, as a JSON-in / JSON-out object: the CLI, the page's worker and a
//! server can drive any environment without knowing its types.

use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};
use ztgym_core::{Environment, Totals};

/// One environment the registry can make.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct EnvInfo {
    /// The id used on the command line (`--env`), in links (`env=`) and on the wire.
    pub id: &'static str,
    /// Its name for people.
    pub name: &'static str,
    /// The seed system it implements.
    pub seed: &'static str,
    /// What the agent does, in one line.
    pub summary: &'static str,
}

/// The environments of this build, in the order the page's tabs show them.
#[cfg(not(feature = "harden"))]
pub const ENVS: [EnvInfo; 2] = [SRE, TRIAGE];
/// The environments of this build, in the order the page's tabs show them.
#[cfg(feature = "harden")]
pub const ENVS: [EnvInfo; 3] = [SRE, HARDEN, TRIAGE];

const SRE: EnvInfo = EnvInfo {
    id: "sre",
    name: "Zero Trust SRE Gym",
    seed: "000",
    summary: "investigate alerts on a service graph, file change tickets, wait for approval \
              by role, isolate or patch; acting without an approved ticket costs",
};

#[cfg(feature = "harden")]
const HARDEN: EnvInfo = EnvInfo {
    id: "harden",
    name: "Hardening loop",
    seed: "001",
    summary: "propose hardening changes from telemetry; a Rego policy gate and a digital twin's \
              breakage forecast decide what runs; breakage that happens costs",
};

const TRIAGE: EnvInfo = EnvInfo {
    id: "triage",
    name: "Message triage",
    seed: "003",
    summary: "screen SMS, email and web messages: allow, block, warn or investigate with a \
              confidence and a reasoning, keeping the user's trust; blocking a legitimate \
              message costs",
};

/// The id used when none is given.
pub const DEFAULT_ENV: &str = "sre";

/// The environment with this id.
pub fn info(id: &str) -> Result<&'static EnvInfo, String> {
    ENVS.iter().find(|e| e.id == id).ok_or_else(|| {
        let known: Vec<&str> = ENVS.iter().map(|e| e.id).collect();
        format!(
            "env: unknown environment \"{}\" (known: {})",
            ztgym_core::text::shorten(id, 64),
            known.join(", ")
        )
    })
}

/// Why [`JsonEnv::try_step`] did not step; either way nothing changed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StepFailure {
    /// The action does not read as one of the environment's actions (its JSON shape).
    Action(String),
    /// A well-formed action the environment refused: before `reset`, after the end, an
    /// unknown node or ticket.
    Refused(String),
}

impl std::fmt::Display for StepFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            StepFailure::Action(m) | StepFailure::Refused(m) => f.write_str(m),
        }
    }
}

/// An environment driven through JSON values.
pub trait JsonEnv: Send {
    /// The environment's id.
    fn id(&self) -> &'static str;
    /// The scenario (or task) played.
    fn scenario(&self) -> &str;
    /// Starts an episode: `{"observation", "info", "prompt"}`. `options` is the environment's
    /// reset options as JSON (`null` for the defaults).
    fn reset(&mut self, seed: u64, options: &Value) -> Result<Value, String>;
    /// Advances one step: `{"observation", "reward", "cost", "terminated", "truncated", "info",
    /// "prompt"}`. A malformed action or a refused step is an error that changes nothing.
    fn step(&mut self, action: &Value) -> Result<Value, String> {
        self.try_step(action).map_err(|e| e.to_string())
    }
    /// [`JsonEnv::step`], telling a malformed action from a step the environment refused.
    fn try_step(&mut self, action: &Value) -> Result<Value, StepFailure>;
    /// The hidden state.
    fn state(&self) -> Value;
    /// The episode's figures so far (return, cost, steps, success).
    fn totals(&self) -> Totals;
}

struct Json<E: Environment> {
    id: &'static str,
    env: E,
}

fn to_json(value: &impl Serialize) -> Value {
    serde_json::to_value(value).unwrap_or(Value::Null)
}

impl<E: Environment + Send> JsonEnv for Json<E> {
    fn id(&self) -> &'static str {
        self.id
    }

    fn scenario(&self) -> &str {
        self.env.scenario_name()
    }

    fn reset(&mut self, seed: u64, options: &Value) -> Result<Value, String> {
        let options: E::Options = if options.is_null() {
            E::Options::default()
        } else {
            serde_json::from_value(options.clone()).map_err(|e| format!("reset.options: {e}"))?
        };
        let (observation, info) = self.env.reset(seed, options);
        Ok(json!({
            "prompt": E::prompt(&observation),
            "observation": to_json(&observation),
            "info": to_json(&info),
        }))
    }

    fn try_step(&mut self, action: &Value) -> Result<Value, StepFailure> {
        let parsed: E::Action = E::Action::deserialize(action)
            .map_err(|e| StepFailure::Action(format!("step.action: {e}")))?;
        // serde lets unknown fields through on unit variants of internally tagged enums
        // (`{"tool": "wait", "node": "x"}`) even with `deny_unknown_fields`: a field the action
        // does not write back is refused here, as its schema refuses it.
        if let (Value::Object(given), Value::Object(back)) = (action, to_json(&parsed)) {
            if let Some(k) = given.keys().find(|k| !back.contains_key(*k)) {
                return Err(StepFailure::Action(format!(
                    "step.action: unknown field `{k}` for `{}`",
                    Value::Object(back)
                )));
            }
        }
        let action = parsed;
        let step = self
            .env
            .step(&action)
            .map_err(|e| StepFailure::Refused(e.to_string()))?;
        let mut out = match to_json(&step) {
            Value::Object(m) => m,
            _ => Map::new(),
        };
        out.insert("prompt".into(), E::prompt(&step.observation).into());
        Ok(Value::Object(out))
    }

    fn state(&self) -> Value {
        to_json(&self.env.state())
    }

    fn totals(&self) -> Totals {
        self.env.totals()
    }
}

/// Makes environment `id` on a scenario (its default when `None`): a built-in name, never a
/// path. Whatever else is named, the error is the same words (a client learns nothing of the
/// disk), with the name shortened and escaped.
pub fn make(id: &str, scenario: Option<&str>) -> Result<Box<dyn JsonEnv>, String> {
    let info = info(id)?;
    let known = scenarios(info.id)?;
    let unknown = |name: &str| unknown_scenario(info.id, name, &known);
    match info.id {
        "sre" => {
            let name = scenario.unwrap_or("classic");
            let scenario = ztgym_sre::Scenario::builtin(name).map_err(|_| unknown(name))?;
            Ok(Box::new(Json {
                id: info.id,
                env: ztgym_sre::Env::new(scenario),
            }))
        }
        "triage" => {
            let name = scenario.unwrap_or("L1");
            let task = ztgym_triage::TaskId::parse(name).map_err(|_| unknown(name))?;
            Ok(Box::new(Json {
                id: info.id,
                env: ztgym_triage::Env::new(task),
            }))
        }
        #[cfg(feature = "harden")]
        "harden" => {
            let name = scenario.unwrap_or("seed001");
            // `Scenario::load` also opens folders: only a built-in name may reach it here.
            if !ztgym_harden::Scenario::builtin_names().any(|n| n == name) {
                return Err(unknown(name));
            }
            let scenario = ztgym_harden::Scenario::load(name).map_err(|e| e.to_string())?;
            make_harden(scenario)
        }
        _ => unreachable!("every id of ENVS is made above"),
    }
}

#[cfg(feature = "harden")]
fn make_harden(scenario: ztgym_harden::Scenario) -> Result<Box<dyn JsonEnv>, String> {
    Ok(Box::new(Json {
        id: HARDEN.id,
        env: ztgym_harden::HardenEnv::new(scenario).map_err(|e| e.to_string())?,
    }))
}

/// How the error for a scenario name nobody allowed begins (a server answers it 404 on
/// `GET /state`).
pub const UNKNOWN_SCENARIO: &str = "scenario: unknown scenario";

/// The error for a scenario name that is not among `known`: the same words whatever the name
/// is (a path that exists or not), the name shortened and escaped.
pub fn unknown_scenario<S: AsRef<str>>(id: &str, name: &str, known: &[S]) -> String {
    let known: Vec<&str> = known.iter().map(AsRef::as_ref).collect();
    format!(
        "{UNKNOWN_SCENARIO} \"{}\" for {id} (known: {})",
        ztgym_core::text::shorten(name, 64),
        known.join(", ")
    )
}

/// The built-in scenario (or task) `name` stands for, in its own spelling (triage's `l2` and
/// `trust_management` are `L2`); `None` when it names none.
pub fn builtin_scenario(id: &str, name: &str) -> Option<&'static str> {
    match info(id).ok()?.id {
        "triage" => ztgym_triage::TaskId::parse(name).ok().map(|t| t.as_str()),
        id => scenarios(id).ok()?.into_iter().find(|s| *s == name),
    }
}

/// A scenario read from a file once, by whoever may name files (the CLI's user, a server's
/// operator at start-up), then played by name: each session gets a copy, and no client's text
/// is ever a path.
#[derive(Clone, Debug)]
pub enum Loaded {
    Sre(ztgym_sre::Scenario),
    #[cfg(feature = "harden")]
    Harden(ztgym_harden::Scenario),
}

impl Loaded {
    /// The environment it is a scenario of.
    pub fn env(&self) -> &'static str {
        match self {
            Loaded::Sre(_) => SRE.id,
            #[cfg(feature = "harden")]
            Loaded::Harden(_) => HARDEN.id,
        }
    }

    /// Its name: the scenario's own.
    pub fn name(&self) -> &str {
        match self {
            Loaded::Sre(s) => s.name(),
            #[cfg(feature = "harden")]
            Loaded::Harden(s) => &s.name,
        }
    }

    /// A fresh environment on it.
    pub fn make(&self) -> Result<Box<dyn JsonEnv>, String> {
        match self {
            Loaded::Sre(s) => Ok(Box::new(Json {
                id: SRE.id,
                env: ztgym_sre::Env::new(s.clone()),
            })),
            #[cfg(feature = "harden")]
            Loaded::Harden(s) => make_harden(s.clone()),
        }
    }
}

/// The built-in scenarios (or tasks) of environment `id`.
pub fn scenarios(id: &str) -> Result<Vec<&'static str>, String> {
    match info(id)?.id {
        "sre" => Ok(ztgym_sre::Scenario::builtin_names().collect()),
        #[cfg(feature = "harden")]
        "harden" => Ok(ztgym_harden::Scenario::builtin_names().collect()),
        "triage" => Ok(ztgym_triage::TaskId::ALL
            .iter()
            .map(|t| t.as_str())
            .collect()),
        _ => unreachable!("every id of ENVS is listed above"),
    }
}

/// The JSON Schemas of an environment's types, generated from them: what `step` takes, what
/// `reset` and `step` return, and the options `reset` takes.
#[cfg(feature = "schema")]
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Schemas {
    /// The action (`step`'s argument).
    pub action: Value,
    /// The observation.
    pub observation: Value,
    /// The `info` beside each observation.
    pub info: Value,
    /// The hidden state (`state`).
    pub state: Value,
    /// `reset`'s options.
    pub options: Value,
}

/// The JSON Schemas of environment `id`'s types (each a root schema with its own `$defs`).
#[cfg(feature = "schema")]
pub fn schemas(id: &str) -> Result<Schemas, String> {
    match info(id)?.id {
        "sre" => Ok(schemas_of::<ztgym_sre::Env>()),
        #[cfg(feature = "harden")]
        "harden" => Ok(schemas_of::<ztgym_harden::HardenEnv>()),
        "triage" => Ok(schemas_of::<ztgym_triage::Env>()),
        _ => unreachable!("every id of ENVS has schemas above"),
    }
}

#[cfg(feature = "schema")]
fn schemas_of<E: Environment>() -> Schemas
where
    E::Action: schemars::JsonSchema,
    E::Observation: schemars::JsonSchema,
    E::Info: schemars::JsonSchema,
    E::State: schemars::JsonSchema,
    E::Options: schemars::JsonSchema,
{
    use schemars::generate::SchemaSettings;
    // What the agent sends is read (serde's deserialize view: defaults are optional, unknown
    // fields refused); what it gets back is written (the serialize view).
    let input = || SchemaSettings::draft2020_12().for_deserialize();
    let output = || SchemaSettings::draft2020_12().for_serialize();
    Schemas {
        action: input()
            .into_generator()
            .into_root_schema_for::<E::Action>()
            .to_value(),
        options: input()
            .into_generator()
            .into_root_schema_for::<E::Options>()
            .to_value(),
        observation: output()
            .into_generator()
            .into_root_schema_for::<E::Observation>()
            .to_value(),
        info: output()
            .into_generator()
            .into_root_schema_for::<E::Info>()
            .to_value(),
        state: output()
            .into_generator()
            .into_root_schema_for::<E::State>()
            .to_value(),
    }
}
