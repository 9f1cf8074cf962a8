//! Writes a generated scenario folder of N services (N/10 principals and N/10 critical flows,
//! seed 001's policy) and times one episode of the greedy agent on it, for the scaling
//! figures of docs/src/benchmarks.md ("Speed (harden)"). The CLI plays the same folder:
//! `ztgym eval --env harden --scenario DIR --agent greedy --episodes 1`.
//!
//! `cargo run --release -p ztgym-harden --example big_scenario -- 10000 /tmp/big10k`

use std::fmt::Write;
use std::time::Instant;
use ztgym_core::Environment;
use ztgym_harden::{HardenEnv, Options, Scenario};

/// The scenario's text: every service open to the internet and unsegmented (two candidates
/// each), one principal in ten with `*:*` and no MFA, one flow in ten.
fn scenario_toml(n: usize) -> String {
    // Top-level arrays first: TOML puts a key after a table header into that table.
    let mut s = String::from(
        "name = \"generated\"\ndescription = \"a generated twin\"\npolicy = \"policy.rego\"\n\
         max_cycles = 20\ntarget_risk = 60.0\ntelemetry_window = 3\n",
    );
    s.push_str("services = [\n");
    for i in 0..n {
        let _ = writeln!(
            s,
            "{{name=\"s{i}\",ports=[443],cidrs=[\"0.0.0.0/0\"],segmented=false}},"
        );
    }
    s.push_str("]\nprincipals = [\n");
    for i in 0..n.div_ceil(10) {
        let _ = writeln!(
            s,
            "{{name=\"p{i}\",permissions=[\"s3:Get\",\"*:*\"],mfa=false,ttl_mins=120}},"
        );
    }
    s.push_str("]\nflows = [\n");
    for i in 0..n / 10 {
        let _ = writeln!(
            s,
            "{{name=\"f{i}\",service=\"s{}\",from=\"10.1.2.3\",principal=\"p{i}\",permission=\"s3:Get\"}},",
            i * 10
        );
    }
    s.push_str("]\n");
    s.push_str(
        "[drift]\nexposure = 0.5\nattack = 0.2\ncreep = 0.2\n\
         [environments.sandbox]\nbreakage_budget = 0.5\n\
         [environments.stage]\nbreakage_budget = 0.3\n\
         [environments.prod]\nbreakage_budget = 0.12\n\
         [params.tighten_inbound_rule]\nservice = \"s0\"\nnew_cidr = \"10.0.0.0/8\"\n\
         [params.remove_iam_permission]\nprincipal = \"p0\"\npermission = \"*:*\"\n\
         [[telemetry]]\nsource = \"auth\"\ntype = \"failed_auth\"\npayload = { count_5m = 4 }\n",
    );
    s
}

fn main() {
    let mut args = std::env::args().skip(1);
    let n: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(1000);
    let dir = args.next().unwrap_or_else(|| format!("/tmp/ztgym-big-{n}"));
    std::fs::create_dir_all(&dir).expect("the folder");
    let text = scenario_toml(n);
    std::fs::write(format!("{dir}/scenario.toml"), &text).expect("scenario.toml");
    let policy = Scenario::builtin_policy("seed001").expect("seed 001's policy");
    std::fs::write(format!("{dir}/policy.rego"), policy).expect("policy.rego");

    let start = Instant::now();
    let scenario = Scenario::load(&dir).expect("the generated scenario loads");
    let loaded = start.elapsed().as_secs_f64();
    let mut env = HardenEnv::new(scenario).expect("its policy compiles");
    let mut agent = ztgym_harden::agents::builtin("greedy").expect("greedy");
    let (mut obs, mut info) = env.reset(0, Options::default());
    agent.reset(0);
    let mut cycles = 0;
    loop {
        let a = agent.act(&obs, &info);
        let step = env.step(&a).expect("a step");
        cycles += 1;
        if step.done() {
            break;
        }
        (obs, info) = (step.observation, step.info);
    }
    println!(
        "{n} services ({} bytes): loaded in {loaded:.2} s; {cycles} cycles in {:.2} s in all",
        text.len(),
        start.elapsed().as_secs_f64()
    );
}
