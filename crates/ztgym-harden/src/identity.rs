//! Seed 001's identities: principals, their permissions, MFA and token lifetime, and the
//! identity actions' effect on one of them.

use crate::effect::{param, Effect};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// The permission that grants everything.
pub const WILDCARD: &str = "*:*";

/// A principal: its permissions, MFA and token lifetime.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Principal {
    pub name: String,
    pub permissions: Vec<String>,
    pub mfa: bool,
    pub ttl_mins: u32,
}

/// The effect of identity action `id` on principal `name` (`slot`: none when unknown, and
/// for `rotate_key`, which names none).
pub(crate) fn effect(
    slot: Option<&mut Principal>,
    id: &str,
    name: &str,
    params: &Map<String, Value>,
    e: &mut Effect,
) {
    match id {
        "remove_iam_permission" => {
            let principal = name;
            let perm = param(params, "permission", WILDCARD);
            match slot {
                None => {
                    e.breakage += 0.2;
                    e.notes.push(format!("unknown principal {principal}"));
                }
                Some(p) => {
                    p.permissions.retain(|x| x != perm);
                    e.changes.insert(
                        format!("iam.principals.{principal}.permissions_removed"),
                        perm.into(),
                    );
                    e.breakage += if perm == WILDCARD { 0.15 } else { 0.05 };
                    e.notes.push(format!("removed {perm} from {principal}"));
                }
            }
        }
        "enforce_mfa" => {
            let principal = name;
            if let Some(p) = slot {
                p.mfa = true;
                e.changes
                    .insert(format!("iam.principals.{principal}.mfa"), true.into());
                e.breakage += 0.05;
                e.notes.push(format!("enabled MFA for {principal}"));
            }
        }
        "rotate_key" => {
            e.changes
                .insert("iam.key_rotation".into(), "simulated".into());
            e.breakage += 0.1;
            e.notes.push("rotated key (simulated)".into());
        }
        "reduce_token_ttl" => {
            let principal = name;
            let ttl = params
                .get("new_ttl_mins")
                .and_then(Value::as_u64)
                .map_or(30, |t| t.min(u64::from(u32::MAX)) as u32);
            if let Some(p) = slot {
                p.ttl_mins = ttl;
                e.changes.insert(
                    format!("iam.principals.{principal}.tokenTtlMins"),
                    ttl.into(),
                );
                e.breakage += 0.05;
                e.notes
                    .push(format!("set token TTL for {principal} to {ttl}m"));
            }
        }
        _ => {}
    }
}
