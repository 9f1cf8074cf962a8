//! Reading a policy file: every problem is collected with its JSON path before the file is
//! refused, so a person fixes them all at once.

use super::{Policy, PolicyError, Problem, TrainingInfo, FORMAT, VERSION};
use crate::json::{describe, join, mark_non_finite, Checker};
use crate::learn::trainer::shape;
use crate::learn::{Adapter, Hyperparameters, Kind, Model, Params, TrainingMetrics, Variant};
use serde_json::{Map, Value};

impl<A: Adapter> Policy<A> {
    /// Parses and checks a policy file. `file` names it in errors; with `scenario`, a policy
    /// for another scenario is refused.
    pub fn parse(file: &str, text: &str, scenario: Option<&str>) -> Result<Policy<A>, PolicyError> {
        self::parse(file, text, scenario)
    }
}

const TOP_LEVEL: [&str; 9] = [
    "format",
    "version",
    "env",
    "scenario",
    "kind",
    "features",
    "actions",
    "parameters",
    "training",
];

fn parse<A: Adapter>(
    file: &str,
    text: &str,
    scenario: Option<&str>,
) -> Result<Policy<A>, PolicyError> {
    let refuse = |problems: Vec<Problem>| PolicyError {
        file: file.to_string(),
        problems,
    };
    // A byte order mark is not JSON, but editors write one: accept it.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let marked = mark_non_finite(text);
    if let Err(p) = crate::json::refuse_duplicate_keys(&marked) {
        return Err(refuse(vec![p]));
    }
    let root: Value = match serde_json::from_str(&marked) {
        Ok(v) => v,
        Err(e) => {
            let what = if e.is_eof() {
                "the JSON ends too early (truncated file?)"
            } else {
                "not valid JSON"
            };
            return Err(refuse(vec![Problem {
                path: String::new(),
                message: format!("{what}: {e}"),
            }]));
        }
    };
    let mut c = Checker::default();
    let Some(obj) = root.as_object() else {
        c.problem("", "a policy file is a JSON object");
        return Err(refuse(c.problems));
    };

    // Format and version first: if either is foreign, nothing else can be read reliably.
    match c.field(obj, "", "format").map(|v| v.as_str()) {
        Some(Some(FORMAT)) => {}
        Some(_) => c.problem(
            "format",
            format!("must be {FORMAT:?}: this is not a ztgym policy file"),
        ),
        None => {}
    }
    match c.field(obj, "", "version") {
        Some(v) if v.as_u64() == Some(VERSION) => {}
        Some(v) => c.problem(
            "version",
            format!("version {v} is not supported: this build reads version {VERSION}"),
        ),
        None => {}
    }
    if !c.problems.is_empty() {
        return Err(refuse(c.problems));
    }
    for key in obj.keys().filter(|k| !TOP_LEVEL.contains(&k.as_str())) {
        c.problem(
            key,
            format!("unknown field (known: {})", TOP_LEVEL.join(", ")),
        );
    }
    if let Some(env) = c.string(obj, "", "env") {
        if env != A::POLICY_ENV {
            c.problem(
                "env",
                format!(
                    "the policy is for environment {env:?}, not {:?}",
                    A::POLICY_ENV
                ),
            );
        }
    }
    let policy_scenario = c.string(obj, "", "scenario").map(str::to_string);
    if let (Some(found), Some(wanted)) = (&policy_scenario, scenario) {
        if found != wanted {
            c.problem(
                "scenario",
                format!("the policy was trained on {found:?}; it cannot play {wanted:?}"),
            );
        }
    }
    let kind = match c.string(obj, "", "kind") {
        Some(k) => match Kind::parse(k) {
            Some(kind) => Some(kind),
            None => {
                let known: Vec<&str> = Kind::ALL.iter().map(|k| k.as_str()).collect();
                c.problem(
                    "kind",
                    format!("unknown kind {k:?} (known: {})", known.join(", ")),
                );
                None
            }
        },
        None => None,
    };
    let features: Vec<&str> = A::FEATURES.iter().map(|f| f.name).collect();
    c.names(obj, "features", &features, "this build's discretization");
    c.names(obj, "actions", A::ACTIONS, "this build's abstract actions");
    let model = match (c.object(obj, "", "parameters"), kind) {
        (Some(p), Some(kind)) => c.model(p, kind, shape::<A>()),
        _ => None,
    };
    let training = match (c.object(obj, "", "training"), kind) {
        (Some(t), Some(kind)) => c.training::<A::Level>(t, kind),
        _ => None,
    };
    match (policy_scenario, model, training) {
        (Some(scenario), Some(model), Some(training)) if c.problems.is_empty() => {
            Ok(Policy::new(scenario, model, training))
        }
        _ => Err(refuse(c.problems)),
    }
}

/// The policy file's own parts, read with the shared checker.
impl Checker {
    fn model(
        &mut self,
        p: &Map<String, Value>,
        kind: Kind,
        shape: crate::learn::model::Shape,
    ) -> Option<Model> {
        let (states, actions) = (shape.states, shape.actions);
        let known: &[&str] = match kind {
            Kind::Q => &["masked", "q", "visits"],
            Kind::QLagrangian => &["masked", "lambda", "q_reward", "q_cost", "visits"],
            Kind::Bandit => &["masked", "weights", "visits"],
        };
        for key in p.keys().filter(|k| !known.contains(&k.as_str())) {
            self.problem(
                &join("parameters", key),
                format!(
                    "unknown field for kind {:?} (known: {})",
                    kind.as_str(),
                    known.join(", ")
                ),
            );
        }
        let masked = self.field(p, "parameters", "masked").and_then(|v| {
            let b = v.as_bool();
            if b.is_none() {
                self.problem(
                    "parameters.masked",
                    format!("expected true or false, found {}", describe(v)),
                );
            }
            b
        });
        let params = match kind {
            Kind::Q => self
                .table(p, "parameters", "q", states, actions)
                .map(|q| Params::Q { q }),
            Kind::QLagrangian => {
                let lambda = self.field(p, "parameters", "lambda").and_then(|v| {
                    let x = self.number(v, "parameters.lambda")?;
                    if x < 0.0 {
                        self.problem(
                            "parameters.lambda",
                            format!("a multiplier is >= 0, found {x}"),
                        );
                        return None;
                    }
                    Some(x)
                });
                let q_reward = self.table(p, "parameters", "q_reward", states, actions);
                let q_cost = self.table(p, "parameters", "q_cost", states, actions);
                match (q_reward, q_cost, lambda) {
                    (Some(q_reward), Some(q_cost), Some(lambda)) => Some(Params::QLagrangian {
                        q_reward,
                        q_cost,
                        lambda,
                    }),
                    _ => None,
                }
            }
            Kind::Bandit => self
                .table(p, "parameters", "weights", actions, shape.vector_len)
                .map(|weights| Params::Bandit { weights }),
        };
        let visits = self.field(p, "parameters", "visits").and_then(|v| {
            let Some(a) = v.as_array() else {
                self.problem(
                    "parameters.visits",
                    format!(
                        "expected an array of {states} counts, found {}",
                        describe(v)
                    ),
                );
                return None;
            };
            if a.len() != states {
                self.problem(
                    "parameters.visits",
                    format!("expected {states} counts, found {}", a.len()),
                );
            }
            let mut out = Vec::with_capacity(a.len());
            let before = self.problems.len();
            for (k, n) in a.iter().enumerate() {
                match n.as_u64() {
                    Some(n) => out.push(n),
                    None => self.problem(
                        &format!("parameters.visits[{k}]"),
                        format!("expected a whole number >= 0, found {}", describe(n)),
                    ),
                }
            }
            (self.problems.len() == before).then_some(out)
        });
        Some(Model {
            params: params?,
            masked: masked?,
            visits: visits?,
        })
    }

    fn training<L: Variant>(
        &mut self,
        t: &Map<String, Value>,
        kind: Kind,
    ) -> Option<TrainingInfo<L>> {
        let known = [
            "algorithm",
            "hyperparameters",
            "episodes",
            "seed",
            "level",
            "final_metrics",
        ];
        for key in t.keys().filter(|k| !known.contains(&k.as_str())) {
            self.problem(
                &join("training", key),
                format!("unknown field (known: {})", known.join(", ")),
            );
        }
        let algorithm = self.string(t, "training", "algorithm").map(str::to_string);
        if let Some(a) = &algorithm {
            if a != kind.algorithm() {
                self.problem(
                    "training.algorithm",
                    format!(
                        "kind {:?} is trained by {:?}, found {a:?}",
                        kind.as_str(),
                        kind.algorithm()
                    ),
                );
            }
        }
        let hyperparameters = self
            .object(t, "training", "hyperparameters")
            .and_then(|h| self.hyperparameters(h, kind));
        let episodes = self.unsigned(t, "training", "episodes");
        let seed = self.unsigned(t, "training", "seed");
        let level = self.string(t, "training", "level").and_then(|l| {
            let level = L::parse(l);
            if level.is_none() {
                let known: Vec<&str> = L::ALL.iter().map(|l| l.as_str()).collect();
                self.problem(
                    "training.level",
                    format!("unknown level {l:?} (known: {})", known.join(", ")),
                );
            }
            level
        });
        let final_metrics = self
            .object(t, "training", "final_metrics")
            .and_then(|m| self.metrics(m));
        Some(TrainingInfo {
            algorithm: algorithm?,
            hyperparameters: hyperparameters?,
            episodes: episodes?,
            seed: seed?,
            level: level?,
            final_metrics: final_metrics?,
        })
    }

    fn hyperparameters(&mut self, h: &Map<String, Value>, kind: Kind) -> Option<Hyperparameters> {
        let mut out = Hyperparameters::defaults(kind);
        let fields = Hyperparameters::fields(kind);
        let before = self.problems.len();
        for (key, v) in h {
            let path = format!("training.hyperparameters.{key}");
            if !fields.contains(&key.as_str()) {
                self.problem(
                    &path,
                    format!(
                        "not a hyperparameter of kind {:?} (known: {})",
                        kind.as_str(),
                        fields.join(", ")
                    ),
                );
                continue;
            }
            let text = match v {
                Value::Bool(b) => b.to_string(),
                _ => match self.number(v, &path) {
                    Some(x) => v.as_u64().map_or(x.to_string(), |n| n.to_string()),
                    None => continue,
                },
            };
            if let Err(e) = out.set(key, &text) {
                self.problem(
                    &path,
                    e.split_once(": ").map_or(e.clone(), |(_, m)| m.to_string()),
                );
            }
        }
        for (field, p) in out.problems() {
            if fields.contains(&field) {
                self.problem(&format!("training.hyperparameters.{field}"), p);
            }
        }
        (self.problems.len() == before).then_some(out)
    }

    fn metrics(&mut self, m: &Map<String, Value>) -> Option<TrainingMetrics> {
        let base = "training.final_metrics";
        let num = |c: &mut Self, name: &str| {
            let v = c.field(m, base, name)?;
            c.number(v, &join(base, name))
        };
        let mean_return = num(self, "mean_return");
        let mean_cost = num(self, "mean_cost");
        let compliance_rate = num(self, "compliance_rate");
        let success_rate = num(self, "success_rate");
        let epsilon = num(self, "epsilon");
        let lambda = match m.get("lambda") {
            Some(v) => Some(self.number(v, &join(base, "lambda"))?),
            None => None,
        };
        let episodes = self.unsigned(m, base, "episodes");
        let window = self.unsigned(m, base, "window");
        Some(TrainingMetrics {
            episodes: episodes?,
            window: window? as usize,
            mean_return: mean_return?,
            mean_cost: mean_cost?,
            compliance_rate: compliance_rate?,
            success_rate: success_rate?,
            lambda,
            epsilon: epsilon?,
        })
    }
}
