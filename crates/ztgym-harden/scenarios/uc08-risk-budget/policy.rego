# Use case 8: the same policy for every environment, stricter as changes get closer to
# customers (Rego v1). The twin's budgets (scenario.toml) do the rest.
package hardening.budget

known_actions := {
	"tighten_inbound_rule", "remove_iam_permission", "enforce_mfa", "rotate_key",
	"apply_segmentation", "reduce_token_ttl", "quarantine_workload",
}

# What each environment lets automation do.
allowed_actions := {
	"sandbox": known_actions,
	"stage": known_actions - {"quarantine_workload"},
	"prod": {"tighten_inbound_rule", "apply_segmentation", "enforce_mfa", "reduce_token_ttl", "remove_iam_permission"},
}

env := input.context.environment

deny contains msg if {
	not input.action.id in known_actions
	msg := sprintf("unknown action: %v", [input.action.id])
}

deny contains msg if {
	input.action.id in known_actions
	not input.action.id in object.get(allowed_actions, env, set())
	msg := sprintf("%v is not allowed in %v", [input.action.id, env])
}

deny contains "in prod a permission removal needs a change window" if {
	env == "prod"
	input.action.id == "remove_iam_permission"
	not input.action.params.change_window
}

deny contains "in prod, changes wait while the risk is critical (>= 95): a person decides" if {
	env == "prod"
	input.action.id in {"remove_iam_permission", "tighten_inbound_rule"}
	input.context.state.risk_score >= 95
}

default allow := false

allow if count(deny) == 0

# Tests.
in_env(e, id, params, risk) := {
	"action": {"id": id, "params": params},
	"context": {"environment": e, "resource": {}, "state": {"risk_score": risk}},
}

test_sandbox_allows_the_broad_set if {
	allow with input as in_env("sandbox", "quarantine_workload", {}, 50)
}

test_stage_denies_quarantine if {
	deny["quarantine_workload is not allowed in stage"] with input as in_env("stage", "quarantine_workload", {}, 50)
}

test_prod_is_conservative if {
	not allow with input as in_env("prod", "rotate_key", {}, 50)
	allow with input as in_env("prod", "enforce_mfa", {}, 99)
	not allow with input as in_env("prod", "tighten_inbound_rule", {}, 99)
	allow with input as in_env("prod", "tighten_inbound_rule", {}, 60)
}

test_prod_removal_needs_a_window if {
	not allow with input as in_env("prod", "remove_iam_permission", {}, 60)
	allow with input as in_env("prod", "remove_iam_permission", {"change_window": "sat"}, 60)
}
