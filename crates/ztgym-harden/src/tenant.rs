//! Use case 9's resource kind: the tenants of a multi-tenant platform, their network and
//! identity boundaries and the resources they share, and the twin's simulated tenant workflows
//! against a change (a tenant whose workflow needs what a change takes away breaks).

use crate::effect::{Effect, FLOW_BREAKAGE};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// The tenant isolation actions, each on one tenant.
pub const TENANT_ACTIONS: [&str; 3] = [
    "isolate_tenant_network",
    "scope_tenant_identity",
    "dedicate_shared_resources",
];

/// What a tenant's workflows may need that an action takes away (its `needs`).
pub const TENANT_NEEDS: [&str; 3] = ["flat_network", "broad_identity", "shared_resources"];

/// A tenant.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Tenant {
    pub name: String,
    /// Its own network segment (no route to other tenants).
    pub network_isolated: bool,
    /// Its identities can only act on its own resources.
    pub identity_scoped: bool,
    /// Resources it shares with other tenants (a cache, a queue, a database).
    pub shared: Vec<String>,
    /// Cross-tenant access attempts seen in the window (telemetry).
    pub cross_tenant_attempts: f64,
    /// What its workflows cannot run without yet: `flat_network` (it calls a peer tenant's
    /// service directly), `broad_identity` (a job acting across tenants), `shared_resources`
    /// (it cannot move off the shared ones yet).
    #[serde(default)]
    pub needs: Vec<String>,
    /// Its workflows succeed (the twin's simulated tenant workflows).
    #[serde(default = "crate::effect::works")]
    pub working: bool,
}

impl Tenant {
    /// Use case 9's cross-tenant terms: +8 without network isolation, +8 with unscoped
    /// identities, +4 per shared resource, and the cross-tenant attempts (at most 10) while
    /// either boundary is open.
    pub fn risk(&self) -> f64 {
        let flag = |b: bool, w: f64| if b { w } else { 0.0 };
        let open = !self.network_isolated || !self.identity_scoped;
        flag(!self.network_isolated, 8.0)
            + flag(!self.identity_scoped, 8.0)
            + 4.0 * self.shared.len() as f64
            + flag(open, self.cross_tenant_attempts.min(10.0))
    }

    /// Whether action `id` still changes something on it.
    pub fn needs_action(&self, id: &str) -> bool {
        match id {
            "isolate_tenant_network" => !self.network_isolated,
            "scope_tenant_identity" => !self.identity_scoped,
            "dedicate_shared_resources" => !self.shared.is_empty(),
            _ => false,
        }
    }

    /// Applies action `id`; returns why its workflows break, if they do.
    pub fn apply(
        &mut self,
        id: &str,
        changes: &mut Map<String, Value>,
        notes: &mut Vec<String>,
    ) -> Option<String> {
        let name = self.name.clone();
        let need = match id {
            "isolate_tenant_network" => {
                self.network_isolated = true;
                changes.insert(format!("tenants.{name}.networkIsolated"), true.into());
                notes.push(format!("isolated {name}'s network segment"));
                "flat_network"
            }
            "scope_tenant_identity" => {
                self.identity_scoped = true;
                changes.insert(format!("tenants.{name}.identityScoped"), true.into());
                notes.push(format!("scoped {name}'s identities to its own resources"));
                "broad_identity"
            }
            _ => {
                let moved = std::mem::take(&mut self.shared);
                changes.insert(
                    format!("tenants.{name}.dedicated"),
                    Value::from(moved.clone()),
                );
                notes.push(format!("gave {name} dedicated {}", moved.join(", ")));
                "shared_resources"
            }
        };
        let breaks = self.needs.iter().any(|n| n == need);
        self.working = self.working && !breaks;
        breaks.then(|| format!("{name}'s workflows would break (needs {need})"))
    }
}

/// The effect of tenant action `id` on tenant `name` (`slot`: none when unknown).
pub(crate) fn effect(slot: Option<&mut Tenant>, id: &str, name: &str, e: &mut Effect) {
    match slot {
        None => {
            e.breakage += 0.2;
            e.notes.push(format!("unknown tenant {name}"));
        }
        Some(t) => {
            // A boundary change is rolled out tenant-wide.
            e.breakage += 0.05;
            if let Some(why) = t.apply(id, &mut e.changes, &mut e.notes) {
                e.breakage += FLOW_BREAKAGE;
                e.notes.push(why);
            }
        }
    }
}
