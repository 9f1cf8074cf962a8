//! The scenarios a server's operator allows besides the built-in ones (`ztgym serve
//! --scenarios DIR`): read and checked once, at start-up, then played by name. A client of the
//! server names a scenario; it never names a file.
//!
//! The folder's layout, one entry a scenario:
//!
//! ```text
//! DIR/sre/NAME.toml            an SRE gym scenario file
//! DIR/harden/NAME/             a harden scenario folder (scenario.toml and its policy)
//! ```
//!
//! Triage has no scenario files (its three tasks are built in). Anything else in `DIR` is an
//! error, so a typo does not leave a scenario silently unserved.

use crate::registry::{EnvSpec, Loaded};
use std::collections::BTreeSet;
use std::fs;
use std::path::Path;
use ztgym_core::text::escape_controls;

/// At most this many scenarios are read from one folder.
pub const MAX_SCENARIOS: usize = 256;

/// Every scenario of `dir` for the environments of this build, in name order; an error names
/// the file and what is wrong.
pub fn load(dir: &Path) -> Result<Vec<Loaded>, String> {
    load_for(crate::registry::ENVS, dir)
}

/// [`load`] for the environments of `envs`.
pub fn load_for(envs: &[&dyn EnvSpec], dir: &Path) -> Result<Vec<Loaded>, String> {
    let shown = |p: &Path| escape_controls(&p.display().to_string()).into_owned();
    let mut loaded = Vec::new();
    for (sub, _) in entries(dir)? {
        let path = dir.join(&sub);
        let Some((spec, files)) = envs
            .iter()
            .find(|e| e.id() == sub)
            .and_then(|e| Some((*e, e.scenario_files()?)))
        else {
            let layout: Vec<String> = envs
                .iter()
                .filter_map(|e| Some(format!("{}/{}", e.id(), e.scenario_files()?.layout)))
                .collect();
            return Err(format!(
                "{}: unexpected entry (a scenarios folder holds {})",
                shown(&path),
                layout.join(" and ")
            ));
        };
        for (name, is_dir) in entries(&path)? {
            let p = path.join(&name);
            let fits = if files.folders {
                is_dir
            } else {
                !is_dir && name.ends_with(files.suffix)
            };
            if !fits {
                return Err(format!("{}: {}", shown(&p), files.refusal));
            }
            loaded.push(spec.load_scenario(&p, &shown(&p))?);
        }
        if loaded.len() > MAX_SCENARIOS {
            return Err(format!(
                "{}: more than {MAX_SCENARIOS} scenarios",
                shown(dir)
            ));
        }
    }
    check_names(envs, &loaded)?;
    loaded.sort_by(|a, b| (a.env(), a.name()).cmp(&(b.env(), b.name())));
    Ok(loaded)
}

/// Names a client can type: unique per environment, none a built-in's.
fn check_names(envs: &[&dyn EnvSpec], loaded: &[Loaded]) -> Result<(), String> {
    let mut seen = BTreeSet::new();
    for l in loaded {
        let name = l.name();
        let shown = escape_controls(name);
        let ok = !name.is_empty()
            && name.len() <= 64
            && name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
        if !ok {
            return Err(format!(
                "{} scenario {shown:?}: a served scenario's name is 1 to 64 letters, digits, \
                 '-', '_' or '.'",
                l.env()
            ));
        }
        // By the built-in's own spelling or another name of it (triage's `l2` is `L2`): a
        // loaded scenario must not hide a built-in one.
        if ztgym_core::spec::find(envs, l.env())?
            .builtin_scenario(name)
            .is_some()
        {
            return Err(format!(
                "{} scenario {shown:?}: the name of a built-in scenario",
                l.env()
            ));
        }
        if !seen.insert((l.env(), name)) {
            return Err(format!("{} scenario {shown:?}: given twice", l.env()));
        }
    }
    Ok(())
}

/// The entries of a folder as (name, is a folder), sorted; hidden ones skipped.
fn entries(dir: &Path) -> Result<Vec<(String, bool)>, String> {
    let shown = escape_controls(&dir.display().to_string()).into_owned();
    let cannot = |e: std::io::Error| format!("{shown}: cannot read the folder: {e}");
    let mut out = Vec::new();
    for entry in fs::read_dir(dir).map_err(cannot)? {
        let entry = entry.map_err(cannot)?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') {
            continue;
        }
        // Followed through symbolic links, as the files are read.
        let is_dir = fs::metadata(entry.path()).map_err(cannot)?.is_dir();
        out.push((name, is_dir));
        if out.len() > MAX_SCENARIOS {
            return Err(format!("{shown}: more than {MAX_SCENARIOS} entries"));
        }
    }
    out.sort();
    Ok(out)
}
