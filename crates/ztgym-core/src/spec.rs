//! What an environment says about itself, once, for every surface that serves it (the facade's
//! table, the CLI, the server): its id and name, its built-in scenarios, how to make it as a
//! JSON-in / JSON-out object ([`JsonEnv`]), its scenario files and its JSON Schemas.

use crate::command::pairs::PairsRequest;
use crate::command::{Args, Options, Reply};
use crate::learn::numeric::NumericEnv;
use crate::{Environment, Totals};
use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};
use std::fmt;
use std::path::Path;
use std::sync::Arc;

/// Who an environment is, for people and on the wire.
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

/// How an operator's scenario files of one environment lie in a scenarios folder
/// (`DIR/ID/...`, see the facade's `scenario_dir`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ScenarioFiles {
    /// Each scenario is a folder (else a file ending in [`ScenarioFiles::suffix`]).
    pub folders: bool,
    /// A scenario file's ending (`.toml`); unused for folders.
    pub suffix: &'static str,
    /// One entry as the layout shows it: `NAME.toml`, `NAME/`.
    pub layout: &'static str,
    /// What is said of an entry of another shape (after its path and `: `).
    pub refusal: &'static str,
}

/// One environment, described once: every surface reads it from the table of specs and from
/// nothing else.
pub trait EnvSpec: Sync + fmt::Debug {
    /// Its id, name, seed and summary.
    fn info(&self) -> &'static EnvInfo;
    /// Its id.
    fn id(&self) -> &'static str {
        self.info().id
    }
    /// The built-in scenarios (or tasks), in their own spelling.
    fn scenarios(&self) -> Vec<&'static str>;
    /// The scenario played when none is named.
    fn default_scenario(&self) -> &'static str;
    /// The built-in scenario `name` stands for in its own spelling (an alias such as triage's
    /// `l2` included); `None` when it names none.
    fn builtin_scenario(&self, name: &str) -> Option<&'static str> {
        self.scenarios().into_iter().find(|s| *s == name)
    }
    /// A fresh environment on built-in scenario `name` (already in its own spelling).
    fn make_builtin(&self, name: &'static str) -> Result<Box<dyn JsonEnv>, String>;
    /// How its scenario files lie in an operator's scenarios folder; `None`: it has none.
    fn scenario_files(&self) -> Option<ScenarioFiles> {
        None
    }
    /// Reads one scenario file (or folder) of the shape [`EnvSpec::scenario_files`] says;
    /// `shown` is the path escaped for messages.
    fn load_scenario(&self, path: &Path, shown: &str) -> Result<Loaded, String> {
        let _ = path;
        Err(format!("{shown}: {} has no scenario files", self.id()))
    }
    /// The built-in agents, by name.
    fn agents(&self) -> &'static [&'static str] {
        &[]
    }
    /// The learners that train on it (`q`, `q-lagrangian`, `bandit`).
    fn learners(&self) -> &'static [&'static str] {
        &[]
    }
    /// The `env` its policy files carry; `None`: it has no policy files.
    fn policy_env(&self) -> Option<&'static str> {
        None
    }
    /// The options the command line's `command` takes with this environment; `None`: it has
    /// no such command. Every environment lists its scenarios.
    fn options(&self, command: &str) -> Option<Options> {
        (command == "scenarios").then_some(Options {
            valued: &[],
            switches: &["json"],
        })
    }
    /// Whether a `--scenario` value names a file (an input no output may replace).
    fn is_scenario_file(&self, value: &str) -> bool {
        crate::command::names_a_file(value)
    }
    /// The command line's `command` (`eval`, `run`, `train`, `bench` or `scenarios`) with its
    /// options parsed as [`EnvSpec::options`] lists them: eval plays episodes of an agent and
    /// gives their figures, run one episode and its trajectory (and the environment's other
    /// records), train a learner and its policy file, bench steps per second, scenarios the
    /// built-in scenarios' names.
    fn command(&self, command: &str, args: &Args) -> Result<Reply, String> {
        match command {
            "scenarios" => Ok(list_scenarios(self)),
            _ => {
                let _ = args;
                Err(not_available(command, self.id()))
            }
        }
    }
    /// The environment as a neural-network trainer plays it (fixed-size observation vectors,
    /// abstract actions, a mask), for the Python package.
    fn numeric(&self, request: &NumericRequest) -> Result<Box<dyn NumericEnv>, String> {
        let _ = request;
        Err(not_available("numeric", self.id()))
    }
    /// `ztgym pairs`: counterfactual preference pairs.
    fn pairs(&self, request: &PairsRequest) -> Result<Reply, String> {
        let _ = request;
        Err(format!(
            "pairs: no preference pairs for --env {}",
            self.id()
        ))
    }
    /// The JSON Schemas of its types.
    #[cfg(feature = "schema")]
    fn schemas(&self) -> Result<Schemas, String> {
        Err(format!("{}: built without its schemas", self.id()))
    }
}

/// What [`EnvSpec::numeric`] makes: whoever asks may name files (a local Python caller, as a
/// CLI user may); a server never asks.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct NumericRequest<'a> {
    /// A built-in scenario (or task) or a scenario file; the default when `None`.
    pub scenario: Option<&'a str>,
    /// The level (the SRE gym's curriculum level, triage's task, harden's stage).
    pub level: Option<&'a str>,
    /// A Rego file judging the actions instead of the built-in gate.
    pub gate: Option<&'a str>,
}

/// The level named `name` among `V::ALL`; the error lists them.
pub fn parse_level<V: crate::learn::Variant>(name: &str) -> Result<V, String> {
    V::parse(name).ok_or_else(|| {
        let known: Vec<&str> = V::ALL.iter().map(|v| v.as_str()).collect();
        format!(
            "level: unknown level \"{}\" (known: {})",
            crate::text::shorten(name, 64),
            known.join(", ")
        )
    })
}

/// `ztgym scenarios` for an environment that says no more of its scenarios than their names.
pub fn list_scenarios(spec: &(impl EnvSpec + ?Sized)) -> Reply {
    let names = spec.scenarios();
    let value = json!({"env": spec.id(), "scenarios": names});
    Reply::new(value, names.join("\n"))
}

/// The error for a command an environment does not have.
pub fn not_available(command: &str, id: &str) -> String {
    format!("{command}: not available with --env {id}")
}

/// The spec of environment `id` among `envs`; the error lists the known ids.
pub fn find<'a>(envs: &[&'a dyn EnvSpec], id: &str) -> Result<&'a dyn EnvSpec, String> {
    envs.iter().copied().find(|e| e.id() == id).ok_or_else(|| {
        let known: Vec<&str> = envs.iter().map(|e| e.id()).collect();
        format!(
            "env: unknown environment \"{}\" (known: {})",
            crate::text::shorten(id, 64),
            known.join(", ")
        )
    })
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
        crate::text::shorten(name, 64),
        known.join(", ")
    )
}

/// Makes an environment on a scenario (its default when `None`): a built-in name, never a
/// path. Whatever else is named, the error is the same words (a client learns nothing of the
/// disk), with the name shortened and escaped.
pub fn make(spec: &dyn EnvSpec, scenario: Option<&str>) -> Result<Box<dyn JsonEnv>, String> {
    let name = scenario.unwrap_or(spec.default_scenario());
    let builtin = spec
        .builtin_scenario(name)
        .ok_or_else(|| unknown_scenario(spec.id(), name, &spec.scenarios()))?;
    spec.make_builtin(builtin)
}

/// A scenario read from a file once, by whoever may name files (the CLI's user, a server's
/// operator at start-up), then played by name: each session gets a fresh environment on it,
/// and no client's text is ever a path.
#[derive(Clone)]
pub struct Loaded {
    env: &'static str,
    name: String,
    make: Arc<dyn Fn() -> Result<Box<dyn JsonEnv>, String> + Send + Sync>,
}

impl Loaded {
    /// A scenario of environment `env` named `name`; `make` makes a fresh environment on it.
    pub fn new(
        env: &'static str,
        name: impl Into<String>,
        make: impl Fn() -> Result<Box<dyn JsonEnv>, String> + Send + Sync + 'static,
    ) -> Loaded {
        Loaded {
            env,
            name: name.into(),
            make: Arc::new(make),
        }
    }

    /// The environment it is a scenario of.
    pub fn env(&self) -> &'static str {
        self.env
    }

    /// Its name: the scenario's own.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// A fresh environment on it.
    pub fn make(&self) -> Result<Box<dyn JsonEnv>, String> {
        (self.make)()
    }
}

impl fmt::Debug for Loaded {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Loaded")
            .field("env", &self.env)
            .field("name", &self.name)
            .finish_non_exhaustive()
    }
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

impl fmt::Display for StepFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
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

/// Reads `action` as one of `E`'s actions; what does not read is a [`StepFailure::Action`].
pub fn parse_action<E: Environment>(action: &Value) -> Result<E::Action, StepFailure> {
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
    Ok(parsed)
}

/// Any [`Environment`] as a [`JsonEnv`].
pub struct JsonOf<E: Environment> {
    id: &'static str,
    env: E,
}

impl<E: Environment + Send + 'static> JsonOf<E> {
    /// `env`, driven through JSON, under environment id `id`.
    pub fn boxed(id: &'static str, env: E) -> Box<dyn JsonEnv> {
        Box::new(JsonOf { id, env })
    }
}

fn to_json(value: &impl Serialize) -> Value {
    serde_json::to_value(value).unwrap_or(Value::Null)
}

impl<E: Environment + Send> JsonEnv for JsonOf<E> {
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
        let action = parse_action::<E>(action)?;
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

/// The JSON Schemas of `E`'s types (each a root schema with its own `$defs`).
#[cfg(feature = "schema")]
pub fn schemas_of<E: Environment>() -> Schemas
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
