# Use case 5: containment-first incident response (Rego v1). Containment only when the
# incident is severe; audit logging always on; a rollback plan for every containment; the
# services customers and payments depend on are never contained by automation.
package hardening.incident

known_actions := {
	"tighten_inbound_rule", "remove_iam_permission", "enforce_mfa", "rotate_key",
	"apply_segmentation", "reduce_token_ttl", "quarantine_workload",
}

containment := {"quarantine_workload", "rotate_key"}

# Risk score at or above which the incident is severe enough to contain.
severity_threshold := 70

business_critical := {"checkout-api", "payments"}

deny contains msg if {
	not input.action.id in known_actions
	msg := sprintf("unknown action: %v", [input.action.id])
}

deny contains msg if {
	input.action.id == "quarantine_workload"
	input.context.state.risk_score < severity_threshold
	msg := sprintf("containment needs a severe incident (risk %v < %v)", [input.context.state.risk_score, severity_threshold])
}

deny contains "containment requires audit logging" if {
	input.action.id in containment
	input.action.params.audit_log != true
}

deny contains "containment requires audit logging" if {
	input.action.id in containment
	not "audit_log" in object.keys(input.action.params)
}

deny contains "a quarantine needs a rollback plan" if {
	input.action.id == "quarantine_workload"
	not input.action.params.rollback_plan
}

deny contains msg if {
	input.action.id == "quarantine_workload"
	input.context.resource.service in business_critical
	msg := sprintf("%v is business critical: a person decides its containment", [input.context.resource.service])
}

default allow := false

allow if count(deny) == 0

# Tests.
incident(id, params, service, risk) := {
	"action": {"id": id, "params": params},
	"context": {"environment": "prod", "resource": {"service": service}, "state": {"risk_score": risk}},
}

good_quarantine := {"service": "batch-worker", "audit_log": true, "rollback_plan": "release it"}

test_severe_incident_contained if {
	allow with input as incident("quarantine_workload", good_quarantine, "batch-worker", 90)
}

test_mild_incident_not_contained if {
	deny["containment needs a severe incident (risk 40 < 70)"] with input as incident("quarantine_workload", good_quarantine, "batch-worker", 40)
}

test_audit_logging_required if {
	not allow with input as incident("rotate_key", {"principal": "worker-role"}, "n/a", 90)
	allow with input as incident("rotate_key", {"principal": "worker-role", "audit_log": true}, "n/a", 90)
}

test_rollback_plan_required if {
	deny["a quarantine needs a rollback plan"] with input as incident("quarantine_workload", {"audit_log": true}, "batch-worker", 90)
}

test_business_critical_left_to_people if {
	not allow with input as incident("quarantine_workload", object.union(good_quarantine, {"service": "payments"}), "payments", 99)
}
