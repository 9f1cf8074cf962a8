# Seed 001's zero-trust gate, in the legacy Rego syntax (v0) the seed's policy is written in:
# rules without `if`, partial sets with `deny[msg] { ... }`. It loads with no flag.
#
# Input: {"action": {"id", "params"}, "context": {"environment", "actor", "resource":
# {"service", "principal"}, "state": {"risk_score"}}}.
# Answer: data.zt.allow = {"allowed": bool, "reason": text}; every reason is in data.zt.deny.
package zt

default allow = {"allowed": false, "reason": "default-deny"}

# The seven actions the hardener knows.
known_actions := {
  "tighten_inbound_rule",
  "remove_iam_permission",
  "enforce_mfa",
  "rotate_key",
  "apply_segmentation",
  "reduce_token_ttl",
  "quarantine_workload"
}

deny[msg] {
  not known_actions[input.action.id]
  msg := sprintf("unknown action: %v", [input.action.id])
}

deny[msg] {
  input.action.id == "quarantine_workload"
  input.context.environment == "prod"
  msg := "quarantine requires explicit human approval in prod"
}

deny[msg] {
  input.action.id == "tighten_inbound_rule"
  object.get(input.action.params, "new_cidr", "") == "0.0.0.0/0"
  msg := "inbound rule must not allow 0.0.0.0/0"
}

deny[msg] {
  input.action.id == "remove_iam_permission"
  object.get(input.context.resource, "principal", "") == "breakglass-admin"
  msg := "cannot modify break-glass principal"
}

allow = {"allowed": true, "reason": "policy-allow"} {
  count(deny) == 0
}

allow = {"allowed": false, "reason": concat("; ", [m | deny[m]])} {
  count(deny) > 0
}

# Tests, run like `opa test` by `ztgym rego test` and the test suite.
sandbox(id, params, resource) = {"action": {"id": id, "params": params}, "context": {"environment": "sandbox", "resource": resource}}

test_mfa_allowed {
  allow == {"allowed": true, "reason": "policy-allow"} with input as sandbox("enforce_mfa", {"principal": "app-role"}, {"principal": "app-role"})
}

test_quarantine_allowed_in_sandbox {
  allow.allowed with input as sandbox("quarantine_workload", {"service": "checkout-api"}, {"service": "checkout-api"})
}

test_quarantine_denied_in_prod {
  allow == {"allowed": false, "reason": "quarantine requires explicit human approval in prod"} with input as {"action": {"id": "quarantine_workload", "params": {}}, "context": {"environment": "prod", "resource": {}}}
}

test_open_cidr_denied {
  deny["inbound rule must not allow 0.0.0.0/0"] with input as sandbox("tighten_inbound_rule", {"new_cidr": "0.0.0.0/0"}, {})
}

test_breakglass_untouchable {
  not allow.allowed with input as sandbox("remove_iam_permission", {"principal": "breakglass-admin"}, {"principal": "breakglass-admin"})
}

test_unknown_action_denied {
  allow.reason == "unknown action: delete_everything" with input as sandbox("delete_everything", {}, {})
}

test_breakglass_reason {
  deny["cannot modify break-glass principal"] with input as sandbox("remove_iam_permission", {}, {"principal": "breakglass-admin"})
}
