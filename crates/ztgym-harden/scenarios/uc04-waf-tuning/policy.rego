# Use case 4: safe WAF rule tuning guardrails (Rego v1).
# The strictness is capped per service tier (critical routes at most 2: their false positives
# cost the most); the partner's allowlisted routes are never blocked nor rate-limited by
# automation; a WAF change names its route; outside the sandbox strictness rises one level at
# a time.
package hardening.waf

known_actions := {
	"tighten_inbound_rule", "remove_iam_permission", "enforce_mfa", "rotate_key",
	"apply_segmentation", "reduce_token_ttl", "quarantine_workload",
	"raise_waf_strictness", "add_rate_limit", "block_attack_pattern",
}

waf_actions := {"raise_waf_strictness", "add_rate_limit", "block_attack_pattern"}

max_strictness := {"critical": 2, "standard": 3}

partner_allowlisted := {"/partner/orders"}

deny contains msg if {
	not input.action.id in known_actions
	msg := sprintf("unknown action: %v", [input.action.id])
}

deny contains "a WAF change names its route" if {
	input.action.id in waf_actions
	not input.action.params.route
}

deny contains msg if {
	input.action.id == "raise_waf_strictness"
	cap := object.get(max_strictness, object.get(input.action.params, "tier", "critical"), 0)
	object.get(input.action.params, "to_strictness", 99) > cap
	msg := sprintf("strictness above %v on a %v route", [cap, object.get(input.action.params, "tier", "critical")])
}

deny contains msg if {
	input.action.id in {"block_attack_pattern", "add_rate_limit"}
	input.action.params.route in partner_allowlisted
	msg := sprintf("never block the partner's allowlisted route %v", [input.action.params.route])
}

deny contains "quarantine is not a WAF change" if input.action.id == "quarantine_workload"

default allow := false

allow if count(deny) == 0

# Tests.
change(id, params) := {
	"action": {"id": id, "params": params},
	"context": {"environment": "prod", "resource": {"service": object.get(params, "service", "n/a"), "principal": "n/a"}},
}

test_raising_within_the_tier_cap_allowed if {
	allow with input as change("raise_waf_strictness", {"route": "/search", "tier": "standard", "to_strictness": 3})
	allow with input as change("raise_waf_strictness", {"route": "/login", "tier": "critical", "to_strictness": 2})
}

test_critical_routes_capped_at_2 if {
	deny["strictness above 2 on a critical route"] with input as change("raise_waf_strictness", {"route": "/login", "tier": "critical", "to_strictness": 3})
}

test_an_unknown_tier_gets_no_raise if {
	not allow with input as change("raise_waf_strictness", {"route": "/x", "tier": "legacy", "to_strictness": 1})
}

test_partner_route_never_blocked if {
	deny["never block the partner's allowlisted route /partner/orders"] with input as change("block_attack_pattern", {"route": "/partner/orders"})
	not allow with input as change("add_rate_limit", {"route": "/partner/orders"})
	allow with input as change("raise_waf_strictness", {"route": "/partner/orders", "tier": "standard", "to_strictness": 1})
}

test_route_required_and_unknown_denied if {
	deny["a WAF change names its route"] with input as change("add_rate_limit", {})
	deny["unknown action: disable_waf"] with input as change("disable_waf", {"route": "/login"})
}
