//! A scenario as a caller who may name files gives it: a built-in name or a TOML file's path
//! (the CLI's `--scenario`, the Python package's `scenario=`).

use crate::Scenario;
use ztgym_core::command::{self, read, safe};
use ztgym_core::fileio::Kind;

/// A built-in scenario name, or a path to a TOML file (given on the command line: a path found
/// inside another file is never opened).
pub fn load_scenario(spec: &str) -> Result<Scenario, String> {
    if Scenario::builtin_text(spec).is_some() {
        return Scenario::builtin(spec).map_err(|e| e.to_string());
    }
    if is_scenario_file(spec) {
        let text = read(spec, Kind::Scenario)?;
        return Scenario::parse(spec, &text).map_err(|e| safe(&e.to_string()).into());
    }
    Scenario::builtin(spec).map_err(|e| safe(&e.to_string()).into())
}

/// Whether a `--scenario` value names a file rather than a built-in scenario.
pub fn is_scenario_file(spec: &str) -> bool {
    Scenario::builtin_text(spec).is_none() && command::names_a_file(spec)
}
