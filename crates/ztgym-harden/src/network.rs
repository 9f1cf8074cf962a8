//! Seed 001's network resources: services, who may reach them, their segmentation and
//! quarantine, and the network actions' effect on one of them.

use crate::effect::{param, Effect};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// The address range open to everyone.
pub const ANYWHERE: &str = "0.0.0.0/0";
/// The internal range seed 001 tightens to (no breakage).
pub const INTERNAL: &str = "10.0.0.0/8";

/// A service: its open ports, who may reach it, whether it is segmented.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Service {
    pub name: String,
    pub ports: Vec<u16>,
    pub cidrs: Vec<String>,
    pub segmented: bool,
    /// Quarantined: cut off (the seed's quarantine, simulated).
    #[serde(default)]
    pub quarantined: bool,
    /// The range tightening should leave open (an approved admin or partner range), instead
    /// of the action's default `new_cidr`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tighten_to: Option<String>,
}

/// The effect of network action `id` on service `name` (`slot`: none when unknown).
pub(crate) fn effect(
    slot: Option<&mut Service>,
    id: &str,
    name: &str,
    params: &Map<String, Value>,
    e: &mut Effect,
) {
    match id {
        "tighten_inbound_rule" => {
            let service = name;
            let cidr = param(params, "new_cidr", INTERNAL);
            match slot {
                None => {
                    e.breakage = 0.3;
                    e.notes.push(format!("unknown service {service}"));
                }
                Some(s) => {
                    s.cidrs = vec![cidr.to_string()];
                    e.changes.insert(
                        format!("services.{service}.allowedCidrs"),
                        Value::from(vec![cidr]),
                    );
                    if cidr != INTERNAL {
                        e.breakage += 0.2;
                    }
                    e.notes.push(format!("set {service} allowedCidrs={cidr}"));
                }
            }
        }
        "apply_segmentation" => {
            let service = name;
            if let Some(s) = slot {
                s.segmented = true;
                e.changes
                    .insert(format!("services.{service}.segmented"), true.into());
                e.notes.push(format!("segmented {service}"));
            }
        }
        "quarantine_workload" => {
            let service = name;
            if let Some(s) = slot {
                s.quarantined = true;
            }
            e.changes
                .insert(format!("services.{service}.quarantined"), true.into());
            e.breakage += 0.6;
            e.notes.push("quarantined workload (simulated)".into());
        }
        _ => {}
    }
}
