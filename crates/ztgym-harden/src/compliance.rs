//! Use case 6's resource kind: data stores and endpoints under compliance controls (encryption
//! at rest, minimum TLS version, logging, the configuration baseline), and the twin's
//! compatibility check against a change (a client or tool that needs what a change removes
//! stops working).

use crate::effect::{Effect, FLOW_BREAKAGE};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// The compliance actions, each on one controlled resource.
pub const CONTROL_ACTIONS: [&str; 4] = [
    "enforce_encryption",
    "enforce_tls",
    "enable_logging",
    "apply_config_baseline",
];

/// What a resource's clients may need that an action takes away (its `needs`).
pub const CONTROL_NEEDS: [&str; 3] = ["plaintext_storage", "legacy_tls", "custom_config"];

/// The minimum TLS minor version the baseline wants (TLS 1.2).
pub const TLS_BASELINE: u8 = 2;

/// A resource under compliance controls.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Control {
    pub name: String,
    pub encrypted: bool,
    /// The lowest TLS 1.x minor version it accepts (0 for TLS 1.0).
    pub tls_min: u8,
    pub logging: bool,
    /// The hardened configuration baseline is applied.
    pub baseline: bool,
    /// What its clients or tools cannot work without yet: `plaintext_storage`, `legacy_tls`,
    /// `custom_config`.
    #[serde(default)]
    pub needs: Vec<String>,
    /// Its clients work (the twin's compatibility check).
    #[serde(default = "crate::effect::works")]
    pub compatible: bool,
}

impl Control {
    /// Use case 6's compliance terms: +8 unencrypted at rest, +6 TLS below 1.2, +6 logging
    /// off, +4 without the configuration baseline.
    pub fn risk(&self) -> f64 {
        let flag = |b: bool, w: f64| if b { w } else { 0.0 };
        flag(!self.encrypted, 8.0)
            + flag(self.tls_min < TLS_BASELINE, 6.0)
            + flag(!self.logging, 6.0)
            + flag(!self.baseline, 4.0)
    }

    /// Whether action `id` still changes something on it.
    pub fn needs_action(&self, id: &str) -> bool {
        match id {
            "enforce_encryption" => !self.encrypted,
            "enforce_tls" => self.tls_min < TLS_BASELINE,
            "enable_logging" => !self.logging,
            "apply_config_baseline" => !self.baseline,
            _ => false,
        }
    }

    /// Applies action `id`; returns why its clients stop working, if they do.
    pub fn apply(
        &mut self,
        id: &str,
        changes: &mut Map<String, Value>,
        notes: &mut Vec<String>,
    ) -> Option<String> {
        let name = self.name.clone();
        let need = match id {
            "enforce_encryption" => {
                self.encrypted = true;
                changes.insert(format!("controls.{name}.encryptedAtRest"), true.into());
                notes.push(format!("encrypted {name} at rest"));
                "plaintext_storage"
            }
            "enforce_tls" => {
                self.tls_min = self.tls_min.max(TLS_BASELINE);
                changes.insert(format!("controls.{name}.tlsMin"), "1.2".into());
                notes.push(format!("set {name}'s minimum TLS to 1.2"));
                "legacy_tls"
            }
            "enable_logging" => {
                self.logging = true;
                changes.insert(format!("controls.{name}.logging"), true.into());
                notes.push(format!("enabled logging on {name}"));
                // Logging never breaks a client.
                ""
            }
            _ => {
                self.baseline = true;
                changes.insert(format!("controls.{name}.baseline"), true.into());
                notes.push(format!("applied the configuration baseline to {name}"));
                "custom_config"
            }
        };
        let breaks = !need.is_empty() && self.needs.iter().any(|n| n == need);
        self.compatible = self.compatible && !breaks;
        breaks.then(|| format!("{name}'s clients would stop working (needs {need})"))
    }
}

/// The effect of compliance action `id` on resource `name` (`slot`: none when unknown).
pub(crate) fn effect(slot: Option<&mut Control>, id: &str, name: &str, e: &mut Effect) {
    match slot {
        None => {
            e.breakage += 0.2;
            e.notes.push(format!("unknown resource {name}"));
        }
        Some(c) => {
            // A configuration change restarts the resource.
            e.breakage += 0.05;
            if let Some(why) = c.apply(id, &mut e.changes, &mut e.notes) {
                e.breakage += FLOW_BREAKAGE;
                e.notes.push(why);
            }
        }
    }
}
