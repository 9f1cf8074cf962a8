//! A test environment, to prove that an environment plugs into every surface by one line:
//! count up to a target, adding 1 or 2 a step; reaching it pays, passing it costs. Shared by
//! the registry's, the CLI's and the server's tests (`#[path]` from the other crates).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::json;
use ztgym::core::command::{self, Args, Options, Reply};
use ztgym::core::spec::{schemas_of, EnvInfo, EnvSpec, JsonEnv, JsonOf, Schemas};
use ztgym::core::{Environment, Step, Totals};

/// The action: how much to add (1 or 2).
#[derive(Clone, Debug, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Add {
    pub by: u32,
}

/// What the agent sees, and the hidden state too.
#[derive(Clone, Debug, Serialize, JsonSchema)]
pub struct Count {
    pub count: u32,
    pub target: u32,
}

/// Beside each observation: the steps so far.
#[derive(Clone, Debug, Serialize, JsonSchema)]
pub struct CountInfo {
    pub steps: u32,
}

/// Reset options: where to start counting.
#[derive(Clone, Debug, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Start {
    #[serde(default)]
    pub start: u32,
}

#[derive(Clone, Debug)]
pub struct Counter {
    name: &'static str,
    target: u32,
    count: u32,
    totals: Totals,
}

impl Counter {
    pub fn new(name: &'static str) -> Counter {
        let target = if name == "to20" { 20 } else { 10 };
        let totals = Totals::default();
        Counter {
            name,
            target,
            count: 0,
            totals,
        }
    }

    fn observe(&self) -> Count {
        Count {
            count: self.count,
            target: self.target,
        }
    }
}

impl Environment for Counter {
    type Action = Add;
    type Observation = Count;
    type Info = CountInfo;
    type Options = Start;
    type State = Count;
    type Error = String;

    fn reset(&mut self, _seed: u64, options: Start) -> (Count, CountInfo) {
        self.count = options.start;
        self.totals = Totals::default();
        (self.observe(), CountInfo { steps: 0 })
    }

    fn step(&mut self, action: &Add) -> Result<Step<Count, CountInfo>, String> {
        if self.count >= self.target {
            return Err("the episode is over: reset".into());
        }
        if !(1..=2).contains(&action.by) {
            return Err(format!("add: by is 1 or 2, not {}", action.by));
        }
        self.count += action.by;
        let reward = if self.count == self.target { 1.0 } else { 0.0 };
        let cost = if self.count > self.target { 1.0 } else { 0.0 };
        self.totals.steps += 1;
        self.totals.episode_return += reward;
        self.totals.episode_cost += cost;
        self.totals.success = reward > 0.0;
        Ok(Step {
            observation: self.observe(),
            reward,
            cost,
            terminated: self.count >= self.target,
            truncated: false,
            info: CountInfo {
                steps: self.totals.steps,
            },
        })
    }

    fn state(&self) -> Count {
        self.observe()
    }

    fn totals(&self) -> Totals {
        self.totals
    }

    fn scenario_name(&self) -> &str {
        self.name
    }

    fn action_mask(_info: &CountInfo) -> serde_json::Value {
        json!([{"by": 1}, {"by": 2}])
    }

    fn prompt(observation: &Count) -> String {
        format!("count {} of {}", observation.count, observation.target)
    }
}

/// The counter's spec: what every surface reads.
#[derive(Debug)]
pub struct CounterSpec;

pub static COUNTER: CounterSpec = CounterSpec;

const INFO: EnvInfo = EnvInfo {
    id: "counter",
    name: "Counter",
    seed: "test",
    summary: "count to a target by ones and twos; passing it costs",
};

impl EnvSpec for CounterSpec {
    fn info(&self) -> &'static EnvInfo {
        &INFO
    }

    fn scenarios(&self) -> Vec<&'static str> {
        vec!["to10", "to20"]
    }

    fn default_scenario(&self) -> &'static str {
        "to10"
    }

    fn make_builtin(&self, name: &'static str) -> Result<Box<dyn JsonEnv>, String> {
        Ok(JsonOf::boxed(INFO.id, Counter::new(name)))
    }

    fn options(&self, name: &str) -> Option<Options> {
        match name {
            "eval" => Some(Options {
                valued: &["scenario", "episodes", "by"],
                switches: &["json"],
            }),
            _ => (name == "scenarios").then_some(Options {
                valued: &[],
                switches: &["json"],
            }),
        }
    }

    /// `eval`: episodes of an agent that always adds `--by`.
    fn command(&self, name: &str, args: &Args) -> Result<Reply, String> {
        if name == "scenarios" {
            return Ok(ztgym::core::spec::list_scenarios(self));
        }
        let scenario = args.get("scenario").unwrap_or("to10");
        let scenario = self.builtin_scenario(scenario).ok_or_else(|| {
            ztgym::core::spec::unknown_scenario("counter", scenario, &self.scenarios())
        })?;
        let episodes = args.count("eval", "episodes", 3, command::MAX_EPISODES)?;
        let by: u32 = args.number("eval", "by", 1)?;
        let mut env = Counter::new(scenario);
        let (mut ret, mut cost) = (0.0, 0.0);
        for seed in 0..episodes {
            env.reset(seed, Start::default());
            while env.step(&Add { by }).is_ok_and(|s| !s.done()) {}
            ret += env.totals().episode_return;
            cost += env.totals().episode_cost;
        }
        let value = json!({"env": "counter", "scenario": scenario, "episodes": episodes,
                           "return": ret, "cost": cost});
        let human = format!("adding {by} on {scenario}: return {ret}, cost {cost}");
        Ok(Reply::new(value, human))
    }

    fn schemas(&self) -> Result<Schemas, String> {
        Ok(schemas_of::<Counter>())
    }
}
