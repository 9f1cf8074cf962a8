//! `ztgym rego eval`: any query on a bundle of modules and data (`-d PATH...`, as `opa eval`),
//! or the older form, one rule of one policy with its decision (`--policy --query`); both under
//! the hardening gate's bounds (v1 or the legacy syntax, refused builtins, the time limit).
//! `ztgym rego test` is in `rego_test`.

use crate::rego_words::{escape, Words};
use serde_json::json;
use ztgym::core::command::Args;
use ztgym::core::fileio::Kind;
use ztgym::rego::bounds::check_input_numbers;
use ztgym::rego::{load_paths, to_json, LoadOptions, Policy};

/// `ztgym rego SUBCOMMAND ...`.
pub fn main(words: &[String]) -> Result<(), String> {
    match words.split_first() {
        Some((sub, rest)) if sub == "eval" => eval(rest),
        Some((sub, rest)) if sub == "test" => crate::rego_test::test(rest),
        _ => Err("rego: expected `rego eval -d PATH... [-i INPUT] QUERY`, `rego eval --policy FILE --input FILE [--query data.PKG.RULE]` or `rego test PATH...`".into()),
    }
}

fn eval(words: &[String]) -> Result<(), String> {
    let w = Words::parse(
        "rego eval",
        words,
        &["input", "format", "policy", "query"],
        &["data"],
        &["json", "v0-compatible"],
    )?;
    if w.get("policy").is_none() {
        return eval_query(&w);
    }
    // The older form: its own strict options.
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

/// Reads an input document (JSON) under the input bounds.
pub(crate) fn read_input(path: &str) -> Result<serde_json::Value, String> {
    let text = crate::read(path, Kind::RegoInput)?;
    check_input_numbers(path, &text).map_err(|e| escape(&e.to_string()))?;
    ztgym::core::fileio::parse_json(path, &text).map_err(|e| escape(&e.to_string()))
}

/// `rego eval -d PATH... [-i INPUT] QUERY`: the answer as `opa eval` gives it (`--json`:
/// `{"result": [...]}`; else each result's value, or `undefined`).
fn eval_query(w: &Words) -> Result<(), String> {
    let command = "rego eval";
    let json_out = w.json(command)?;
    let query = match (w.positional.as_slice(), w.get("query")) {
        ([q], None) => q.as_str(),
        ([], Some(q)) => q,
        ([], None) => {
            return Err(format!(
                "{command}: give a query (data.PKG.RULE or an expression)"
            ))
        }
        _ => {
            return Err(format!(
                "{command}: give one query (quote an expression with spaces)"
            ))
        }
    };
    let paths = w.all("data");
    let options = LoadOptions {
        v0_compatible: w.has("v0-compatible"),
        ..LoadOptions::default()
    };
    let bundle = if paths.is_empty() {
        ztgym::rego::Bundle::load(&[], json!({}), options)
    } else {
        load_paths(&paths, options)
    }
    .map_err(|e| escape(&e.to_string()))?;
    let input = w.get("input").map(read_input).transpose()?;
    let answer = bundle
        .eval_query(query, input.as_ref())
        .map_err(|e| escape(&e.to_string()))?;
    crate::print(json_out, &answer, || pretty_answer(&answer))
}

/// Each result of a query: the value of a lone expression, or the bindings; `undefined` when
/// there is none (as `opa eval --format pretty`).
fn pretty_answer(answer: &serde_json::Value) -> String {
    let results = answer["result"].as_array().cloned().unwrap_or_default();
    if results.is_empty() {
        return "undefined".to_string();
    }
    let shown: Vec<String> = results
        .iter()
        .map(|r| {
            let bindings = r
                .get("bindings")
                .filter(|b| b.as_object().is_some_and(|o| !o.is_empty()));
            let value = match (bindings, r["expressions"].as_array()) {
                (Some(b), _) => b.clone(),
                (None, Some(e)) if e.len() == 1 => e[0]["value"].clone(),
                (None, Some(e)) => e.iter().map(|x| x["value"].clone()).collect(),
                (None, None) => serde_json::Value::Null,
            };
            let pretty = serde_json::to_string_pretty(&value).unwrap_or_default();
            pretty.lines().map(escape).collect::<Vec<_>>().join("\n")
        })
        .collect();
    shown.join("\n")
}
