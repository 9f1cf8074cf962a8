//! Use case 2's resource kind: workloads (Kubernetes deployments) with their pod security
//! settings and what they cannot start without, and the pod security actions' effect.

use crate::effect::{works, Effect, FLOW_BREAKAGE};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// A workload (use case 2): a Kubernetes deployment's pod security settings, and what it
/// cannot start without.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Workload {
    pub name: String,
    pub namespace: String,
    /// Runs privileged containers.
    pub privileged: bool,
    /// Shares the node's network namespace.
    pub host_network: bool,
    /// Mounts a path of the node.
    pub host_path: bool,
    /// Capabilities added beyond the runtime's defaults (NET_ADMIN, SYS_ADMIN ...).
    pub capabilities: Vec<String>,
    /// CPU and memory limits set.
    pub limits: bool,
    /// What the workload cannot start without: `privileged`, `host_network`, `host_path`, a
    /// capability's name, or `unlimited` (it is evicted or fails to schedule under the
    /// baseline limits).
    #[serde(default)]
    pub needs: Vec<String>,
    /// Ready pods (the twin's `pods_ready`); a workload whose needs a change removes is not.
    #[serde(default = "works")]
    pub ready: bool,
}

/// The settings a workload may need (its `needs`; a capability it holds may be needed too).
pub const WORKLOAD_NEEDS: [&str; 4] = ["privileged", "host_network", "host_path", "unlimited"];

/// The pod security actions (use case 2), each on one workload.
pub const POD_ACTIONS: [&str; 3] = [
    "apply_pod_security",
    "drop_capabilities",
    "enforce_resource_limits",
];

impl Workload {
    /// Use case 2's posture terms: +10 privileged, +5 host network, +5 host path, +3 per
    /// added capability, +3 without limits.
    pub fn risk(&self) -> f64 {
        let flag = |b: bool, w: f64| if b { w } else { 0.0 };
        flag(self.privileged, 10.0)
            + flag(self.host_network, 5.0)
            + flag(self.host_path, 5.0)
            + 3.0 * self.capabilities.len() as f64
            + flag(!self.limits, 3.0)
    }

    /// Whether the pod security actions `id` still change something on it.
    pub fn needs_action(&self, id: &str) -> bool {
        match id {
            "apply_pod_security" => self.privileged || self.host_network || self.host_path,
            "drop_capabilities" => !self.capabilities.is_empty(),
            "enforce_resource_limits" => !self.limits,
            _ => false,
        }
    }

    /// Whether it still starts with its settings.
    fn starts(&self) -> bool {
        self.needs.iter().all(|n| match n.as_str() {
            "privileged" => self.privileged,
            "host_network" => self.host_network,
            "host_path" => self.host_path,
            "unlimited" => !self.limits,
            cap => self.capabilities.iter().any(|c| c == cap),
        })
    }
}

/// The effect of pod security action `id` on workload `name` (`slot`: none when unknown).
pub(crate) fn effect(slot: Option<&mut Workload>, id: &str, name: &str, e: &mut Effect) {
    match slot {
        None => {
            e.breakage += 0.2;
            e.notes.push(format!("unknown workload {name}"));
        }
        Some(w) => {
            pod_change(w, id, &mut e.changes, &mut e.notes);
            // A rollout restarts the pods: a little breakage even when it starts.
            e.breakage += 0.05;
            w.ready = w.starts();
            if !w.ready {
                e.breakage += FLOW_BREAKAGE;
                e.notes.push(format!(
                    "{name} would fail to start (needs {})",
                    w.needs.join(", ")
                ));
            }
        }
    }
}

/// Applies pod security action `id` to `w`, recording what it sets.
fn pod_change(
    w: &mut Workload,
    id: &str,
    changes: &mut Map<String, Value>,
    notes: &mut Vec<String>,
) {
    let name = w.name.clone();
    match id {
        "apply_pod_security" => {
            w.privileged = false;
            w.host_network = false;
            w.host_path = false;
            changes.insert(format!("workloads.{name}.podSecurity"), "restricted".into());
            notes.push(format!(
                "applied the restricted pod security profile to {name}"
            ));
        }
        "drop_capabilities" => {
            let dropped = std::mem::take(&mut w.capabilities);
            changes.insert(
                format!("workloads.{name}.capabilities_dropped"),
                Value::from(dropped.clone()),
            );
            notes.push(format!("dropped {} from {name}", dropped.join(", ")));
        }
        _ => {
            w.limits = true;
            changes.insert(format!("workloads.{name}.limits"), true.into());
            notes.push(format!("enforced resource limits on {name}"));
        }
    }
}
