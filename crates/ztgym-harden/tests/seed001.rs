//! Seed 001 reproduced: its policy's decisions and its twin's risk and breakage figures on its
//! starting twin with its sample telemetry; then the fixed loop's determinism and resets.

use serde_json::json;
use ztgym_core::eval::{digest, trajectory_jsonl};
use ztgym_core::Environment;
use ztgym_harden::agents::builtin;
use ztgym_harden::{Action, HardenEnv, Options, Scenario, Stage};
use ztgym_rego::{Policy, Syntax};

fn env() -> HardenEnv {
    HardenEnv::new(Scenario::load("seed001").unwrap()).unwrap()
}

fn action(id: &str, params: serde_json::Value) -> Action {
    serde_json::from_value(json!({"id": id, "params": params})).unwrap()
}

#[test]
fn the_seed_policy_loads_as_legacy_rego_with_no_flag() {
    let s = Scenario::load("seed001").unwrap();
    assert_eq!(s.policy.syntax(), Syntax::V0);
    assert_eq!(s.policy.package(), "data.zt");
    let results = s.policy.run_tests();
    assert!(results.len() >= 6);
    for r in results {
        assert_eq!(r.status.as_str(), "PASS", "{r:?}");
    }
}

#[test]
fn the_seed_decisions() {
    let mut e = env();
    e.reset(1, Options::default());
    let (_, d) = e.judge(
        &action("enforce_mfa", json!({"principal": "app-role"})),
        100.0,
    );
    assert!(d.allowed);
    assert_eq!(d.reason, "policy-allow");
    let (_, d) = e.judge(
        &action("tighten_inbound_rule", json!({"new_cidr": "0.0.0.0/0"})),
        100.0,
    );
    assert_eq!(d.reasons, ["inbound rule must not allow 0.0.0.0/0"]);
    let (_, d) = e.judge(
        &action(
            "remove_iam_permission",
            json!({"principal": "breakglass-admin"}),
        ),
        100.0,
    );
    assert_eq!(d.reason, "cannot modify break-glass principal");
    let (_, d) = e.judge(&action("drop_database", json!({})), 100.0);
    assert_eq!(d.reason, "unknown action: drop_database");
    assert!(!d.allowed);
    // Quarantine: allowed in sandbox, denied in prod.
    let q = action("quarantine_workload", json!({"service": "checkout-api"}));
    assert!(e.judge(&q, 100.0).1.allowed);
    e.reset(
        1,
        Options {
            environment: Stage::Prod,
            ..Options::default()
        },
    );
    let (input, d) = e.judge(&q, 100.0);
    assert_eq!(
        d.reason,
        "quarantine requires explicit human approval in prod"
    );
    assert_eq!(input["context"]["environment"], "prod");
    assert_eq!(input["context"]["resource"]["service"], "checkout-api");
    assert_eq!(input["context"]["resource"]["principal"], "n/a");
}

#[test]
fn the_seed_twin_figures() {
    let s = Scenario::load("seed001").unwrap();
    // The starting twin without telemetry: 27 + 2 + 2 for the services, 40 + 25 for the
    // principals.
    assert_eq!(s.twin.risk(), 96.0);
    let mut e = env();
    let (o, _) = e.reset(3, Options::default());
    // The sample telemetry: 42 failed authentications, anomaly 0.78, one public exposure.
    assert_eq!(o.features.failed_auth_rate_5m, 42.0);
    assert_eq!(o.features.anomaly_score, 0.78);
    assert_eq!(o.features.open_inbound_ports_count, 1.0);
    assert_eq!(o.features.privilege_entropy_score, 10.0);
    assert!((o.features.public_exposure_score - 10.0 / 3.0).abs() < 1e-12);
    // 96 + 20 + 7.8 = 123.8, clamped: the seed's risk saturates.
    assert!((e.twin().raw_risk() - 123.8).abs() < 1e-9);
    assert_eq!(o.risk_score, 100.0);
    let expect = [
        ("tighten_inbound_rule", 0.1, true, 100.0),
        ("remove_iam_permission", 0.15, true, 98.8),
        ("enforce_mfa", 0.05, true, 100.0),
        ("rotate_key", 0.1, true, 100.0),
        ("apply_segmentation", 0.0, true, 100.0),
        ("reduce_token_ttl", 0.05, true, 100.0),
        ("quarantine_workload", 0.6, false, 100.0),
    ];
    // One candidate per action and resource that needs it: *:* can be removed from app-role
    // and from breakglass-admin (which the gate denies).
    let ids: Vec<&str> = o.candidates.iter().map(|c| c.action.id.as_str()).collect();
    assert_eq!(ids.len(), 8);
    let bg = o.of_kind("remove_iam_permission").nth(1).unwrap();
    assert_eq!(bg.action.params["principal"], "breakglass-admin");
    assert_eq!(bg.reasons, ["cannot modify break-glass principal"]);
    let firsts: Vec<_> = ztgym_harden::scenario::ACTIONS
        .iter()
        .map(|id| o.of_kind(id).next().unwrap())
        .collect();
    for (c, (id, breakage, pass, after)) in firsts.into_iter().zip(expect) {
        assert_eq!(c.action.id, id);
        assert_eq!(c.forecast.breakage_risk, breakage, "{id}");
        assert_eq!(c.forecast.pass, pass, "{id}");
        assert_eq!(c.forecast.before_risk, 100.0);
        // Saturated: only removing *:* (-25 from 123.8) brings the score under 100.
        assert!((c.forecast.after_risk - after).abs() < 1e-9, "{id}");
    }
    // The seed's default parameters.
    assert_eq!(
        o.of_kind("tighten_inbound_rule")
            .next()
            .unwrap()
            .action
            .params["new_cidr"],
        "10.0.0.0/8"
    );
    assert_eq!(
        o.of_kind("reduce_token_ttl").next().unwrap().action.params["new_ttl_mins"],
        15
    );
    // Without telemetry the formula's parts show: tightening cuts 20, removing *:* 25.
    let mut quiet = s.twin.clone();
    quiet.hints = Default::default();
    let (f, _) = quiet.simulate(
        "tighten_inbound_rule",
        &o.of_kind("tighten_inbound_rule")
            .next()
            .unwrap()
            .action
            .params,
        0.5,
        &[],
        None,
    );
    assert_eq!(
        (f.before_risk, f.after_risk, f.breakage_risk),
        (96.0, 76.0, 0.0)
    );
    let (f, _) = quiet.simulate(
        "remove_iam_permission",
        &o.of_kind("remove_iam_permission")
            .next()
            .unwrap()
            .action
            .params,
        0.5,
        &[],
        None,
    );
    assert_eq!((f.after_risk, f.breakage_risk), (71.0, 0.15));
    let (f, _) = quiet.simulate(
        "tighten_inbound_rule",
        &serde_json::from_value(json!({"new_cidr": "192.168.0.0/16"})).unwrap(),
        0.5,
        &[],
        None,
    );
    assert_eq!(f.breakage_risk, 0.2);
}

#[test]
fn a_cycle_carries_every_stage_and_the_seed_reward() {
    let mut e = env();
    let (o, _) = e.reset(5, Options::default());
    let step = e
        .step(&o.of_kind("enforce_mfa").next().unwrap().action)
        .unwrap();
    let c = step.info.cycle.as_ref().unwrap();
    assert_eq!(c.proposal.id, "enforce_mfa");
    assert!(c.decision.allowed && c.simulation.pass && c.execution.executed);
    assert_eq!(c.telemetry.len(), 4);
    // Saturated risk: no reduction; -2 x 0.05.
    assert_eq!(step.reward, -0.1);
    let q = action("quarantine_workload", json!({"service": "checkout-api"}));
    let step = e.step(&q).unwrap();
    let c = step.info.cycle.as_ref().unwrap();
    assert!(c.decision.allowed && !c.simulation.pass && !c.execution.executed);
    assert_eq!(step.reward, -2.0 * 0.6 - 0.5);
    assert_eq!(step.cost, 0.0);
}

#[test]
fn episodes_reset_the_twin_and_are_deterministic() {
    let mut e = env();
    let mut greedy = builtin("greedy").unwrap();
    let a = trajectory_jsonl(&mut e, greedy.as_mut(), 9, &Options::default());
    let b = trajectory_jsonl(&mut e.clone(), greedy.as_mut(), 9, &Options::default());
    assert_eq!(digest(&a), digest(&b));
    let c = trajectory_jsonl(&mut e, greedy.as_mut(), 10, &Options::default());
    assert_ne!(digest(&a), digest(&c));
    // The greedy agent cut the risk well below the start, and the next episode starts over.
    let (o, _) = e.reset(9, Options::default());
    assert_eq!(o.risk_score, 100.0);
    assert!(e.twin().raw_risk() > 120.0);
}

#[test]
fn a_policy_error_denies_and_the_other_environments_are_stricter() {
    let s = Scenario::load("seed001").unwrap();
    assert!(s.budget("prod") < s.budget("stage") && s.budget("stage") < s.budget("sandbox"));
    let mut e = env();
    let (o, _) = e.reset(
        1,
        Options {
            environment: Stage::Prod,
            ..Options::default()
        },
    );
    // remove *:* (0.15) passes in sandbox, not in prod.
    assert!(
        !o.of_kind("remove_iam_permission")
            .next()
            .unwrap()
            .forecast
            .pass
    );
    let p = Policy::load("p.rego", "package zt\nallow if input.x > 1").unwrap();
    assert_eq!(p.syntax(), Syntax::V1);
}

#[test]
fn remembered_gate_answers_change_nothing() {
    // A fresh environment and one that has already played (its gate answers kept) play the
    // same episode the same way.
    let mut warm = env();
    let mut greedy = builtin("greedy").unwrap();
    for seed in 0..3 {
        trajectory_jsonl(&mut warm, greedy.as_mut(), seed, &Options::default());
    }
    let mut random = builtin("random").unwrap();
    let a = trajectory_jsonl(&mut warm, random.as_mut(), 77, &Options::default());
    let b = trajectory_jsonl(&mut env(), random.as_mut(), 77, &Options::default());
    assert_eq!(a, b);
}
