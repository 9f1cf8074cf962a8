//! The hardening gate: a Rego policy's `allow` (a boolean, or seed 001's
//! `{"allowed", "reason"}`) and every reason of its `deny` set, evaluated in the VM under the
//! instruction budget.

use serde::Serialize;
use std::path::Path;
use std::sync::Arc;
use ztgym_rego::regorus::Value;
use ztgym_rego::{load_paths, ErrorKind, LoadOptions, Policy, Query, RegoError};

/// A gate's policy from a path (`--gate`, the Python `gate=`): a `.rego` file, or a bundle
/// directory (modules and `data.json`) whose package defining `allow` decides (`preferred`,
/// the scenario's own package, when the bundle has it). Errors name the file, line and column.
pub fn gate_policy(path: &str, preferred: Option<&str>) -> Result<Policy, String> {
    if Path::new(path).is_dir() {
        return bundle_policy(Path::new(path), preferred);
    }
    let text = ztgym_core::command::read(path, ztgym_core::fileio::Kind::Rego)?;
    Policy::load(path, &text).map_err(|e| e.to_string())
}

/// The policy of a bundle directory, as [`gate_policy`] chooses its package.
pub fn bundle_policy(dir: &Path, preferred: Option<&str>) -> Result<Policy, String> {
    let bundle = load_paths(&[dir], LoadOptions::default()).map_err(|e| e.to_string())?;
    let package = bundle
        .deciding_package("allow", preferred)
        .map_err(|e| e.to_string())?;
    Policy::from_bundle(bundle, &package).map_err(|e| e.to_string())
}

/// The gate's answer to one proposal.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct GateDecision {
    pub allowed: bool,
    /// The policy's one-line reason (seed 001: the denials joined with "; ", or
    /// `policy-allow`).
    pub reason: String,
    /// Every denial reason, one by one (empty when allowed).
    pub reasons: Vec<String>,
}

impl GateDecision {
    /// A decision from an error: denied, with the error as its reason (fail closed).
    pub fn failed(e: &RegoError) -> GateDecision {
        let reason = format!("policy error: {e}");
        GateDecision {
            allowed: false,
            reasons: vec![reason.clone()],
            reason,
        }
    }
}

/// A policy compiled for decisions. Cloning shares the compiled programs.
#[derive(Clone, Debug)]
pub struct RegoGate {
    policy: Arc<Policy>,
    allow: Query,
    deny: Option<Query>,
}

impl RegoGate {
    /// Compiles the policy's `allow` (required) and `deny` (if the policy has one).
    pub fn new(policy: Arc<Policy>) -> Result<RegoGate, RegoError> {
        let allow = policy.compile(&format!("{}.allow", policy.package()))?;
        let deny = policy.compile(&format!("{}.deny", policy.package())).ok();
        Ok(RegoGate {
            policy,
            allow,
            deny,
        })
    }

    /// The policy.
    pub fn policy(&self) -> &Arc<Policy> {
        &self.policy
    }

    /// Judges `input` (a proposal in seed 001's OPA input shape).
    /// `allow` first; the `deny` set only when it denies (an allowed proposal has no reason
    /// to give).
    pub fn decide(&mut self, input: Value) -> Result<GateDecision, RegoError> {
        let allow = self.allow.eval(input.clone())?;
        let denied = match &allow {
            Value::Bool(b) => !*b,
            Value::Object(o) => o.get(&Value::from("allowed")) != Some(&Value::Bool(true)),
            _ => true,
        };
        let reasons = match (&mut self.deny, denied) {
            (Some(q), true) => strings(&q.eval(input)?),
            _ => Vec::new(),
        };
        let (allowed, reason) = match &allow {
            Value::Bool(b) => (*b, None),
            Value::Undefined => (false, None),
            Value::Object(o) => {
                let allowed = o
                    .get(&Value::from("allowed"))
                    .map(|v| v == &Value::Bool(true));
                let reason = o
                    .get(&Value::from("reason"))
                    .and_then(|r| r.as_string().ok())
                    .map(|r| r.to_string());
                match allowed {
                    Some(a) => (a, reason),
                    None => return Err(self.shape_error(&allow)),
                }
            }
            _ => return Err(self.shape_error(&allow)),
        };
        let mut reasons = reasons;
        if !allowed && reasons.is_empty() {
            reasons.push(reason.clone().unwrap_or_else(|| "default-deny".to_string()));
        }
        if allowed {
            reasons.clear();
        }
        let reason = reason.unwrap_or_else(|| {
            if allowed {
                "policy-allow".to_string()
            } else {
                reasons.join("; ")
            }
        });
        Ok(GateDecision {
            allowed,
            reason,
            reasons,
        })
    }

    fn shape_error(&self, v: &Value) -> RegoError {
        RegoError {
            kind: ErrorKind::Eval,
            file: self.policy.name().to_string(),
            line: None,
            column: None,
            message: format!(
                "{}.allow must be a boolean or {{\"allowed\": bool, \"reason\": string}}, not {}",
                self.policy.package(),
                v.to_json_str().unwrap_or_default()
            ),
        }
    }
}

/// The strings of a set or array (a deny set's messages), in order.
fn strings(v: &Value) -> Vec<String> {
    let text = |x: &Value| match x.as_string() {
        Ok(s) => s.to_string(),
        Err(_) => x.to_json_str().unwrap_or_default(),
    };
    match v {
        Value::Set(s) => s.iter().map(text).collect(),
        Value::Array(a) => a.iter().map(text).collect(),
        _ => Vec::new(),
    }
}
