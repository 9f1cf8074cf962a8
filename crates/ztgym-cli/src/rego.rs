//! `ztgym rego eval` and `ztgym rego test`: a Rego policy on its own, as the hardening gate
//! reads it (v1 or the legacy syntax, refused builtins, the instruction budget).

use serde_json::json;
use ztgym::core::command::Args;
use ztgym::core::fileio::Kind;
use ztgym::rego::bounds::check_input_numbers;
use ztgym::rego::{to_json, Policy, TestStatus};

/// `ztgym rego SUBCOMMAND ...`.
pub fn main(words: &[String]) -> Result<(), String> {
    match words.split_first() {
        Some((sub, rest)) if sub == "eval" => eval(rest),
        Some((sub, rest)) if sub == "test" => test(rest),
        _ => Err("rego: expected `rego eval --policy FILE --input FILE [--query data.PKG.RULE] [--json]` or `rego test FILE...`".into()),
    }
}

/// Control characters of a file's text made visible before they reach a terminal.
fn escape(s: &str) -> String {
    crate::output::safe(s).into_owned()
}

fn eval(words: &[String]) -> Result<(), String> {
    let args = Args::parse("rego eval", words, &["policy", "input", "query"], &["json"])?;
    let path = crate::required("rego eval", &args, "policy")?;
    let policy =
        Policy::load(path, &crate::read(path, Kind::Rego)?).map_err(|e| escape(&e.to_string()))?;
    let input: serde_json::Value = match args.get("input") {
        None => json!({}),
        Some(p) => {
            let text = crate::read(p, Kind::RegoInput)?;
            check_input_numbers(p, &text).map_err(|e| escape(&e.to_string()))?;
            ztgym::core::fileio::parse_json(p, &text).map_err(|e| escape(&e.to_string()))?
        }
    };
    let query = args
        .get("query")
        .map(str::to_string)
        .unwrap_or_else(|| format!("{}.allow", policy.package()));
    let value = policy
        .eval(&query, &input)
        .map_err(|e| escape(&e.to_string()))?;
    let result = to_json(&value);
    // The reasons: seed 001's `{"allowed", "reason"}` and every message of the package's
    // `deny` set, if it has one.
    let deny = policy
        .eval(&format!("{}.deny", policy.package()), &input)
        .ok()
        .map(|v| to_json(&v));
    let allowed = match &result {
        serde_json::Value::Bool(b) => Some(*b),
        serde_json::Value::Object(o) => o.get("allowed").and_then(|v| v.as_bool()),
        _ => None,
    };
    let out = json!({
        "policy": path, "syntax": policy.syntax(), "package": policy.package(), "query": query,
        "result": result, "allowed": allowed, "deny": deny,
    });
    crate::print(args.has("json"), &out, || {
        let mut s = format!(
            "{query} = {}",
            escape(&serde_json::to_string(&result).unwrap_or_default())
        );
        if let Some(a) = allowed {
            s.push_str(&format!(
                "\ndecision: {}",
                if a { "allowed" } else { "denied" }
            ));
        }
        if let Some(serde_json::Value::Array(reasons)) = &deny {
            for r in reasons {
                s.push_str(&format!(
                    "\n  reason: {}",
                    escape(r.as_str().unwrap_or(&r.to_string()))
                ));
            }
        }
        s
    })?;
    Ok(())
}

fn test(words: &[String]) -> Result<(), String> {
    let args = Args::parse_with_positionals("rego test", words, &[], &["json"])?;
    if args.positional.is_empty() {
        return Err("rego test: name at least one .rego file".into());
    }
    // Tests run, tests failed, and files that did not load (they count apart: a file that
    // does not load has no tests to count).
    let (mut failed, mut total, mut unloaded) = (0, 0, 0);
    let mut files = Vec::new();
    let mut human = String::new();
    for path in &args.positional {
        let policy = match Policy::load(path, &crate::read(path, Kind::Rego)?) {
            Ok(p) => p,
            Err(e) => {
                unloaded += 1;
                human.push_str(&format!("{}\n", escape(&e.to_string())));
                files.push(json!({"file": path, "error": e}));
                continue;
            }
        };
        let results = policy.run_tests();
        for r in &results {
            total += 1;
            if matches!(r.status, TestStatus::Fail | TestStatus::Error) {
                failed += 1;
            }
            human.push_str(&format!(
                "{}: {}.{}: {}{}\n",
                escape(path),
                policy.package(),
                r.name,
                r.status.as_str(),
                r.message
                    .as_deref()
                    .map(|m| format!(" ({})", escape(m)))
                    .unwrap_or_default()
            ));
        }
        files.push(json!({"file": path, "package": policy.package(), "tests": results}));
    }
    human.push_str(&format!("{} of {total} passed", total - failed));
    if unloaded > 0 {
        human.push_str(&format!(
            "; {unloaded} of {} did not load",
            files_word(args.positional.len())
        ));
    }
    crate::print(
        args.has("json"),
        &json!({"files": files, "total": total, "failed": failed, "unloaded": unloaded}),
        || human.clone(),
    )?;
    match (failed, unloaded) {
        (0, 0) => {}
        (f, 0) => return Err(format!("rego test: {f} failed")),
        (0, u) => return Err(format!("rego test: {} did not load", files_word(u))),
        (f, u) => {
            return Err(format!(
                "rego test: {f} failed; {} did not load",
                files_word(u)
            ))
        }
    }
    Ok(())
}

/// "1 file", "2 files".
fn files_word(n: usize) -> String {
    if n == 1 {
        "1 file".to_string()
    } else {
        format!("{n} files")
    }
}
