# Use case 9: tenant isolation guardrails for a multi-tenant platform (Rego v1).
# Strict tenant boundaries: a change acts on one tenant, named, and never grants one tenant
# access to another's resources; the platform's own shared-services tenant is not isolated by
# automation; outside the sandbox a tenant's network moves only with its owner's notice.
package hardening.tenants

known_actions := {
	"tighten_inbound_rule", "remove_iam_permission", "enforce_mfa", "rotate_key",
	"apply_segmentation", "reduce_token_ttl", "quarantine_workload",
	"isolate_tenant_network", "scope_tenant_identity", "dedicate_shared_resources",
}

tenant_actions := {"isolate_tenant_network", "scope_tenant_identity", "dedicate_shared_resources"}

platform_tenants := {"shared-services"}

deny contains msg if {
	not input.action.id in known_actions
	msg := sprintf("unknown action: %v", [input.action.id])
}

deny contains "a tenant change names its tenant" if {
	input.action.id in tenant_actions
	not input.action.params.tenant
}

deny contains msg if {
	input.action.params.grant_to
	input.action.params.grant_to != object.get(input.action.params, "tenant", "")
	msg := sprintf("deny cross-tenant access: %v to %v", [object.get(input.action.params, "tenant", "n/a"), input.action.params.grant_to])
}

deny contains msg if {
	input.action.id in tenant_actions
	input.action.params.tenant in platform_tenants
	msg := sprintf("%v is the platform's own tenant", [input.action.params.tenant])
}

deny contains "outside the sandbox a tenant's network moves with its owner's notice" if {
	input.action.id == "isolate_tenant_network"
	input.context.environment != "sandbox"
	not input.action.params.owner_notified
}

deny contains "quarantine is not a tenant boundary change" if input.action.id == "quarantine_workload"

default allow := false

allow if count(deny) == 0

# Tests.
change(id, params, env) := {
	"action": {"id": id, "params": params},
	"context": {"environment": env, "resource": {"service": "n/a", "principal": "n/a"}},
}

test_tenant_changes_allowed if {
	allow with input as change("scope_tenant_identity", {"tenant": "acme"}, "prod")
	allow with input as change("isolate_tenant_network", {"tenant": "acme", "owner_notified": true}, "prod")
}

test_cross_tenant_access_denied if {
	deny["deny cross-tenant access: acme to globex"] with input as change("scope_tenant_identity", {"tenant": "acme", "grant_to": "globex"}, "sandbox")
	allow with input as change("scope_tenant_identity", {"tenant": "acme", "grant_to": "acme"}, "sandbox")
}

test_platform_tenant_untouched if {
	deny["shared-services is the platform's own tenant"] with input as change("dedicate_shared_resources", {"tenant": "shared-services"}, "sandbox")
}

test_unnamed_tenant_denied if {
	deny["a tenant change names its tenant"] with input as change("scope_tenant_identity", {}, "sandbox")
}

test_network_moves_need_notice_outside_sandbox if {
	not allow with input as change("isolate_tenant_network", {"tenant": "acme"}, "stage")
	allow with input as change("isolate_tenant_network", {"tenant": "acme"}, "sandbox")
}
