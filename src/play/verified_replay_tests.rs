//! A trajectory file replayed in a run, natively: the CLI's file verifies and takes the
//! episode's place; the page's own export verifies as the CLI verifies it; a tampered reward
//! is flagged at its step; a file of another environment, too long, or malformed is refused
//! and changes nothing.

use super::run::{Run, PAGE_LIMITS};
use serde_json::Value;
use ztgym::core::trajectory::read::LIMITS;
use ztgym::core::trajectory::{record, verify::verify_text};
use ztgym::registry::ENVS;
use ztgym::triage::{builtin_agent, Env, ResetOptions, TaskId};

fn run() -> Run<Env> {
    Run::new(Env::new(TaskId::L1), None, 0, ResetOptions::default(), None)
}

/// The file `ztgym run --env triage --task L1 --agent rule-based --seed 4` writes.
fn cli_file() -> String {
    let mut agent = builtin_agent("rule-based").unwrap();
    record(
        "triage",
        &mut Env::new(TaskId::L1),
        agent.as_mut(),
        4,
        &ResetOptions::default(),
        &[],
    )
}

#[test]
fn a_cli_file_replays_verified_in_place_of_the_episode() {
    let text = cli_file();
    let mut r = run();
    let replayed = r.replay_file(&text).unwrap();
    assert!(replayed.verdict().verified && replayed.verdict().complete);
    assert_eq!(replayed.seed(), 4);
    r.show_replayed(replayed);
    assert_eq!(r.seed(), 4);
    assert!(r.done());
    assert_eq!(r.log().steps.len(), text.lines().count() - 1);
    assert_eq!(r.verdict().unwrap().step_text(0), "verified");
    // The page's own export of it is the same file, and verifies as the CLI verifies it.
    assert_eq!(
        r.trajectory_file().lines().skip(1).collect::<Vec<_>>(),
        text.lines().skip(1).collect::<Vec<_>>()
    );
    assert!(
        verify_text(ENVS, &r.trajectory_file(), &LIMITS)
            .unwrap()
            .verified
    );
    // A new episode forgets the verdict.
    r.restart();
    assert!(r.verdict().is_none());
}

#[test]
fn a_run_played_in_the_page_exports_a_file_that_verifies() {
    let agent = builtin_agent("rule-based").unwrap();
    let mut r = Run::new(
        Env::new(TaskId::L2),
        Some(agent),
        9,
        ResetOptions::default(),
        None,
    );
    while r.agent_step() {}
    let file = r.trajectory_file();
    let header: Value = serde_json::from_str(file.lines().next().unwrap()).unwrap();
    assert_eq!(header["env"], "triage");
    assert_eq!(header["agent"], "rule-based");
    assert_eq!(header["seed"], 9);
    let v = verify_text(ENVS, &file, &LIMITS).unwrap();
    assert!(v.verified && v.complete, "{}", v.summary());
}

#[test]
fn a_tampered_reward_is_flagged_at_its_step() {
    let text = cli_file();
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    let mut step: Value = serde_json::from_str(&lines[6]).unwrap();
    step["reward"] = Value::from(step["reward"].as_f64().unwrap() + 0.5);
    lines[6] = step.to_string();
    let replayed = run().replay_file(&lines.join("\n")).unwrap();
    let v = replayed.verdict();
    assert!(!v.verified);
    assert_eq!(v.first_mismatch(), Some(5));
    assert!(
        v.step_text(5).starts_with("differs: recorded reward"),
        "{}",
        v.step_text(5)
    );
    assert_eq!(v.step_text(4), "verified");
}

#[test]
fn hostile_files_are_refused_and_change_nothing() {
    let text = cli_file();
    let mut r = run();
    r.act(ztgym::triage::Action::new(
        ztgym::triage::Decision::Allow,
        0.5,
        "looks fine",
    ))
    .unwrap();
    let before = r.trajectory_jsonl();
    let header = text.lines().next().unwrap();
    let many = format!("{header}\n{}", "{}\n".repeat(PAGE_LIMITS.max_steps + 1));
    let cases = [
        (
            text.replace("\"env\":\"triage\"", "\"env\":\"sre\""),
            "this is a run of \"sre\", not of triage; open its tab",
        ),
        (
            many,
            "the run has 2001 steps, more than can be replayed here (at most 2000)",
        ),
        (format!("{header}\n{{oops\n"), "line 2: not JSON"),
        (
            text.replace("\"scenario\":\"L1\"", "\"scenario\":\"L3\""),
            "line 1: field scenario: the run was played on \"L3\"",
        ),
        (
            text.replace("\"decision\":\"", "\"decision\":\"x"),
            "line 2: field action: not an action of triage",
        ),
        (
            text.replace(
                "\"env\":\"triage\"",
                "\"env\":\"<img src=x onerror=alert(1)>\"",
            ),
            "<img src=x onerror=alert(1)>",
        ),
    ];
    for (file, expected) in cases {
        let e = r.replay_file(&file).err().expect(expected);
        assert!(e.contains(expected), "{e}");
    }
    assert_eq!(r.trajectory_jsonl(), before);
    assert!(r.verdict().is_none());
}
