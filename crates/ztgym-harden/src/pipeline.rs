//! Use case 7's resource kind: CI/CD pipelines, their artifact signing, dependency pinning,
//! runner permissions, build secrets and scanning, and the twin's simulated build against a
//! change (a pipeline whose needs a change removes fails its build).

use crate::effect::{Effect, FLOW_BREAKAGE};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// The supply chain actions, each on one pipeline.
pub const PIPELINE_ACTIONS: [&str; 4] = [
    "sign_artifacts",
    "pin_dependencies",
    "restrict_runner",
    "rotate_build_secrets",
];

/// What a pipeline's build may need that an action takes away (its `needs`).
pub const PIPELINE_NEEDS: [&str; 4] = [
    "unsigned",
    "floating_dependencies",
    "privileged_runner",
    "static_secrets",
];

/// Build secrets older than this many days are stale.
pub const SECRET_MAX_AGE_DAYS: u32 = 90;

/// A CI/CD pipeline.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Pipeline {
    pub name: String,
    pub signed: bool,
    pub pinned: bool,
    /// The runner holds broad permissions (docker socket, cloud admin).
    pub privileged_runner: bool,
    pub secrets_age_days: u32,
    /// The secret scanning step runs.
    pub scanning: bool,
    /// What its build cannot succeed without: `privileged_runner` (docker-in-docker),
    /// `floating_dependencies` (no lockfile yet: pinning fails the build), `unsigned` (a
    /// consumer that cannot verify signatures yet), `static_secrets` (a job that reads a
    /// secret rotation invalidates).
    #[serde(default)]
    pub needs: Vec<String>,
    /// Its build succeeds (the twin's simulated build).
    #[serde(default = "crate::effect::works")]
    pub builds: bool,
}

impl Pipeline {
    /// Use case 7's supply chain terms: +8 unsigned artifacts, +6 unpinned dependencies, +6 a
    /// privileged runner, +4 stale build secrets, +10 scanning off.
    pub fn risk(&self) -> f64 {
        let flag = |b: bool, w: f64| if b { w } else { 0.0 };
        flag(!self.signed, 8.0)
            + flag(!self.pinned, 6.0)
            + flag(self.privileged_runner, 6.0)
            + flag(self.secrets_age_days > SECRET_MAX_AGE_DAYS, 4.0)
            + flag(!self.scanning, 10.0)
    }

    /// Whether action `id` still changes something on it.
    pub fn needs_action(&self, id: &str) -> bool {
        match id {
            "sign_artifacts" => !self.signed,
            "pin_dependencies" => !self.pinned,
            "restrict_runner" => self.privileged_runner,
            "rotate_build_secrets" => self.secrets_age_days > SECRET_MAX_AGE_DAYS,
            _ => false,
        }
    }

    /// Applies action `id`; returns why the simulated build fails, if it does.
    pub fn apply(
        &mut self,
        id: &str,
        changes: &mut Map<String, Value>,
        notes: &mut Vec<String>,
    ) -> Option<String> {
        let name = self.name.clone();
        let (need, what) = match id {
            "sign_artifacts" => {
                self.signed = true;
                ("unsigned", "signed its artifacts")
            }
            "pin_dependencies" => {
                self.pinned = true;
                ("floating_dependencies", "pinned its dependencies")
            }
            "restrict_runner" => {
                self.privileged_runner = false;
                ("privileged_runner", "restricted its runner's permissions")
            }
            _ => {
                self.secrets_age_days = 0;
                ("static_secrets", "rotated its build secrets")
            }
        };
        changes.insert(format!("pipelines.{name}.{id}"), true.into());
        notes.push(format!("{name}: {what}"));
        let fails = self.needs.iter().any(|n| n == need);
        self.builds = self.builds && !fails;
        fails.then(|| format!("{name} would fail its build (needs {need})"))
    }
}

/// The effect of pipeline action `id` on pipeline `name` (`slot`: none when unknown).
pub(crate) fn effect(slot: Option<&mut Pipeline>, id: &str, name: &str, e: &mut Effect) {
    match slot {
        None => {
            e.breakage += 0.2;
            e.notes.push(format!("unknown pipeline {name}"));
        }
        Some(p) => {
            // The pipeline's next run is a change too.
            e.breakage += 0.05;
            if let Some(why) = p.apply(id, &mut e.changes, &mut e.notes) {
                e.breakage += FLOW_BREAKAGE;
                e.notes.push(why);
            }
        }
    }
}
