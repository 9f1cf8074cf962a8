# Use case 3: least-privilege guardrails (Rego v1).
package hardening.iam

known_actions := {
	"tighten_inbound_rule", "remove_iam_permission", "enforce_mfa", "rotate_key",
	"apply_segmentation", "reduce_token_ttl", "quarantine_workload",
}

break_glass := {"breakglass-admin"}

# Identities no person logs in as: MFA cannot apply; rotate their keys instead.
machine_identities := {"ci-deployer"}

principal := object.get(input.action.params, "principal", input.context.resource.principal)

deny contains msg if {
	not input.action.id in known_actions
	msg := sprintf("unknown action: %v", [input.action.id])
}

deny contains "never modify a break-glass role" if {
	input.action.id in {"remove_iam_permission", "reduce_token_ttl", "enforce_mfa"}
	principal in break_glass
}

deny contains "a permission removal needs the owner's approval tag" if {
	input.action.id == "remove_iam_permission"
	not input.action.params.owner_approval
}

deny contains msg if {
	input.action.id == "enforce_mfa"
	principal in machine_identities
	msg := sprintf("%v is a machine identity: rotate its keys instead of MFA", [principal])
}

deny contains "quarantine is not an IAM change" if input.action.id == "quarantine_workload"

default allow := false

allow if count(deny) == 0

# Tests.
change(id, params) := {
	"action": {"id": id, "params": params},
	"context": {"environment": "prod", "resource": {"service": "n/a", "principal": object.get(params, "principal", "n/a")}},
}

test_owner_approved_removal_allowed if {
	allow with input as change("remove_iam_permission", {"principal": "app-role", "permission": "*:*", "owner_approval": "yes"})
}

test_removal_without_approval_denied if {
	deny["a permission removal needs the owner's approval tag"] with input as change("remove_iam_permission", {"principal": "app-role"})
}

test_break_glass_untouchable if {
	deny["never modify a break-glass role"] with input as change("remove_iam_permission", {"principal": "breakglass-admin", "owner_approval": "yes"})
	deny["never modify a break-glass role"] with input as change("reduce_token_ttl", {"principal": "breakglass-admin"})
}

test_machine_identities_rotate_instead if {
	not allow with input as change("enforce_mfa", {"principal": "ci-deployer"})
	allow with input as change("rotate_key", {"principal": "ci-deployer"})
}
