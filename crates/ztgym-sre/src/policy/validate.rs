//! Reading a policy file: every problem is collected with its JSON path before the file is
//! refused, so a person fixes them all at once.

use super::{Policy, PolicyError, Problem, TrainingInfo, ENV, FORMAT, VERSION};
use crate::curriculum::Level;
use crate::features::{FEATURES, STATES, VECTOR_LEN};
use crate::learn::executor::{AbstractAction, ACTIONS};
use crate::learn::{Hyperparameters, Kind, Model, Params, TrainingMetrics};
use serde_json::{Map, Value};

/// What a bare `NaN` / `Infinity` token (which JSON does not allow, but some tools write) is
/// turned into before parsing, so the problem can be reported at its path.
const NON_FINITE: &str = "\u{0}non-finite:";

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

pub(super) fn parse(file: &str, text: &str, scenario: Option<&str>) -> Result<Policy, PolicyError> {
    let refuse = |problems: Vec<Problem>| PolicyError {
        file: file.to_string(),
        problems,
    };
    let root: Value = match serde_json::from_str(&mark_non_finite(text)) {
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
        if env != ENV {
            c.problem(
                "env",
                format!("the policy is for environment {env:?}, not {ENV:?}"),
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
    let features: Vec<&str> = FEATURES.iter().map(|f| f.name).collect();
    c.names(obj, "features", &features, "this build's discretization");
    let actions: Vec<&str> = AbstractAction::ALL.iter().map(|a| a.as_str()).collect();
    c.names(obj, "actions", &actions, "this build's abstract actions");
    let model = match (c.object(obj, "", "parameters"), kind) {
        (Some(p), Some(kind)) => c.model(p, kind),
        _ => None,
    };
    let training = match (c.object(obj, "", "training"), kind) {
        (Some(t), Some(kind)) => c.training(t, kind),
        _ => None,
    };
    match (policy_scenario, model, training) {
        (Some(scenario), Some(model), Some(training)) if c.problems.is_empty() => Ok(Policy {
            scenario,
            model,
            training,
        }),
        _ => Err(refuse(c.problems)),
    }
}

/// Replaces bare `NaN`, `Infinity` and `-Infinity` outside strings by marker strings.
fn mark_non_finite(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut in_string = false;
    let mut escaped = false;
    let mut rest = text;
    while let Some(ch) = rest.chars().next() {
        if in_string {
            if escaped {
                escaped = false;
            } else if ch == '\\' {
                escaped = true;
            } else if ch == '"' {
                in_string = false;
            }
        } else if ch == '"' {
            in_string = true;
        } else if let Some(token) = ["NaN", "-Infinity", "Infinity"]
            .into_iter()
            .find(|t| rest.starts_with(t))
        {
            // Escaped in the JSON text; the parsed string starts with NON_FINITE.
            out.push_str("\"\\u0000non-finite:");
            out.push_str(token);
            out.push('"');
            rest = &rest[token.len()..];
            continue;
        }
        out.push(ch);
        rest = &rest[ch.len_utf8()..];
    }
    out
}

fn join(base: &str, name: &str) -> String {
    if base.is_empty() {
        name.to_string()
    } else {
        format!("{base}.{name}")
    }
}

fn describe(v: &Value) -> String {
    match v {
        Value::Null => "null".into(),
        Value::Bool(b) => format!("{b}"),
        Value::Number(n) => format!("the number {n}"),
        Value::String(s) => match s.strip_prefix(NON_FINITE) {
            Some(token) => token.to_string(),
            None => "a string".into(),
        },
        Value::Array(_) => "an array".into(),
        Value::Object(_) => "an object".into(),
    }
}

#[derive(Default)]
struct Checker {
    problems: Vec<Problem>,
}

impl Checker {
    fn problem(&mut self, path: &str, message: impl Into<String>) {
        self.problems.push(Problem {
            path: path.to_string(),
            message: message.into(),
        });
    }

    fn field<'v>(
        &mut self,
        obj: &'v Map<String, Value>,
        base: &str,
        name: &str,
    ) -> Option<&'v Value> {
        let v = obj.get(name);
        if v.is_none() {
            self.problem(&join(base, name), "missing");
        }
        v
    }

    fn string<'v>(
        &mut self,
        obj: &'v Map<String, Value>,
        base: &str,
        name: &str,
    ) -> Option<&'v str> {
        let v = self.field(obj, base, name)?;
        if v.as_str().is_none() || describe(v) != "a string" {
            self.problem(
                &join(base, name),
                format!("expected a string, found {}", describe(v)),
            );
            return None;
        }
        v.as_str()
    }

    fn object<'v>(
        &mut self,
        obj: &'v Map<String, Value>,
        base: &str,
        name: &str,
    ) -> Option<&'v Map<String, Value>> {
        let v = self.field(obj, base, name)?;
        let o = v.as_object();
        if o.is_none() {
            self.problem(
                &join(base, name),
                format!("expected an object, found {}", describe(v)),
            );
        }
        o
    }

    fn unsigned(&mut self, obj: &Map<String, Value>, base: &str, name: &str) -> Option<u64> {
        let v = self.field(obj, base, name)?;
        let n = v.as_u64();
        if n.is_none() {
            self.problem(
                &join(base, name),
                format!("expected a whole number >= 0, found {}", describe(v)),
            );
        }
        n
    }

    /// A finite number at `path`.
    fn number(&mut self, v: &Value, path: &str) -> Option<f64> {
        match v.as_f64() {
            Some(x) if x.is_finite() => Some(x),
            _ => {
                let what = describe(v);
                let message = match v {
                    Value::Null => "null is not a number (NaN and infinities are written as null by some tools)".to_string(),
                    Value::String(s) if s.starts_with(NON_FINITE) => format!("{what} is not a number"),
                    _ => format!("expected a number, found {what}"),
                };
                self.problem(path, message);
                None
            }
        }
    }

    fn names(&mut self, obj: &Map<String, Value>, name: &str, expected: &[&str], what: &str) {
        let Some(v) = self.field(obj, "", name) else {
            return;
        };
        let found: Option<Vec<&str>> = v
            .as_array()
            .and_then(|a| a.iter().map(Value::as_str).collect());
        if found.as_deref() != Some(expected) {
            self.problem(
                name,
                format!(
                    "must be [{}] ({what}), found {}",
                    expected.join(", "),
                    match found {
                        Some(f) => format!("[{}]", f.join(", ")),
                        None => describe(v),
                    }
                ),
            );
        }
    }

    /// A table of `rows` rows of `cols` finite numbers.
    fn table<const N: usize>(
        &mut self,
        obj: &Map<String, Value>,
        name: &str,
        rows: usize,
    ) -> Option<Vec<[f64; N]>> {
        let path = join("parameters", name);
        let v = self.field(obj, "parameters", name)?;
        let Some(a) = v.as_array() else {
            self.problem(
                &path,
                format!("expected an array of {rows} rows, found {}", describe(v)),
            );
            return None;
        };
        let before = self.problems.len();
        if a.len() != rows {
            self.problem(&path, format!("expected {rows} rows, found {}", a.len()));
        }
        let mut out = Vec::with_capacity(rows);
        for (r, row) in a.iter().enumerate() {
            let row_path = format!("{path}[{r}]");
            let Some(cells) = row.as_array() else {
                self.problem(
                    &row_path,
                    format!("expected an array of {N} numbers, found {}", describe(row)),
                );
                continue;
            };
            if cells.len() != N {
                self.problem(
                    &row_path,
                    format!("expected {N} numbers, found {}", cells.len()),
                );
            }
            let mut values = [0.0; N];
            for (k, cell) in cells.iter().enumerate() {
                if let Some(x) = self.number(cell, &format!("{row_path}[{k}]")) {
                    if k < N {
                        values[k] = x;
                    }
                }
            }
            out.push(values);
        }
        (self.problems.len() == before).then_some(out)
    }

    fn model(&mut self, p: &Map<String, Value>, kind: Kind) -> Option<Model> {
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
                .table::<ACTIONS>(p, "q", STATES)
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
                let q_reward = self.table::<ACTIONS>(p, "q_reward", STATES);
                let q_cost = self.table::<ACTIONS>(p, "q_cost", STATES);
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
                .table::<VECTOR_LEN>(p, "weights", ACTIONS)
                .map(|weights| Params::Bandit { weights }),
        };
        let visits = self.field(p, "parameters", "visits").and_then(|v| {
            let Some(a) = v.as_array() else {
                self.problem(
                    "parameters.visits",
                    format!(
                        "expected an array of {STATES} counts, found {}",
                        describe(v)
                    ),
                );
                return None;
            };
            if a.len() != STATES {
                self.problem(
                    "parameters.visits",
                    format!("expected {STATES} counts, found {}", a.len()),
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

    fn training(&mut self, t: &Map<String, Value>, kind: Kind) -> Option<TrainingInfo> {
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
            let level = Level::parse(l);
            if level.is_none() {
                let known: Vec<&str> = Level::ALL.iter().map(|l| l.as_str()).collect();
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
        let num = |c: &mut Checker, name: &str| {
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
