//! Harden scenario folders: every field checked as the folder loads (each refusal names the
//! file, the field and the value), names escaped before the terminal, and no output over a
//! file the scenario is read from (its `scenario.toml`, its policy).

use super::*;

const SEED: &str = include_str!("../../../ztgym-harden/scenarios/seed001/scenario.toml");
const POLICY: &str = include_str!("../../../ztgym-harden/scenarios/seed001/policy.rego");

/// A case playing scenario folder `S` holding seed 001 with `old` replaced by `new`.
fn folder(name: &str, args: &str, old: &str, new: &str) -> Case {
    assert!(SEED.contains(old), "seed001 has {old:?}");
    case(name, args)
        .dir("S")
        .file("S/scenario.toml", SEED.replacen(old, new, 1))
        .file("S/policy.rego", POLICY)
}

/// `eval` on folder `S` with seed 001's `old` replaced by `new`, refused with `fragment`.
fn refused(name: &str, old: &str, new: &str, fragment: &str) -> Case {
    folder(
        &format!("harden scenario: {name}"),
        "eval --env harden --scenario S --episodes 1",
        old,
        new,
    )
    .err("S/scenario.toml: ")
    .err(fragment)
}

fn flow(body: &str) -> String {
    format!("\n[[flows]]\nname = \"f\"\n{body}\n[params.tighten_inbound_rule]")
}

pub fn cases() -> Vec<Case> {
    const RISK: &str = "target_risk = 60.0";
    const CIDR: &str = "cidrs = [\"0.0.0.0/0\"]";
    const TTL: &str = "new_ttl_mins = 15";
    const TIGHTEN: &str = "\n[params.tighten_inbound_rule]";
    let mut v = vec![
        folder(
            "harden scenario: a valid folder plays",
            "eval --env harden --scenario S --episodes 1",
            RISK,
            RISK,
        )
        .ok("random on seed001"),
        refused(
            "target_risk NaN",
            RISK,
            "target_risk = nan",
            "target_risk: NaN",
        ),
        refused(
            "target_risk inf",
            RISK,
            "target_risk = inf",
            "target_risk: inf",
        ),
        refused(
            "target_risk -inf",
            RISK,
            "target_risk = -inf",
            "target_risk: -inf",
        ),
        refused(
            "target_risk -1",
            RISK,
            "target_risk = -1",
            "target_risk: -1.0",
        ),
        refused(
            "target_risk 1e308",
            RISK,
            "target_risk = 1e308",
            "target_risk: 1e308 is not in 0..=100",
        ),
        refused(
            "a CIDR out of range",
            CIDR,
            "cidrs = [\"999.1.1.1/99\"]",
            "services[0].cidrs[0]: \"999.1.1.1/99\" is not an IPv4",
        ),
        refused(
            "not a CIDR",
            CIDR,
            "cidrs = [\"not a cidr\"]",
            "services[0].cidrs[0]: \"not a cidr\"",
        ),
        refused(
            "a duplicate service name",
            "name = \"auth\"",
            "name = \"checkout-api\"",
            "services[1].name: \"checkout-api\" is named twice",
        ),
        refused(
            "params naming an unknown service",
            "[params.apply_segmentation]\nservice = \"checkout-api\"",
            "[params.apply_segmentation]\nservice = \"nowhere\"",
            "params.apply_segmentation.service: \"nowhere\" names no service",
        ),
        refused(
            "params with a bad CIDR",
            "new_cidr = \"10.0.0.0/8\"",
            "new_cidr = \"10.0.0.0/99\"",
            "new_cidr: \"10.0.0.0/99\"",
        ),
        refused(
            "new_ttl_mins NaN",
            TTL,
            "new_ttl_mins = nan",
            "new_ttl_mins: is not a finite number",
        ),
        refused(
            "new_ttl_mins -5",
            TTL,
            "new_ttl_mins = -5",
            "new_ttl_mins: the number -5 is not a whole number",
        ),
        refused(
            "count_5m NaN",
            "count_5m = 42",
            "count_5m = nan",
            "telemetry[0].payload.count_5m: is not a finite number",
        ),
        refused(
            "count_5m many",
            "count_5m = 42",
            "count_5m = \"many\"",
            "count_5m: expected a number, found \"many\"",
        ),
        refused(
            "score inf",
            "score = 0.78",
            "score = inf",
            "telemetry[2].payload.score: is not a finite number",
        ),
        refused(
            "an unknown telemetry type",
            "type = \"anomaly\"",
            "type = \"quantum_flux\"",
            "telemetry[2].type: \"quantum_flux\" is not a telemetry type",
        ),
        refused(
            "a flow to an unknown service",
            TIGHTEN,
            &flow("service = \"nowhere\""),
            "flows[0].service: \"nowhere\" names no service",
        ),
        refused(
            "a flow as an unknown principal",
            TIGHTEN,
            &flow("principal = \"ghost\"\npermission = \"s3:GetObject\""),
            "flows[0].principal: \"ghost\" names no principal",
        ),
        refused(
            "a flow with no target",
            TIGHTEN,
            &flow(""),
            "flows[0]: names no target",
        ),
        refused(
            "an escape sequence in the name",
            "name = \"seed001\"",
            "name = \"x\\u001b]0;pwned\\u0007\"",
            "name: \"x\\u{1b}]0;pwned\\u{7}\" holds a control character",
        ),
        refused(
            "an escape sequence in a service name",
            "name = \"auth\"",
            "name = \"\\u001b[2J\"",
            "services[1].name: \"\\u{1b}[2J\" holds a control character",
        ),
        refused(
            "a raw escape byte in the name",
            "name = \"seed001\"",
            "name = \"x\u{1b}[2Jy\"",
            "\\u{1b}[2Jy",
        ),
    ];
    let uc07 = include_str!("../../../ztgym-harden/scenarios/uc07-supply-chain/scenario.toml");
    let uc07_policy = include_str!("../../../ztgym-harden/scenarios/uc07-supply-chain/policy.rego");
    v.push(
        case(
            "harden scenario: pipeline needs naming another pipeline",
            "eval --env harden --scenario S --episodes 1",
        )
        .dir("S")
        .file(
            "S/scenario.toml",
            uc07.replacen("needs = [\"unsigned\"]", "needs = [\"web-build\"]", 1),
        )
        .file("S/policy.rego", uc07_policy)
        .err("needs[0]: \"web-build\" is not one of unsigned"),
    );

    // Outputs over the scenario folder's own files, by every spelling.
    let run = "run --env harden --scenario S --agent random";
    v.extend([
        folder(
            "harden output: trajectory over the scenario",
            &format!("{run} --trajectory S/scenario.toml"),
            RISK,
            RISK,
        )
        .err("--trajectory S/scenario.toml is the same file as the input --scenario"),
        folder(
            "harden output: audit over the scenario",
            &format!("{run} --trajectory t.jsonl --audit S/scenario.toml"),
            RISK,
            RISK,
        )
        .err("--audit S/scenario.toml is the same file as the input --scenario"),
        folder(
            "harden output: trajectory over the policy",
            &format!("{run} --trajectory S/policy.rego"),
            RISK,
            RISK,
        )
        .err("the same file as the input --scenario"),
        folder(
            "harden output: trajectory over the policy, scenario named by its file",
            "run --env harden --scenario S/scenario.toml --agent random --trajectory S/./policy.rego",
            RISK,
            RISK,
        )
        .err("the same file as the input --scenario"),
        folder(
            "harden output: trajectory over a hard link of the policy",
            &format!("{run} --trajectory h.rego"),
            RISK,
            RISK,
        )
        .hardlink("h.rego", "S/policy.rego")
        .err("the same file as the input --scenario"),
        folder(
            "harden output: train over the policy",
            "train --env harden --scenario S --agent q --episodes 1 --out S/policy.rego",
            RISK,
            RISK,
        )
        .err("--out S/policy.rego is the same file as the input --scenario"),
        folder(
            "harden output: a new file in the folder is written",
            &format!("{run} --trajectory S/run.jsonl"),
            RISK,
            RISK,
        )
        .writes("S/run.jsonl")
        .ok("wrote S/run.jsonl"),
        folder(
            "harden output: an earlier output in the folder is replaced",
            &format!("{run} --trajectory S/run.jsonl --audit S/audit.jsonl"),
            RISK,
            RISK,
        )
        .file("S/run.jsonl", "old")
        .file("S/audit.jsonl", "old")
        .writes("S/run.jsonl")
        .writes("S/audit.jsonl")
        .ok("wrote S/run.jsonl"),
    ]);
    v
}
