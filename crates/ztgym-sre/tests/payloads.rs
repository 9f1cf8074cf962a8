//! Log lines carry attack payloads verbatim (the playground must show them as text). The
//! end-to-end test opens the seed pinned here and checks the page shows the payload literally.

use ztgym_sre::{Action, Env, Level, ResetOptions, Scenario};

/// classic, beginner, seed 14: the red herring's logs hold a blocked `<script>` probe.
pub const SCRIPT_PAYLOAD_SEED: u64 = 14;

fn herring_logs(seed: u64) -> Vec<String> {
    let mut env = Env::new(Scenario::builtin("classic").unwrap());
    env.reset(
        seed,
        ResetOptions {
            level: Some(Level::Beginner),
            curriculum: false,
        },
    );
    let node = env.state().red_herrings[0].clone();
    let step = env.step(&Action::QuerySiemLogs { node }).unwrap();
    step.observation
        .logs
        .unwrap()
        .lines
        .iter()
        .map(|l| l.to_string())
        .collect()
}

#[test]
fn the_pinned_seed_shows_a_script_payload_in_a_log_line() {
    let first = (0..200).find(|&s| herring_logs(s).iter().any(|l| l.contains("<script>")));
    assert_eq!(
        first,
        Some(SCRIPT_PAYLOAD_SEED),
        "update the e2e test's seed too"
    );
    let logs = herring_logs(SCRIPT_PAYLOAD_SEED);
    assert!(
        logs.iter()
            .any(|l| l.contains("PATH=\"/search?q=<script>alert(document.domain)</script>\"")),
        "{logs:?}"
    );
}
