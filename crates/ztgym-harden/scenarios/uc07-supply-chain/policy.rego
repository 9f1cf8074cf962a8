# Use case 7: supply chain hardening guardrails for CI/CD (Rego v1).
# A change to a pipeline's permissions always carries an approval; nothing disables a scanning
# step; a supply chain change names its pipeline; the release pipeline's secrets rotate only
# outside prod's freeze (in the sandbox or stage).
package hardening.supplychain

known_actions := {
	"tighten_inbound_rule", "remove_iam_permission", "enforce_mfa", "rotate_key",
	"apply_segmentation", "reduce_token_ttl", "quarantine_workload",
	"sign_artifacts", "pin_dependencies", "restrict_runner", "rotate_build_secrets",
}

pipeline_actions := {"sign_artifacts", "pin_dependencies", "restrict_runner", "rotate_build_secrets"}

scanning_off := {"disable_scanning", "skip_secret_scan", "remove_scan_step"}

deny contains msg if {
	not input.action.id in known_actions
	msg := sprintf("unknown action: %v", [input.action.id])
}

deny contains "never disable a scanning step" if input.action.id in scanning_off

deny contains "a pipeline permission change needs an approval" if {
	input.action.id == "restrict_runner"
	not input.action.params.approval
}

deny contains "a supply chain change names its pipeline" if {
	input.action.id in pipeline_actions
	not input.action.params.pipeline
}

deny contains "the release pipeline's secrets do not rotate during prod's freeze" if {
	input.action.id == "rotate_build_secrets"
	input.action.params.pipeline == "release"
	input.context.environment == "prod"
}

deny contains "quarantine is not a pipeline change" if input.action.id == "quarantine_workload"

default allow := false

allow if count(deny) == 0

# Tests.
change(id, params, env) := {
	"action": {"id": id, "params": params},
	"context": {"environment": env, "resource": {"service": "n/a", "principal": "n/a"}},
}

test_signing_and_pinning_allowed if {
	allow with input as change("sign_artifacts", {"pipeline": "web-build"}, "prod")
	allow with input as change("pin_dependencies", {"pipeline": "release"}, "prod")
}

test_runner_permissions_need_approval if {
	deny["a pipeline permission change needs an approval"] with input as change("restrict_runner", {"pipeline": "web-build"}, "sandbox")
	allow with input as change("restrict_runner", {"pipeline": "web-build", "approval": "platform-lead"}, "sandbox")
}

test_scanning_never_disabled if {
	deny["never disable a scanning step"] with input as change("disable_scanning", {"pipeline": "web-build"}, "sandbox")
	not allow with input as change("skip_secret_scan", {"pipeline": "web-build"}, "sandbox")
}

test_unnamed_pipeline_denied if {
	deny["a supply chain change names its pipeline"] with input as change("sign_artifacts", {}, "sandbox")
}

test_release_secrets_frozen_in_prod if {
	not allow with input as change("rotate_build_secrets", {"pipeline": "release"}, "prod")
	allow with input as change("rotate_build_secrets", {"pipeline": "release"}, "stage")
}
