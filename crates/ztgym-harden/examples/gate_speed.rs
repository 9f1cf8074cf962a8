//! Decisions per second of seed 001's policy on one proposal, three ways: the VM program
//! compiled once (what the environment uses), the interpreter on a clone of the loaded engine
//! per decision, and the interpreter reusing one engine. Prints one line per way.
//!
//! `cargo run --release -p ztgym-harden --example gate_speed [N]`

use std::time::Instant;
use ztgym_harden::Scenario;
use ztgym_rego::regorus;
use ztgym_rego::to_rego;

fn main() {
    let n: u32 = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(200_000);
    let scenario = Scenario::load("seed001").expect("seed001 loads");
    let policy = scenario.policy.clone();
    let input = serde_json::json!({
        "action": {"id": "quarantine_workload", "params": {"service": "checkout-api"}},
        "context": {"environment": "prod", "actor": {"type": "system", "name": "autonomous-hardener"},
                    "resource": {"service": "checkout-api", "principal": "n/a"},
                    "state": {"risk_score": 100.0}}
    });
    let value = to_rego(&input);

    let mut q = policy.compile("data.zt.allow").expect("compiles");
    let start = Instant::now();
    let mut denied = 0u32;
    for _ in 0..n {
        let v = q.eval(value.clone()).expect("evaluates");
        denied += u32::from(v.to_json_str().is_ok_and(|s| s.contains("false")));
    }
    report("VM, compiled once", n, start, denied);

    let (v, _) = policy
        .eval_covered("data.zt.allow", &input)
        .expect("evaluates");
    assert!(v.to_json_str().unwrap().contains("human approval"));
    let engine = policy_engine(&policy);
    let start = Instant::now();
    let mut denied = 0u32;
    for _ in 0..n / 10 {
        let mut e = engine.clone();
        e.set_input(value.clone());
        let v = e.eval_rule("data.zt.allow".into()).expect("evaluates");
        denied += u32::from(v.to_json_str().is_ok_and(|s| s.contains("false")));
    }
    report(
        "interpreter, engine cloned per decision",
        n / 10,
        start,
        denied,
    );

    let mut e = engine.clone();
    let start = Instant::now();
    let mut denied = 0u32;
    for _ in 0..n / 10 {
        e.set_input(value.clone());
        let v = e.eval_rule("data.zt.allow".into()).expect("evaluates");
        denied += u32::from(v.to_json_str().is_ok_and(|s| s.contains("false")));
    }
    report("interpreter, one engine reused", n / 10, start, denied);
}

fn policy_engine(policy: &ztgym_rego::Policy) -> regorus::Engine {
    let mut e = regorus::Engine::new();
    e.set_rego_v0(policy.syntax() == ztgym_rego::Syntax::V0);
    e.add_policy(policy.name().into(), policy.text().into())
        .expect("loads");
    e
}

fn report(way: &str, n: u32, start: Instant, denied: u32) {
    let s = start.elapsed().as_secs_f64();
    assert_eq!(denied, n, "every decision denies");
    println!(
        "{way}: {n} decisions in {s:.3} s = {:.0}/s ({:.2} us each)",
        f64::from(n) / s,
        s / f64::from(n) * 1e6
    );
}
