# Use case 6: continuous compliance guardrails (Rego v1).
# The must-have controls: nothing weakens the compliance baseline (no action turns logging off,
# lowers the TLS minimum or decrypts); a TLS change sets 1.2 or higher; a control change names
# its resource; in prod, encrypting a data store needs a maintenance window.
package hardening.compliance

known_actions := {
	"tighten_inbound_rule", "remove_iam_permission", "enforce_mfa", "rotate_key",
	"apply_segmentation", "reduce_token_ttl", "quarantine_workload",
	"enforce_encryption", "enforce_tls", "enable_logging", "apply_config_baseline",
}

control_actions := {"enforce_encryption", "enforce_tls", "enable_logging", "apply_config_baseline"}

weakening := {"disable_logging", "lower_tls", "disable_encryption", "remove_config_baseline"}

deny contains msg if {
	not input.action.id in known_actions
	not input.action.id in weakening
	msg := sprintf("unknown action: %v", [input.action.id])
}

deny contains msg if {
	input.action.id in weakening
	msg := sprintf("%v weakens the compliance baseline", [input.action.id])
}

deny contains "a TLS minimum below 1.2 is not compliant" if {
	input.action.id == "enforce_tls"
	object.get(input.action.params, "min_tls", "1.2") in {"1.0", "1.1"}
}

deny contains "a control change names its resource" if {
	input.action.id in control_actions
	not input.action.params.resource
}

deny contains "encryption in prod needs a maintenance window" if {
	input.action.id == "enforce_encryption"
	input.context.environment == "prod"
	not input.action.params.maintenance_window
}

deny contains "quarantine is not a compliance change" if input.action.id == "quarantine_workload"

default allow := false

allow if count(deny) == 0

# Tests.
change(id, params, env) := {
	"action": {"id": id, "params": params},
	"context": {"environment": env, "resource": {"service": "n/a", "principal": "n/a"}},
}

test_controls_allowed if {
	allow with input as change("enable_logging", {"resource": "orders-db"}, "prod")
	allow with input as change("enforce_tls", {"resource": "api-gateway", "min_tls": "1.3"}, "prod")
}

test_weakening_denied if {
	deny["disable_logging weakens the compliance baseline"] with input as change("disable_logging", {"resource": "orders-db"}, "sandbox")
	not allow with input as change("lower_tls", {"resource": "api-gateway"}, "sandbox")
}

test_tls_below_1_2_denied if {
	deny["a TLS minimum below 1.2 is not compliant"] with input as change("enforce_tls", {"resource": "api-gateway", "min_tls": "1.1"}, "sandbox")
}

test_unnamed_resource_denied if {
	deny["a control change names its resource"] with input as change("apply_config_baseline", {}, "sandbox")
}

test_prod_encryption_needs_a_window if {
	not allow with input as change("enforce_encryption", {"resource": "orders-db"}, "prod")
	allow with input as change("enforce_encryption", {"resource": "orders-db", "maintenance_window": "sun-02:00"}, "prod")
}
