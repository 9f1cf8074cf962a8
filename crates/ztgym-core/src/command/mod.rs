//! The command line's environment commands (`eval`, `run`, `train`, `bench`, `pairs`,
//! `scenarios`) as an environment's spec answers them: the options parsed ([`Args`]), and a
//! [`Reply`] holding the JSON value, the text for people and the files to write. The CLI does
//! the writing (atomic, never over an input) and the printing; an environment reads the files
//! named on its command line through [`read`].

mod args;
pub mod pairs;

pub use args::Args;

use crate::fileio::{self, Kind, Outputs};
use serde_json::Value;
use std::path::Path;

/// The commands every environment may answer, in the order the usage lists them.
pub const COMMANDS: [&str; 6] = ["eval", "run", "train", "bench", "pairs", "scenarios"];

/// The most episodes `eval` and `train` run, and steps `bench` runs: far beyond any useful
/// run, and low enough that a typo (`--episodes 1000000000000`) is refused, not run for days.
pub const MAX_EPISODES: u64 = 100_000_000;
/// The most steps `bench` runs.
pub const MAX_BENCH_STEPS: u64 = 10_000_000_000;

/// What a command took: its options and switches (each without the `--`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Options {
    pub valued: &'static [&'static str],
    pub switches: &'static [&'static str],
}

/// A command's answer: printed as `value` with `--json`, else as `human`, after `writes` are
/// written in order.
#[derive(Clone, Debug, PartialEq)]
pub struct Reply {
    pub value: Value,
    pub human: String,
    /// Files to write: (path as given on the command line, contents).
    pub writes: Vec<(String, String)>,
}

impl Reply {
    /// A reply that writes nothing.
    pub fn new(value: Value, human: String) -> Reply {
        Reply {
            value,
            human,
            writes: Vec::new(),
        }
    }

    /// Adds a file to write.
    pub fn write(mut self, path: &str, text: String) -> Reply {
        self.writes.push((path.to_string(), text));
        self
    }
}

/// `bench`'s answer: `fields` (what was played) with the figures added.
pub fn bench_reply(mut fields: Value, steps: u64, episodes: u64, seconds: f64) -> Reply {
    let rate = steps as f64 / seconds;
    if let Value::Object(map) = &mut fields {
        map.insert("steps".into(), steps.into());
        map.insert("episodes".into(), episodes.into());
        map.insert("seconds".into(), seconds.into());
        map.insert("steps_per_second".into(), rate.into());
    }
    let human = format!("{steps} steps ({episodes} episodes) in {seconds:.3} s: {rate:.0} steps/s");
    Reply::new(fields, human)
}

/// Text that came from a file, safe to print (control characters escaped).
pub fn safe(text: &str) -> std::borrow::Cow<'_, str> {
    crate::text::escape_controls(text)
}

/// A file named on the command line, read the one way (see [`crate::fileio`]).
pub fn read(path: &str, kind: Kind) -> Result<String, String> {
    fileio::read_text(Path::new(path), kind).map_err(|e| safe(&e.to_string()).into())
}

/// An option the command cannot do without.
pub fn required<'a>(command: &str, args: &'a Args, name: &str) -> Result<&'a str, String> {
    args.get(name)
        .ok_or_else(|| format!("{command}: --{name} is required"))
}

/// The input files among a command's options, for [`Outputs`] to compare outputs with;
/// `is_scenario_file` tells whether a `--scenario` value (or `--task`, its other name where an
/// environment takes one) names a file.
pub fn inputs(args: &Args, is_scenario_file: impl Fn(&str) -> bool) -> Outputs {
    let mut files = Outputs::new();
    for name in ["scenario", "task"] {
        if let Some(s) = args.get(name).filter(|s| is_scenario_file(s)) {
            files.input(&format!("--{name}"), s);
        }
    }
    for name in ["policy", "cve-feed", "feed", "gate"] {
        if let Some(p) = args.get(name) {
            files.input(&format!("--{name}"), p);
        }
    }
    files
}

/// The files among a command's options that shape the environment (a scenario file, a
/// `--gate`, a `--cve-feed`), by option name: what a trajectory's header lists as `inputs`.
pub fn shaping_inputs(
    args: &Args,
    is_scenario_file: impl Fn(&str) -> bool,
) -> Vec<(String, String)> {
    let mut out = Vec::new();
    if let Some(s) = args.get("scenario").filter(|s| is_scenario_file(s)) {
        out.push(("scenario".to_string(), s.to_string()));
    }
    for name in ["gate", "cve-feed"] {
        if let Some(p) = args.get(name) {
            out.push((name.to_string(), p.to_string()));
        }
    }
    out
}

/// Whether a `--scenario` value may name a file: it ends in `.toml` or exists.
pub fn names_a_file(spec: &str) -> bool {
    spec.ends_with(".toml") || Path::new(spec).exists()
}

/// `train --episodes`: 0 is allowed (an untrained policy, the baseline a trained one is compared
/// with), more than [`MAX_EPISODES`] is not.
pub fn episodes_to_train(args: &Args, default: u64) -> Result<u64, String> {
    let episodes = args.number("train", "episodes", default)?;
    if episodes > MAX_EPISODES {
        return Err(format!(
            "train: --episodes must be at most {MAX_EPISODES}, found {episodes}"
        ));
    }
    Ok(episodes)
}

/// `train --set name=value,...`: the hyperparameters named, each checked by the core.
pub fn apply_sets(
    args: &Args,
    hyperparameters: &mut crate::learn::Hyperparameters,
) -> Result<(), String> {
    let Some(list) = args.get("set") else {
        return Ok(());
    };
    let mut given: Vec<&str> = Vec::new();
    for pair in list.split(',').filter(|p| !p.trim().is_empty()) {
        let (k, v) = pair
            .split_once('=')
            .ok_or_else(|| format!("train: --set expects name=value pairs, found {pair:?}"))?;
        // A name given twice would keep the last value silently.
        if given.contains(&k.trim()) {
            return Err(format!(
                "train: --set names {} twice; give each hyperparameter once",
                crate::text::shorten(k.trim(), 80)
            ));
        }
        given.push(k.trim());
        hyperparameters
            .set(k.trim(), v.trim())
            .map_err(|e| format!("train: --set {e}"))?;
    }
    Ok(())
}

/// `train --agent`: a learner's kind, the error listing them.
pub fn learner(name: &str) -> Result<crate::learn::Kind, String> {
    crate::learn::Kind::parse(name).ok_or_else(|| {
        format!(
            "train: --agent {name:?} is not a learner (known: {})",
            crate::learn::Kind::NAMES.join(", ")
        )
    })
}
