//! The simulator in the browser's wasm gives the same trajectories, byte for byte, as natively:
//! the digests below are the native ones (crates/ztgym-sre/tests/determinism.rs pins the first).
#![cfg(target_arch = "wasm32")]

use wasm_bindgen_test::*;
use ztgym::agents::builtin_agent;
use ztgym::eval::{builtin_trajectory, digest, evaluate};
use ztgym::{Env, ResetOptions, Scenario};

wasm_bindgen_test_configure!(run_in_browser);

fn trajectory(scenario: &str, agent: &str, seed: u64) -> String {
    builtin_trajectory(scenario, agent, seed).unwrap()
}

#[wasm_bindgen_test]
fn the_golden_trajectory_matches_native() {
    assert_eq!(
        format!("{:016x}", digest(&trajectory("classic", "sop", 42))),
        "a513f6bf12e240b9"
    );
}

#[wasm_bindgen_test]
fn evaluation_figures_match_native() {
    // `ztgym eval --scenario classic --agent random --episodes 200 --seed 1` prints these.
    let s = Scenario::builtin("classic").unwrap();
    let mut agent = builtin_agent("random", &s).unwrap();
    let (report, _) = evaluate(
        &mut Env::new(s),
        agent.as_mut(),
        200,
        1,
        &ResetOptions::default(),
    );
    assert_eq!(report.compliance_rate, 0.07);
    assert_eq!(report.violation_rate, 0.93);
    assert_eq!(format!("{:.4}", report.mean_return), "-29.0340");
}
