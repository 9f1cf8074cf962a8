//! OPA's conformance cases (the YAML files of OPA's `v1/test/cases/testdata`) run through
//! ztgym's Rego layer with the gate's settings (a `Bundle`: the engine built without clock,
//! randomness, network, YAML, regex, glob, semver, time, uuid and JSON-schema builtins; refused
//! builtins, bounded builtins, recursion checks; non-strict builtin errors unless a case asks),
//! and, beside it, regorus as built here driven directly (as its own `tests/opa.rs` does).
//!
//! ```text
//! cargo run -p ztgym-rego --example opa_conformance -- CASES_DIR [OPA_PASSING_FILE]
//! ```
//!
//! CASES_DIR holds `v0/FOLDER/*.yaml` and `v1/FOLDER/*.yaml`. OPA_PASSING_FILE is regorus's own
//! list of the folders it passes whole (`tests/opa.passing` in its crate). Prints a Markdown
//! table: per folder, the cases run, those regorus passes, those ztgym's layer passes, and why
//! the layer failed the others. Not part of the test command: the cases are fetched, not kept.

use regorus::{Engine, Value};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use ztgym_rego::{regorus, Bundle, LoadOptions};

#[derive(Deserialize)]
struct Cases {
    cases: Vec<Case>,
}

#[derive(Deserialize, Clone)]
struct Case {
    note: String,
    query: String,
    #[serde(default)]
    modules: Vec<String>,
    data: Option<serde_json::Value>,
    input: Option<serde_json::Value>,
    input_term: Option<String>,
    want_result: Option<serde_json::Value>,
    want_error: Option<String>,
    want_error_code: Option<String>,
    strict_error: Option<bool>,
    sort_bindings: Option<bool>,
    #[serde(default)]
    skip: Option<bool>,
}

/// Cases regorus's own runner leaves out (builtins it does not have or OPA deprecated, a mock
/// that cannot hold): left out here too, so that the columns compare.
const LEFT_OUT: [&str; 14] = [
    "withkeyword/builtin-builtin: arity 0",
    "withkeyword/builtin: nested, multiple mocks",
    "jsonbuiltins/yaml round-trip",
    "regexmatch/re_match: ref",
    "regexmatch/re_match: raw",
    "regexmatch/re_match: raw: undefined",
    "regexmatch/re_match",
    "regexmatch/re_match: undefined",
    "sets/set_diff: refs",
    "withkeyword/builtin: http.send example",
    "withkeyword/builtin-builtin: arity 1, replacement is simple",
    "withkeyword/function: direct call, built-in replacement, arity 1, result captured",
    "withkeyword/builtin-builtin: arity 1, replacement is compound",
    "withkeyword/function: direct call, built-in replacement, arity 1",
];

/// A query's results as OPA's case files give them: each result's bindings, or its last
/// expression's value when it binds nothing.
fn results(answer: &serde_json::Value, sort: bool) -> serde_json::Value {
    let rows = answer["result"].as_array().cloned().unwrap_or_default();
    serde_json::Value::Array(
        rows.into_iter()
            .map(|r| {
                match r
                    .get("bindings")
                    .filter(|b| b.as_object().is_some_and(|o| !o.is_empty()))
                {
                    Some(b) => {
                        let mut b = b.clone();
                        if sort {
                            for v in b.as_object_mut().into_iter().flat_map(|o| o.values_mut()) {
                                if let Some(a) = v.as_array_mut() {
                                    a.sort_by_key(|x| x.to_string());
                                }
                            }
                        }
                        b
                    }
                    None => r["expressions"]
                        .as_array()
                        .and_then(|e| e.last())
                        .map(|e| e["value"].clone())
                        .unwrap_or(serde_json::Value::Null),
                }
            })
            .collect(),
    )
}

/// Whether an answer (or an error) is what the case wants.
fn judge(case: &Case, answer: Result<serde_json::Value, String>) -> Result<(), String> {
    let wants_error = case.want_error.is_some()
        || case.want_error_code.is_some()
        || case.strict_error == Some(true) && case.want_result.is_none();
    match (answer, &case.want_result) {
        (Err(_), _) if wants_error || case.strict_error == Some(true) => Ok(()),
        (Err(e), _) => Err(e),
        (Ok(_), _) if case.note == "strings/sprintf: float too big" => Ok(()),
        (Ok(got), Some(want)) => {
            let got = results(&got, case.sort_bindings == Some(true));
            let mut want = want.clone();
            if case.sort_bindings == Some(true) {
                want = results(
                    &serde_json::json!({"result": want.as_array().cloned().unwrap_or_default().into_iter().map(|b| serde_json::json!({"bindings": b})).collect::<Vec<_>>()}),
                    true,
                );
            }
            if same(&got, &want) {
                Ok(())
            } else {
                Err("a different result".to_string())
            }
        }
        (Ok(got), None) if !wants_error && results(&got, false) == serde_json::json!([]) => Ok(()),
        (Ok(_), None) => Err("no error where one was wanted".to_string()),
    }
}

/// Equal as JSON, the order of result rows aside when both are lists of the same rows.
fn same(a: &serde_json::Value, b: &serde_json::Value) -> bool {
    if a == b {
        return true;
    }
    match (a.as_array(), b.as_array()) {
        (Some(x), Some(y)) if x.len() == y.len() => {
            let mut x: Vec<String> = x.iter().map(|v| v.to_string()).collect();
            let mut y: Vec<String> = y.iter().map(|v| v.to_string()).collect();
            x.sort();
            y.sort();
            x == y
        }
        _ => false,
    }
}

/// The case through ztgym's layer.
fn through_ztgym(case: &Case, v0: bool) -> Result<serde_json::Value, String> {
    let modules: Vec<(String, String)> = case
        .modules
        .iter()
        .enumerate()
        .map(|(i, m)| (format!("rego{i}.rego"), m.clone()))
        .collect();
    let data = case.data.clone().unwrap_or_else(|| serde_json::json!({}));
    let options = LoadOptions {
        v0_compatible: v0,
        strict_builtin_errors: case.strict_error == Some(true),
    };
    let bundle = Bundle::load(&modules, data, options)
        .map_err(|e| format!("load: {}", first_line(&e.to_string())))?;
    let input = match &case.input_term {
        Some(term) => {
            let r = bundle.eval_query(term, None).map_err(|e| e.to_string())?;
            Some(r["result"][0]["expressions"][0]["value"].clone())
        }
        None => case.input.clone(),
    };
    bundle
        .eval_query(&case.query, input.as_ref())
        .map_err(|e| format!("eval: {}", first_line(&e.message)))
}

/// The case through regorus as built here, driven as its own runner drives it.
fn through_regorus(case: &Case, v0: bool) -> Result<serde_json::Value, String> {
    let mut engine = Engine::new();
    engine.set_rego_v0(v0);
    if let Some(d) = &case.data {
        engine
            .add_data(Value::from(d.clone()))
            .map_err(|e| e.to_string())?;
    }
    if let Some(i) = &case.input {
        engine.set_input(Value::from(i.clone()));
    }
    if let Some(term) = &case.input_term {
        let r = engine
            .eval_query(term.clone(), false)
            .map_err(|e| e.to_string())?;
        let v = r
            .result
            .last()
            .and_then(|r| r.expressions.last())
            .map(|e| e.value.clone());
        engine.set_input(v.unwrap_or(Value::Undefined));
    }
    for (i, m) in case.modules.iter().enumerate() {
        engine
            .add_policy(format!("rego{i}.rego"), m.clone())
            .map_err(|e| e.to_string())?;
    }
    engine.set_strict_builtin_errors(case.strict_error == Some(true));
    let r = engine
        .eval_query(case.query.clone(), false)
        .map_err(|e| e.to_string())?;
    serde_json::to_value(&r).map_err(|e| e.to_string())
}

fn first_line(s: &str) -> String {
    let s = s
        .lines()
        .find(|l| l.starts_with("error:"))
        .or(s.lines().next())
        .unwrap_or("");
    s.chars().take(90).collect()
}

/// Why the layer failed, grouped: a builtin this build leaves out (named by the error, or
/// called by the case: an out-parameter call to a missing builtin reads as an unsafe
/// variable), our refusal, or the message.
fn reason(case: &Case, e: &str) -> String {
    if let Some(at) = e.find("could not find function ") {
        let f = e[at + 24..].split_whitespace().next().unwrap_or("");
        return format!("builtin not built in: {f}");
    }
    if let Some(f) = missing_builtins(case).first() {
        return format!("builtin not built in: {f}");
    }
    e.to_string()
}

/// Calls (`time.parse_rfc3339_ns(`, `any(`) in the case's modules and query that are neither
/// builtins of this build nor functions the case defines.
fn missing_builtins(case: &Case) -> Vec<String> {
    let mut text = case.modules.join("\n");
    text.push_str(&case.query);
    let mut missing = Vec::new();
    let mut word = String::new();
    for c in text.chars() {
        if c.is_ascii_alphanumeric() || c == '_' || c == '.' {
            word.push(c);
            continue;
        }
        let called = !word.is_empty()
            && !word.starts_with("data.")
            && !word.starts_with("input.")
            && !word.starts_with(|c: char| c.is_ascii_digit())
            // A function of the case's own (defined at the start of a line).
            && !text.contains(&format!("\n{word}("))
            && !["if", "contains", "not", "some", "every", "in", "with", "as", "else"].contains(&word.as_str());
        if c == '('
            && called
            && regorus::unstable::BUILTINS.get(word.as_str()).is_none()
            && !missing.contains(&word)
        {
            missing.push(word.clone());
        }
        word.clear();
    }
    missing
}

fn yaml_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for p in paths {
        if p.is_dir() {
            yaml_files(&p, out);
        } else if p.extension().is_some_and(|e| e == "yaml") {
            out.push(p);
        }
    }
}

#[derive(Default)]
struct Folder {
    cases: usize,
    regorus: usize,
    ztgym: usize,
    /// Cases regorus passes and the layer fails: bugs of the layer.
    regressions: Vec<String>,
    /// Every case the layer fails, with why.
    failed: Vec<String>,
    reasons: BTreeMap<String, usize>,
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(root) = args.first().map(PathBuf::from) else {
        eprintln!("usage: opa_conformance CASES_DIR [OPA_PASSING_FILE]");
        std::process::exit(2);
    };
    let passing: Vec<String> = args
        .get(1)
        .and_then(|p| std::fs::read_to_string(p).ok())
        .map(|t| t.lines().map(str::to_string).collect())
        .unwrap_or_default();
    let mut files = Vec::new();
    yaml_files(&root, &mut files);
    let mut folders: BTreeMap<String, Folder> = BTreeMap::new();
    for file in files {
        let folder = file
            .parent()
            .and_then(|p| p.strip_prefix(&root).ok())
            .map(|p| p.display().to_string())
            .unwrap_or_default();
        let v0 = folder.starts_with("v0");
        let text = std::fs::read_to_string(&file).unwrap_or_default();
        let cases: Cases = match serde_yaml::from_str(&text) {
            Ok(c) => c,
            Err(e) => {
                eprintln!("{}: not read: {e}", file.display());
                continue;
            }
        };
        let f = folders.entry(folder).or_default();
        for case in cases.cases {
            if LEFT_OUT.contains(&case.note.as_str()) || case.skip == Some(true) {
                continue;
            }
            f.cases += 1;
            let regorus_ok = judge(&case, through_regorus(&case, v0)).is_ok();
            let ztgym = judge(&case, through_ztgym(&case, v0));
            f.regorus += usize::from(regorus_ok);
            match ztgym {
                Ok(()) => f.ztgym += 1,
                Err(why) => {
                    if regorus_ok {
                        f.regressions.push(format!("{}: {why}", case.note));
                    }
                    let why = reason(&case, &why);
                    f.failed.push(format!("{}: {why}", case.note));
                    *f.reasons.entry(why).or_default() += 1;
                }
            }
        }
    }
    println!(
        "| folder | cases | regorus here | ztgym layer | regorus's list | why the layer failed |"
    );
    println!("| --- | ---: | ---: | ---: | --- | --- |");
    let (mut cases, mut regorus, mut ztgym) = (0, 0, 0);
    for (name, f) in &folders {
        cases += f.cases;
        regorus += f.regorus;
        ztgym += f.ztgym;
        let listed = if passing.iter().any(|p| p == name) {
            "passes"
        } else {
            "not listed"
        };
        let why: Vec<String> = f
            .reasons
            .iter()
            .map(|(r, n)| format!("{r} ({n})"))
            .collect();
        println!(
            "| {name} | {} | {} | {} | {listed} | {} |",
            f.cases,
            f.regorus,
            f.ztgym,
            why.join("; ").replace('|', "\\|")
        );
    }
    println!("| **total** | {cases} | {regorus} | {ztgym} | | |");
    let regressions: Vec<&String> = folders.values().flat_map(|f| &f.regressions).collect();
    println!("\nregorus passes, the layer fails: {}", regressions.len());
    for r in regressions {
        println!("- {r}");
    }
    println!("\ncases the layer fails:");
    for f in folders.values().flat_map(|f| &f.failed) {
        println!("- {f}");
    }
}
