//! Every environment by id, as a JSON-in / JSON-out object: the CLI, the page's worker and a
//! server can drive any environment without knowing its types.

use serde::Serialize;
use serde_json::{json, Map, Value};
use ztgym_core::Environment;

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
pub const ENVS: [EnvInfo; 1] = [EnvInfo {
    id: "sre",
    name: "Zero Trust SRE Gym",
    seed: "000",
    summary: "investigate alerts on a service graph, file change tickets, wait for approval \
              by role, isolate or patch; acting without an approved ticket costs",
}];

/// The id used when none is given.
pub const DEFAULT_ENV: &str = "sre";

/// The environment with this id.
pub fn info(id: &str) -> Result<&'static EnvInfo, String> {
    ENVS.iter().find(|e| e.id == id).ok_or_else(|| {
        let known: Vec<&str> = ENVS.iter().map(|e| e.id).collect();
        format!(
            "env: unknown environment {id:?} (known: {})",
            known.join(", ")
        )
    })
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
    fn step(&mut self, action: &Value) -> Result<Value, String>;
    /// The hidden state.
    fn state(&self) -> Value;
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

    fn step(&mut self, action: &Value) -> Result<Value, String> {
        let action: E::Action =
            serde_json::from_value(action.clone()).map_err(|e| format!("step.action: {e}"))?;
        let step = self.env.step(&action).map_err(|e| e.to_string())?;
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
}

/// Makes environment `id` on a scenario (its default when `None`): a built-in name.
pub fn make(id: &str, scenario: Option<&str>) -> Result<Box<dyn JsonEnv>, String> {
    let info = info(id)?;
    match info.id {
        "sre" => {
            let scenario = ztgym_sre::Scenario::builtin(scenario.unwrap_or("classic"))
                .map_err(|e| e.to_string())?;
            Ok(Box::new(Json {
                id: info.id,
                env: ztgym_sre::Env::new(scenario),
            }))
        }
        _ => unreachable!("every id of ENVS is made above"),
    }
}

/// The built-in scenarios (or tasks) of environment `id`.
pub fn scenarios(id: &str) -> Result<Vec<&'static str>, String> {
    match info(id)?.id {
        "sre" => Ok(ztgym_sre::Scenario::builtin_names().collect()),
        _ => unreachable!("every id of ENVS is listed above"),
    }
}
