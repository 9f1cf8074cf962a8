# Use case 2: Kubernetes posture hardening guardrails (Rego v1).
# The system components on the exception list keep their privileges (automation never
# restricts them); a pod security change names its workload and namespace; outside the
# sandbox a restrictive profile rolls out as a canary first; quarantine is no posture change.
package hardening.pods

known_actions := {
	"tighten_inbound_rule", "remove_iam_permission", "enforce_mfa", "rotate_key",
	"apply_segmentation", "reduce_token_ttl", "quarantine_workload",
	"apply_pod_security", "drop_capabilities", "enforce_resource_limits",
}

pod_actions := {"apply_pod_security", "drop_capabilities", "enforce_resource_limits"}

# namespace/workload of the system components that need their privileges.
exceptions := {"kube-system/cni-node", "kube-system/log-agent"}

target := sprintf("%v/%v", [object.get(input.action.params, "namespace", ""), object.get(input.action.params, "workload", "")])

deny contains msg if {
	not input.action.id in known_actions
	msg := sprintf("unknown action: %v", [input.action.id])
}

deny contains msg if {
	input.action.id in pod_actions
	target in exceptions
	msg := sprintf("%v is on the exception list for system components", [target])
}

deny contains "a pod security change names its workload and namespace" if {
	input.action.id in pod_actions
	not input.action.params.workload
}

deny contains "a pod security change names its workload and namespace" if {
	input.action.id in pod_actions
	not input.action.params.namespace
}

deny contains "outside the sandbox a restrictive profile rolls out as a canary first" if {
	input.action.id in {"apply_pod_security", "drop_capabilities"}
	input.context.environment != "sandbox"
	object.get(input.action.params, "rollout", "") != "canary"
}

deny contains "quarantine is not a posture change" if input.action.id == "quarantine_workload"

default allow := false

allow if count(deny) == 0

# Tests.
change(id, params, env) := {
	"action": {"id": id, "params": params},
	"context": {"environment": env, "resource": {"service": "n/a", "principal": "n/a"}},
}

test_restricting_an_application_workload_allowed if {
	allow with input as change("apply_pod_security", {"workload": "payments", "namespace": "shop", "rollout": "canary"}, "prod")
	allow with input as change("enforce_resource_limits", {"workload": "checkout", "namespace": "shop"}, "prod")
}

test_exception_list_untouchable if {
	deny["kube-system/cni-node is on the exception list for system components"] with input as change("drop_capabilities", {"workload": "cni-node", "namespace": "kube-system", "rollout": "canary"}, "sandbox")
	not allow with input as change("apply_pod_security", {"workload": "log-agent", "namespace": "kube-system", "rollout": "canary"}, "sandbox")
}

test_same_name_elsewhere_is_not_excepted if {
	allow with input as change("apply_pod_security", {"workload": "log-agent", "namespace": "shop", "rollout": "canary"}, "sandbox")
}

test_unnamed_target_denied if {
	deny["a pod security change names its workload and namespace"] with input as change("enforce_resource_limits", {"workload": "checkout"}, "sandbox")
}

test_canary_required_outside_sandbox if {
	not allow with input as change("apply_pod_security", {"workload": "payments", "namespace": "shop"}, "stage")
	allow with input as change("apply_pod_security", {"workload": "payments", "namespace": "shop"}, "sandbox")
}

test_unknown_and_quarantine_denied if {
	deny["unknown action: disable_admission"] with input as change("disable_admission", {}, "sandbox")
	deny["quarantine is not a posture change"] with input as change("quarantine_workload", {"service": "shop-ingress"}, "sandbox")
}
