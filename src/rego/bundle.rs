//! A Rego bundle as the page holds it: modules in tab order (the first is the policy whose
//! package decides) and the data document as the JSON text the person typed. One module and
//! no data is a plain policy, loaded exactly as a single file always was.

use super::problem::Problem;
use serde::{Deserialize, Serialize};
use ztgym::rego::{Bundle, BundleError, LoadOptions, Policy, RegoError};

/// The most modules the page's bundle holds.
pub const MAX_PAGE_MODULES: usize = 32;

/// One module: its file name and text.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegoModule {
    pub name: String,
    pub text: String,
}

/// Modules and data, as edited.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegoBundle {
    pub modules: Vec<RegoModule>,
    /// The data document's JSON text (empty: no data).
    #[serde(default)]
    pub data: String,
}

impl RegoBundle {
    /// One module, no data.
    pub fn single(name: &str, text: &str) -> RegoBundle {
        RegoBundle {
            modules: vec![RegoModule {
                name: name.to_string(),
                text: text.to_string(),
            }],
            data: String::new(),
        }
    }

    /// What a loaded policy holds: its bundle's modules and data, or its one text under its
    /// file's name.
    pub fn from_policy(policy: &Policy) -> RegoBundle {
        let short = |name: &str| name.rsplit('/').next().unwrap_or(name).to_string();
        match policy.bundle() {
            Some(b) => RegoBundle {
                modules: b
                    .modules()
                    .iter()
                    .map(|m| RegoModule {
                        name: m.name.clone(),
                        text: m.text.clone(),
                    })
                    .collect(),
                data: if b.data().as_object().is_some_and(|o| o.is_empty()) {
                    String::new()
                } else {
                    serde_json::to_string_pretty(b.data()).unwrap_or_default()
                },
            },
            None => RegoBundle::single(&short(policy.name()), policy.text()),
        }
    }

    /// Whether it is one module and no data (a plain policy).
    pub fn is_single(&self) -> bool {
        self.modules.len() == 1 && self.data.trim().is_empty()
    }

    /// The first module's text (the policy's).
    pub fn main_text(&self) -> &str {
        self.modules.first().map_or("", |m| m.text.as_str())
    }

    /// The first module's package as a data path (`data.x.y`), read from its `package` line.
    pub fn main_package(&self) -> Option<String> {
        let text = self.main_text();
        text.lines()
            .map(str::trim)
            .find_map(|l| l.strip_prefix("package "))
            .map(|p| format!("data.{}", p.split('#').next().unwrap_or("").trim()))
    }

    /// The data document: `{}` when empty; a JSON object, or a problem in the Data pane.
    pub fn data_value(&self) -> Result<serde_json::Value, Problem> {
        if self.data.trim().is_empty() {
            return Ok(serde_json::json!({}));
        }
        let v: serde_json::Value = serde_json::from_str(&self.data).map_err(|e| Problem {
            kind: "syntax".into(),
            file: Some(DATA_PANE.into()),
            line: Some(e.line() as u32),
            column: Some(e.column() as u32),
            message: format!("the data is not JSON: {e}"),
        })?;
        if !v.is_object() {
            return Err(Problem {
                file: Some(DATA_PANE.into()),
                ..Problem::plain("syntax", "the data must be a JSON object ({...})")
            });
        }
        Ok(v)
    }

    /// Every module and the data in one engine (for queries and tests).
    pub fn load(&self) -> Result<Bundle, Problem> {
        if self.modules.len() > MAX_PAGE_MODULES {
            return Err(Problem::plain(
                "bounds",
                format!(
                    "{} modules, more than the {MAX_PAGE_MODULES} the page holds",
                    self.modules.len()
                ),
            ));
        }
        let data = self.data_value()?;
        let modules: Vec<(String, String)> = self
            .modules
            .iter()
            .map(|m| (m.name.clone(), m.text.clone()))
            .collect();
        Bundle::load(&modules, data, LoadOptions::default()).map_err(|e| bundle_problem(&e))
    }

    /// The policy a gate uses: a plain policy as a single file loads; else the bundle with the
    /// first module's package deciding.
    pub fn to_policy(&self) -> Result<Policy, Problem> {
        if self.is_single() {
            let m = &self.modules[0];
            return Policy::load(&m.name, &m.text).map_err(|e| problem(&e));
        }
        let bundle = self.load()?;
        let Some(package) = bundle.modules().first().map(|m| m.package.clone()) else {
            return Err(Problem::plain("syntax", "the bundle has no module"));
        };
        Policy::from_bundle(bundle, &package).map_err(|e| problem(&e))
    }
}

/// The name the Data pane's problems are reported under.
pub const DATA_PANE: &str = "Data";

/// A policy error as the page shows it, at its module.
pub fn problem(e: &RegoError) -> Problem {
    let kind = serde_json::to_value(e.kind)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_else(|| "eval".to_string());
    Problem {
        kind,
        file: (!e.file.is_empty()).then(|| e.file.clone()),
        line: e.line,
        column: e.column,
        message: e.message.clone(),
    }
}

/// A bundle's errors as one problem: the first at its place, the count of the others said.
pub fn bundle_problem(e: &BundleError) -> Problem {
    let Some(first) = e.errors.first() else {
        return Problem::plain("syntax", "the bundle did not load");
    };
    let mut p = problem(first);
    if e.errors.len() > 1 {
        let others: Vec<String> = e.errors[1..].iter().map(|e| e.to_string()).collect();
        p.message = format!(
            "{}\n(and {} more: {})",
            p.message,
            others.len(),
            others.join("; ")
        );
    }
    p
}

#[cfg(test)]
mod tests {
    use super::*;

    fn two_modules() -> RegoBundle {
        RegoBundle {
            modules: vec![
                RegoModule {
                    name: "policy.rego".into(),
                    text: "package app\n\nimport data.lib.roles\n\ndefault allow := false\n\nallow if roles.admin[input.user]\n".into(),
                },
                RegoModule {
                    name: "lib.rego".into(),
                    text: "package lib.roles\n\nadmin contains u if some u in data.admins\n".into(),
                },
            ],
            data: r#"{"admins": ["ada"]}"#.into(),
        }
    }

    #[test]
    fn a_bundle_decides_by_its_first_modules_package() {
        let b = two_modules();
        assert!(!b.is_single());
        assert_eq!(b.main_package().as_deref(), Some("data.app"));
        let p = b.to_policy().unwrap();
        assert_eq!(p.package(), "data.app");
        let allow = |user: &str| {
            ztgym::rego::to_json(
                &p.eval("data.app.allow", &serde_json::json!({ "user": user }))
                    .unwrap(),
            )
        };
        assert_eq!(allow("ada"), serde_json::json!(true));
        assert_eq!(allow("bob"), serde_json::json!(false));
        // Back as it was edited.
        let again = RegoBundle::from_policy(&p);
        assert_eq!(again.modules, b.modules);
        assert_eq!(again.data_value().unwrap(), b.data_value().unwrap());
    }

    #[test]
    fn one_module_without_data_is_a_plain_policy() {
        let b = RegoBundle::single("p.rego", "package p\n\nallow := true\n");
        assert!(b.is_single());
        let p = b.to_policy().unwrap();
        assert!(p.bundle().is_none());
        assert_eq!(RegoBundle::from_policy(&p), b);
    }

    #[test]
    fn problems_name_their_module_or_the_data_pane() {
        let mut b = two_modules();
        b.modules[1].text = "package lib.roles\n\nadmin contains u if {\n".into();
        let p = b.to_policy().unwrap_err();
        assert_eq!(p.file.as_deref(), Some("lib.rego"));
        assert!(p.line.is_some());
        let mut b = two_modules();
        b.data = "{\"admins\": [\n".into();
        let p = b.load().unwrap_err();
        assert_eq!(p.file.as_deref(), Some(DATA_PANE));
        assert_eq!(p.line, Some(2));
        b.data = "[1]".into();
        assert!(b.load().unwrap_err().message.contains("JSON object"));
    }
}
