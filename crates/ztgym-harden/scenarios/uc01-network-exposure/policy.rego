# Use case 1: network exposure guardrails (Rego v1).
# Never block approved admin ranges; every network change carries a change ticket; the
# protected namespace is not touched by automation; nothing opens to 0.0.0.0/0.
package hardening.network

known_actions := {
	"tighten_inbound_rule", "remove_iam_permission", "enforce_mfa", "rotate_key",
	"apply_segmentation", "reduce_token_ttl", "quarantine_workload",
}

network_changes := {"tighten_inbound_rule", "apply_segmentation", "quarantine_workload"}

protected_services := {"ingress-gateway"}

approved_admin_ranges := {"admin-portal": "198.51.100.0/24"}

deny contains msg if {
	not input.action.id in known_actions
	msg := sprintf("unknown action: %v", [input.action.id])
}

deny contains msg if {
	input.action.id in network_changes
	input.context.resource.service in protected_services
	msg := sprintf("%v is in a protected namespace", [input.context.resource.service])
}

deny contains "a network change needs a change ticket tag" if {
	input.action.id in {"tighten_inbound_rule", "apply_segmentation"}
	not input.action.params.ticket
}

deny contains msg if {
	input.action.id == "tighten_inbound_rule"
	admin := approved_admin_ranges[input.context.resource.service]
	not net.cidr_contains(object.get(input.action.params, "new_cidr", "0.0.0.0/32"), admin)
	msg := sprintf("tightening %v must keep the approved admin range %v", [input.context.resource.service, admin])
}

deny contains "inbound rule must not allow 0.0.0.0/0" if {
	input.action.id == "tighten_inbound_rule"
	input.action.params.new_cidr == "0.0.0.0/0"
}

deny contains "quarantine needs a person's approval outside the sandbox" if {
	input.action.id == "quarantine_workload"
	input.context.environment != "sandbox"
}

default allow := false

allow if count(deny) == 0

# Tests.
proposal(id, params, service) := {
	"action": {"id": id, "params": params},
	"context": {"environment": "stage", "resource": {"service": service, "principal": "n/a"}},
}

test_tighten_with_ticket_allowed if {
	allow with input as proposal("tighten_inbound_rule", {"new_cidr": "10.0.0.0/8", "ticket": "CHG-1"}, "reports-api")
}

test_ticket_required if {
	deny["a network change needs a change ticket tag"] with input as proposal("apply_segmentation", {}, "reports-api")
}

test_admin_range_kept if {
	allow with input as proposal("tighten_inbound_rule", {"new_cidr": "198.51.100.0/24", "ticket": "CHG-1"}, "admin-portal")
	not allow with input as proposal("tighten_inbound_rule", {"new_cidr": "10.0.0.0/8", "ticket": "CHG-1"}, "admin-portal")
}

test_protected_namespace if {
	deny["ingress-gateway is in a protected namespace"] with input as proposal("apply_segmentation", {"ticket": "CHG-1"}, "ingress-gateway")
}

test_identity_changes_need_no_ticket if {
	allow with input as proposal("enforce_mfa", {"principal": "ops"}, "n/a")
}
