//! The L3 adversary's third answer: an agent that lets threats through gets more of them
//! (malware and phishing surge). The other two answers are in `triage.rs`.

use ztgym_triage::adversary::Mode;
use ztgym_triage::{Action, Class, Decision, Env, ResetOptions, TaskId};

#[test]
fn the_adversary_answers_letting_threats_through_with_a_threat_surge() {
    // Always-allow: after the drift starts (step 20), malware and phishing surge.
    let mut env = Env::new(TaskId::L3);
    let (mut before, mut after, mut n_before, mut n_after) = (0u32, 0u32, 0u32, 0u32);
    let mut modes = Vec::new();
    for seed in 0..20 {
        env.reset(seed, ResetOptions::default());
        loop {
            let st = env.state();
            let surged = matches!(st.current_class, Class::Malware | Class::Phishing);
            if st.step < 20 {
                n_before += 1;
                before += u32::from(surged);
            } else {
                n_after += 1;
                after += u32::from(surged);
            }
            let s = env
                .step(&Action::new(Decision::Allow, 1.0, "Allowed."))
                .unwrap();
            modes.push(s.info.adversary.unwrap());
            if s.done() {
                break;
            }
        }
    }
    assert!(
        modes.contains(&Mode::ThreatSurge),
        "always-allow is seen letting threats through"
    );
    assert!(
        !modes.contains(&Mode::HardNegatives) && !modes.contains(&Mode::SocialEngineeringSurge),
        "and not as over-blocking or blocking phishing alone"
    );
    assert!(n_after > 0, "the episodes run past the drift");
    let (rate_before, rate_after) = (
        f64::from(before) / f64::from(n_before),
        f64::from(after) / f64::from(n_after),
    );
    assert!(
        rate_after > 1.3 * rate_before,
        "malware and phishing per message: {rate_before:.3} before the drift, {rate_after:.3} after"
    );

    // An agent that stops every threat never sees the surge.
    for seed in 0..5 {
        env.reset(seed, ResetOptions::default());
        loop {
            let d = if env.state().current_class.is_threat() {
                Decision::Block
            } else {
                Decision::Allow
            };
            let s = env.step(&Action::new(d, 1.0, "Decided.")).unwrap();
            assert_ne!(s.info.adversary, Some(Mode::ThreatSurge));
            if s.done() {
                break;
            }
        }
    }
}
