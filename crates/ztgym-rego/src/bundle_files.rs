//! A bundle read from files and directories, as `opa test PATH...` and `opa eval -d PATH...`
//! read them: every `*.rego` file under a directory (recursively, in name order), and each
//! `data.json` placed at the data path of its directory relative to the path named
//! (`DIR/roles/data.json` is `data.roles`); a `.json` file named directly is placed at the root.
//!
//! Reads are bounded: each file through the core's reader (regular files, a size cap, UTF-8),
//! at most [`MAX_MODULES`] modules and [`MAX_BUNDLE_BYTES`] in all, [`MAX_DEPTH`] directories
//! deep; a symbolic link inside a directory is read only when it points to a file inside the
//! directory named; hidden directories (`.git`) are skipped. `data.yaml` (or `data.yml`) is read
//! as `data.json` is (natively: YAML anchors and aliases expand under serde_yaml's own limit,
//! so a "billion laughs" file is an error, not gigabytes).

use crate::bounds::check_input_numbers;
use crate::bundle::{Bundle, BundleError, LoadOptions, MAX_BUNDLE_BYTES, MAX_MODULES};
use crate::error::{ErrorKind, RegoError};
use std::fs;
use std::path::{Path, PathBuf};
use ztgym_core::fileio::{parse_json, read_text, Kind};

/// The deepest directory read below a path named.
pub const MAX_DEPTH: usize = 32;

/// What the paths hold: modules (name, text) and the data document.
#[derive(Debug, Default)]
pub struct BundleFiles {
    pub modules: Vec<(String, String)>,
    pub data: serde_json::Value,
    bytes: usize,
    files: usize,
}

/// Reads the paths and loads them as one bundle.
pub fn load_paths<P: AsRef<Path>>(
    paths: &[P],
    options: LoadOptions,
) -> Result<Bundle, BundleError> {
    let files = read_paths(paths)?;
    Bundle::load(&files.modules, files.data, options)
}

/// Reads every module and data file under the paths.
pub fn read_paths<P: AsRef<Path>>(paths: &[P]) -> Result<BundleFiles, BundleError> {
    let mut out = BundleFiles {
        data: serde_json::json!({}),
        ..BundleFiles::default()
    };
    let mut errors = Vec::new();
    for path in paths {
        let path = path.as_ref();
        let meta = fs::metadata(path).map_err(|e| problem(path, format!("cannot read: {e}")))?;
        if meta.is_dir() {
            let root =
                fs::canonicalize(path).map_err(|e| problem(path, format!("cannot read: {e}")))?;
            walk(path, &root, &[], 0, &mut out, &mut errors)?;
        } else {
            match extension(path) {
                Some("rego") => read_module(path, &mut out, &mut errors)?,
                Some("json" | "yaml" | "yml") => read_data(path, &[], &mut out, &mut errors)?,
                _ => {
                    return Err(problem(
                        path,
                        "is neither a Rego module (.rego) nor a data document (.json)".into(),
                    )
                    .into())
                }
            }
        }
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(BundleError { errors })
    }
}

/// One directory: its `.rego` files and `data.json`, then its subdirectories, in name order.
fn walk(
    dir: &Path,
    root: &Path,
    at: &[String],
    depth: usize,
    out: &mut BundleFiles,
    errors: &mut Vec<RegoError>,
) -> Result<(), BundleError> {
    if depth > MAX_DEPTH {
        return Err(problem(dir, format!("directories nest more than {MAX_DEPTH} deep")).into());
    }
    let mut entries: Vec<PathBuf> = fs::read_dir(dir)
        .map_err(|e| problem(dir, format!("cannot read the directory: {e}")))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    entries.sort();
    for path in entries {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let link = fs::symlink_metadata(&path).map_err(|e| problem(&path, e.to_string()))?;
        if link.file_type().is_symlink() {
            let refused = match fs::canonicalize(&path) {
                Ok(t) if t.starts_with(root) && t.is_file() => None,
                Ok(t) if t.starts_with(root) => {
                    Some("is a symbolic link to a directory: not followed".to_string())
                }
                Ok(_) => Some(
                    "is a symbolic link to a place outside the directory named: not followed"
                        .to_string(),
                ),
                Err(e) => Some(format!(
                    "is a symbolic link that leads nowhere ({e}): not followed"
                )),
            };
            if let Some(refused) = refused {
                return Err(problem(&path, refused).into());
            }
        }
        if path.is_dir() {
            if name.starts_with('.') {
                continue;
            }
            let mut below = at.to_vec();
            below.push(name);
            walk(&path, root, &below, depth + 1, out, errors)?;
        } else if extension(&path) == Some("rego") {
            read_module(&path, out, errors)?;
        } else if matches!(name.as_str(), "data.json" | "data.yaml" | "data.yml") {
            read_data(&path, at, out, errors)?;
        }
    }
    Ok(())
}

fn extension(path: &Path) -> Option<&str> {
    path.extension().and_then(|e| e.to_str())
}

/// Counts one more file of `bytes`, refusing past the bundle's caps.
fn count(path: &Path, bytes: usize, out: &mut BundleFiles) -> Result<(), BundleError> {
    out.files += 1;
    out.bytes += bytes;
    if out.files > MAX_MODULES {
        return Err(problem(
            path,
            format!("more than {MAX_MODULES} files: a bundle may hold no more"),
        )
        .into());
    }
    if out.bytes > MAX_BUNDLE_BYTES {
        return Err(problem(
            path,
            format!("the files hold more than the {MAX_BUNDLE_BYTES} bytes a bundle may hold"),
        )
        .into());
    }
    Ok(())
}

fn read_module(
    path: &Path,
    out: &mut BundleFiles,
    errors: &mut Vec<RegoError>,
) -> Result<(), BundleError> {
    match read_text(path, Kind::Rego) {
        Ok(text) => {
            count(path, text.len(), out)?;
            out.modules.push((path.display().to_string(), text));
        }
        Err(e) => errors.push(read_error(e)),
    }
    Ok(())
}

fn read_data(
    path: &Path,
    at: &[String],
    out: &mut BundleFiles,
    errors: &mut Vec<RegoError>,
) -> Result<(), BundleError> {
    let name = path.display().to_string();
    let text = match read_text(path, Kind::RegoInput) {
        Ok(text) => text,
        Err(e) => {
            errors.push(read_error(e));
            return Ok(());
        }
    };
    count(path, text.len(), out)?;
    let yaml = matches!(extension(path), Some("yaml" | "yml"));
    let parsed = if yaml {
        parse_yaml(&name, &text)
    } else {
        check_input_numbers(&name, &text)
            .and_then(|()| parse_json(&name, &text).map_err(read_error))
    };
    match parsed {
        Ok(value) => {
            if let Err(m) = merge_at(&mut out.data, at, value) {
                errors.push(RegoError::new(ErrorKind::Syntax, &name, m));
            }
        }
        Err(e) => errors.push(e),
    }
    Ok(())
}

/// A YAML data file as JSON (its error at its line and column).
#[cfg(not(target_arch = "wasm32"))]
fn parse_yaml(name: &str, text: &str) -> Result<serde_json::Value, RegoError> {
    serde_yaml::from_str::<serde_json::Value>(text).map_err(|e| {
        let mut err = RegoError::new(ErrorKind::Syntax, name, format!("not YAML data: {e}"));
        if let Some(at) = e.location() {
            err.line = Some(at.line() as u32);
            err.column = Some(at.column() as u32);
        }
        err
    })
}

/// In the browser no file is read from disk.
#[cfg(target_arch = "wasm32")]
fn parse_yaml(name: &str, _text: &str) -> Result<serde_json::Value, RegoError> {
    Err(RegoError::new(
        ErrorKind::Syntax,
        name,
        "YAML data is read natively only",
    ))
}

/// Places `value` at `path` under `root`, merging objects; two values for one place (other
/// than objects to merge) are a conflict, as OPA reports it.
pub fn merge_at(
    root: &mut serde_json::Value,
    path: &[String],
    value: serde_json::Value,
) -> Result<(), String> {
    let mut here = root;
    for (i, key) in path.iter().enumerate() {
        let shown = || format!("data.{}", path[..=i].join("."));
        let object = here.as_object_mut().ok_or_else(|| {
            format!(
                "{} is not an object: nothing can be placed under it",
                shown()
            )
        })?;
        here = object
            .entry(key.clone())
            .or_insert_with(|| serde_json::json!({}));
    }
    merge(here, value, &format!("data.{}", path.join(".")))
}

fn merge(into: &mut serde_json::Value, value: serde_json::Value, at: &str) -> Result<(), String> {
    match (into, value) {
        (serde_json::Value::Object(a), serde_json::Value::Object(b)) => {
            for (k, v) in b {
                let here = format!("{}.{k}", at.trim_end_matches('.'));
                match a.get_mut(&k) {
                    Some(existing) => merge(existing, v, &here)?,
                    None => {
                        a.insert(k, v);
                    }
                }
            }
            Ok(())
        }
        (_, _) => Err(format!(
            "{} is given twice (a merge conflict: only objects merge)",
            at.trim_end_matches('.')
        )),
    }
}

fn problem(path: &Path, message: String) -> RegoError {
    RegoError::new(ErrorKind::Syntax, &path.display().to_string(), message)
}

/// A reader's error as a bundle's, at its file.
fn read_error(e: ztgym_core::fileio::ReadError) -> RegoError {
    let message = if e.place.is_empty() {
        e.problem
    } else {
        format!("{}: {}", e.place, e.problem)
    };
    RegoError::new(ErrorKind::Syntax, &e.file, message)
}
