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

use crate::registry::{self, Loaded};
use std::collections::BTreeSet;
use std::fs;
use std::path::Path;
use ztgym_core::fileio::{read_text, Kind};
use ztgym_core::text::escape_controls;

/// At most this many scenarios are read from one folder.
pub const MAX_SCENARIOS: usize = 256;

/// Every scenario of `dir`, in name order; an error names the file and what is wrong.
pub fn load(dir: &Path) -> Result<Vec<Loaded>, String> {
    let shown = |p: &Path| escape_controls(&p.display().to_string()).into_owned();
    let mut loaded = Vec::new();
    for (sub, _) in entries(dir)? {
        let path = dir.join(&sub);
        match sub.as_str() {
            "sre" => {
                for (file, is_dir) in entries(&path)? {
                    let p = path.join(&file);
                    if is_dir || !file.ends_with(".toml") {
                        return Err(format!(
                            "{}: not an SRE scenario file (NAME.toml)",
                            shown(&p)
                        ));
                    }
                    let text = read_text(&p, Kind::Scenario).map_err(|e| e.to_string())?;
                    let s =
                        ztgym_sre::Scenario::parse(&shown(&p), &text).map_err(|e| e.to_string())?;
                    loaded.push(Loaded::Sre(s));
                }
            }
            #[cfg(feature = "harden")]
            "harden" => {
                for (folder, is_dir) in entries(&path)? {
                    let p = path.join(&folder);
                    if !is_dir {
                        return Err(format!("{}: not a harden scenario folder", shown(&p)));
                    }
                    let s = ztgym_harden::Scenario::load(&p.display().to_string())
                        .map_err(|e| e.to_string())?;
                    loaded.push(Loaded::Harden(s));
                }
            }
            _ => {
                return Err(format!(
                "{}: unexpected entry (a scenarios folder holds sre/NAME.toml and harden/NAME/)",
                shown(&path)
            ))
            }
        }
        if loaded.len() > MAX_SCENARIOS {
            return Err(format!(
                "{}: more than {MAX_SCENARIOS} scenarios",
                shown(dir)
            ));
        }
    }
    check_names(&loaded)?;
    loaded.sort_by(|a, b| (a.env(), a.name()).cmp(&(b.env(), b.name())));
    Ok(loaded)
}

/// Names a client can type: unique per environment, none a built-in's.
fn check_names(loaded: &[Loaded]) -> Result<(), String> {
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
        if registry::scenarios(l.env())?.contains(&name) {
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
