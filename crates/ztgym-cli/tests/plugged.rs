//! The test environment (the facade's `tests/common/counter.rs`) plugs into the command line by
//! one line: the table with it added, given to `ztgym_cli::run_captured`.

#[path = "../../ztgym/tests/common/counter.rs"]
mod counter;

use counter::COUNTER;
use ztgym::core::spec::EnvSpec;
use ztgym::registry::ENVS;

fn ztgym(words: &str) -> ztgym_cli::Captured {
    let envs: Vec<&'static dyn EnvSpec> = [ENVS, &[&COUNTER as &dyn EnvSpec]].concat();
    let words: Vec<String> = words.split_whitespace().map(String::from).collect();
    ztgym_cli::run_captured(&envs, &words)
}

#[test]
fn eval_runs_on_the_counter() {
    let r = ztgym("eval --env counter --scenario to20 --episodes 2 --by 2 --json");
    assert_eq!((r.code, r.stderr.as_str()), (0, ""));
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(
        v,
        serde_json::json!({"env": "counter", "scenario": "to20", "episodes": 2, "return": 2.0, "cost": 0.0})
    );
    let r = ztgym("eval --env counter --by 2");
    assert_eq!(r.stdout, "adding 2 on to10: return 3, cost 0\n");
}

#[test]
fn the_counter_is_listed_and_refuses_what_it_lacks_clearly() {
    let r = ztgym("envs");
    assert!(
        r.stdout.ends_with(
            "counter\tCounter (seed test): count to a target by ones and twos; passing it costs\n"
        ),
        "{}",
        r.stdout
    );
    assert_eq!(ztgym("scenarios --env counter").stdout, "to10\nto20\n");
    let refused = [
        ("train --env counter --agent q --out x.json", "ztgym: train: not available with --env counter\n"),
        ("eval --env counter --curriculum", "ztgym: eval: --curriculum is not available with --env counter (it is with --env sre)\n"),
        ("eval --env counter --scenario to30", "ztgym: scenario: unknown scenario \"to30\" for counter (known: to10, to20)\n"),
        ("pairs --env counter --agent x --out p.jsonl", "ztgym: pairs: no preference pairs for --env counter\n"),
    ];
    for (words, message) in refused {
        let r = ztgym(words);
        assert_eq!(
            (r.code, r.stdout.as_str(), r.stderr.as_str()),
            (2, "", message),
            "{words}"
        );
    }
    let r = ztgym("eval --env abacus");
    assert!(
        r.stderr
            .contains("[possible values: sre, harden, triage, counter]"),
        "{}",
        r.stderr
    );
    let r = ztgym("eval --env counter --help");
    assert!(
        r.code == 0 && r.stdout.contains("--by <VALUE>"),
        "{}",
        r.stdout
    );
}
