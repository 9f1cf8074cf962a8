//! Reading a trajectory file within bounds: its size, its lines' lengths and its number of
//! steps are capped before anything is parsed, and every problem names its line and field,
//! with the file's own text shortened and escaped.

use super::{Header, StepLine, FORMAT, VERSION};
use crate::text::shorten;
use serde_json::{Map, Value};
use std::collections::BTreeMap;

/// How much of a trajectory file is read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// The largest file, in bytes.
    pub max_bytes: usize,
    /// The most steps (lines after the header).
    pub max_steps: usize,
    /// The longest line, in bytes.
    pub max_line_bytes: usize,
}

/// The command line's bounds: far above any built-in episode (a few hundred steps, lines of
/// a few hundred bytes), far below what would strain memory.
pub const LIMITS: Limits = Limits {
    max_bytes: 16 * 1024 * 1024,
    max_steps: 10_000,
    max_line_bytes: 64 * 1024,
};

/// A trajectory file as read: its header and its steps in order.
#[derive(Clone, Debug, PartialEq)]
pub struct Trajectory {
    pub header: Header,
    pub steps: Vec<StepLine>,
}

/// The file line holding step `t` (the header is line 1).
pub fn line_of_step(t: usize) -> usize {
    t + 2
}

/// Reads `text` as a trajectory within `limits`. Blank lines at the end are allowed.
pub fn parse(text: &str, limits: &Limits) -> Result<Trajectory, String> {
    if text.len() > limits.max_bytes {
        return Err(format!(
            "the file is {} KB, more than a trajectory may have ({} KB)",
            text.len() / 1024,
            limits.max_bytes / 1024
        ));
    }
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let lines: Vec<&str> = text.trim_end().lines().collect();
    let Some((first, rest)) = lines.split_first().filter(|_| !text.trim().is_empty()) else {
        return Err("the file is empty: a trajectory starts with its header line".into());
    };
    if rest.len() > limits.max_steps {
        return Err(format!(
            "the run has {} steps, more than can be replayed here (at most {})",
            rest.len(),
            limits.max_steps
        ));
    }
    for (i, line) in lines.iter().enumerate() {
        if line.len() > limits.max_line_bytes {
            return Err(format!(
                "line {}: {} bytes, longer than a line may be ({})",
                i + 1,
                line.len(),
                limits.max_line_bytes
            ));
        }
    }
    let header = header(&object(1, first)?)?;
    let mut steps = Vec::with_capacity(rest.len());
    for (t, line) in rest.iter().enumerate() {
        steps.push(step(t, &object(super::read::line_of_step(t), line)?)?);
    }
    Ok(Trajectory { header, steps })
}

/// Line `n` read as a JSON object.
fn object(n: usize, line: &str) -> Result<Map<String, Value>, String> {
    match serde_json::from_str::<Value>(line) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(other) => Err(format!(
            "line {n}: expected a JSON object, found {}",
            kind(&other)
        )),
        Err(e) => Err(format!("line {n}: not JSON: {e}")),
    }
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// The fields of one line, each read with a message naming the line and the field.
struct Fields<'a> {
    n: usize,
    map: &'a Map<String, Value>,
}

impl Fields<'_> {
    fn get(&self, name: &str) -> Result<&Value, String> {
        self.map
            .get(name)
            .ok_or_else(|| format!("line {}: field {name} is missing", self.n))
    }

    fn wrong(&self, name: &str, expected: &str, found: &Value) -> String {
        format!(
            "line {}: field {name}: expected {expected}, found {}",
            self.n,
            shorten(&found.to_string(), 60)
        )
    }

    fn string(&self, name: &str) -> Result<String, String> {
        let v = self.get(name)?;
        v.as_str()
            .map(str::to_string)
            .ok_or_else(|| self.wrong(name, "a string", v))
    }

    fn unsigned(&self, name: &str) -> Result<u64, String> {
        let v = self.get(name)?;
        v.as_u64()
            .ok_or_else(|| self.wrong(name, "a whole number from 0", v))
    }

    fn number(&self, name: &str) -> Result<f64, String> {
        let v = self.get(name)?;
        v.as_f64().ok_or_else(|| self.wrong(name, "a number", v))
    }

    fn flag(&self, name: &str) -> Result<bool, String> {
        let v = self.get(name)?;
        v.as_bool()
            .ok_or_else(|| self.wrong(name, "true or false", v))
    }

    /// Refuses a field not among `known` (a misspelt field would otherwise go unread).
    fn only(&self, known: &[&str]) -> Result<(), String> {
        match self.map.keys().find(|k| !known.contains(&k.as_str())) {
            Some(k) => Err(format!(
                "line {}: unknown field \"{}\" (known: {})",
                self.n,
                shorten(k, 40),
                known.join(", ")
            )),
            None => Ok(()),
        }
    }
}

fn header(map: &Map<String, Value>) -> Result<Header, String> {
    let f = Fields { n: 1, map };
    let format = f.get("format").map_err(|_| {
        format!(
            "line 1: not a trajectory header (no field format; a {FORMAT} file starts with one)"
        )
    })?;
    if format.as_str() != Some(FORMAT) {
        return Err(f.wrong("format", &format!("\"{FORMAT}\""), format));
    }
    let version = f.unsigned("version")?;
    if version != VERSION {
        return Err(format!(
            "line 1: field version: version {version} is not known (this build reads version {VERSION})"
        ));
    }
    f.only(&[
        "format", "version", "env", "scenario", "options", "seed", "agent", "inputs",
    ])?;
    let inputs = match map.get("inputs") {
        None | Some(Value::Null) => BTreeMap::new(),
        Some(Value::Object(m)) => {
            let mut out = BTreeMap::new();
            for (k, v) in m {
                let path = v
                    .as_str()
                    .ok_or_else(|| f.wrong(&format!("inputs.{}", shorten(k, 40)), "a string", v))?;
                out.insert(k.clone(), path.to_string());
            }
            out
        }
        Some(other) => return Err(f.wrong("inputs", "an object", other)),
    };
    Ok(Header {
        env: f.string("env")?,
        scenario: f.string("scenario")?,
        options: map.get("options").cloned().unwrap_or(Value::Null),
        seed: f.unsigned("seed")?,
        agent: f.string("agent")?,
        inputs,
    })
}

fn step(t: usize, map: &Map<String, Value>) -> Result<StepLine, String> {
    let f = Fields {
        n: line_of_step(t),
        map,
    };
    f.only(&[
        "t",
        "action",
        "reward",
        "cost",
        "terminated",
        "truncated",
        "observation_digest",
    ])?;
    let at = f.unsigned("t")?;
    if at != t as u64 {
        return Err(format!(
            "line {}: field t: {at}, expected {t} (steps are numbered from 0, in order)",
            f.n
        ));
    }
    Ok(StepLine {
        t: at,
        action: f.get("action")?.clone(),
        reward: f.number("reward")?,
        cost: f.number("cost")?,
        terminated: f.flag("terminated")?,
        truncated: f.flag("truncated")?,
        observation_digest: f.string("observation_digest")?,
    })
}
