//! Arguments.

use super::*;

pub fn cases() -> Vec<Case> {
    let mut v = Vec::new();
    v.push(
        case(
            "args: single-dash typo and a stray word",
            "eval -e 5 garbage",
        )
        .err("unexpected argument '-e' found"),
    );
    v.push(
        case(
            "args: single-dash typo suggests",
            "eval --scenario classic --agent sop -s 3",
        )
        .err("unexpected argument '-s' found"),
    );
    v.push(
        case(
            "args: stray word",
            "eval --scenario classic --agent sop garbage",
        )
        .err("unexpected argument 'garbage' found"),
    );
    v.push(case("args: stray word on scenarios", "scenarios garbage").err("unexpected argument"));
    v.push(case("args: stray word on envs", "envs --json extra").err("unexpected argument"));
    v.push(case("args: stray word on cves", "cves extra").err("unexpected argument"));
    v.push(
        case(
            "args: repeated flag",
            "eval --scenario classic --agent sop --seed 1 --seed 2",
        )
        .err("the argument '--seed <N>' cannot be used multiple times"),
    );
    v.push(
        case(
            "args: repeated flag, = form",
            "eval --scenario classic --scenario=enterprise --agent sop",
        )
        .err("'--scenario <NAME>' cannot be used multiple times"),
    );
    v.push(
        case("args: repeated switch", "scenarios --json --json")
            .err("'--json' cannot be used multiple times"),
    );
    v.push(
        case("args: repeated --env", "envs --env sre --env sre")
            .err("'--env <ID>' cannot be used multiple times"),
    );
    v.push(case("args: unknown --env", "envs --env nope").err("nope"));
    v.push(
        case("args: unknown option", "eval --bogus 1").err("unexpected argument '--bogus' found"),
    );
    v.push(
        case("args: switch with a value", "scenarios --json=1")
            .err("unexpected value '1' for '--json'"),
    );
    v.push(
        case(
            "args: empty value",
            "train --scenario classic --agent q --out=",
        )
        .err("--out needs a value"),
    );
    v.push(
        case(
            "args: value is an option",
            "run --scenario classic --agent sop --trajectory --json",
        )
        .err("a value is required for '--trajectory <FILE>'"),
    );
    v.push(
        case("args: missing value", "eval --scenario")
            .err("a value is required for '--scenario <NAME>'"),
    );
    v.push(
        case(
            "args: episodes 0",
            "eval --scenario classic --agent sop --episodes 0",
        )
        .err("--episodes must be from 1 to"),
    );
    v.push(
        case(
            "args: episodes 10^12",
            "eval --scenario classic --agent sop --episodes 1000000000000",
        )
        .err("--episodes must be from 1 to 100000000"),
    );
    v.push(
        case(
            "args: episodes negative",
            "eval --scenario classic --agent sop --episodes -5",
        )
        .err("expects a whole number"),
    );
    v.push(
        case(
            "args: episodes float",
            "eval --scenario classic --agent sop --episodes 1e3",
        )
        .err("expects a whole number"),
    );
    v.push(
        case(
            "args: seed overflow",
            "eval --scenario classic --agent sop --seed 18446744073709551616",
        )
        .err("--seed expects a whole number"),
    );
    v.push(
        case(
            "args: train episodes 10^12",
            "train --scenario classic --agent q --episodes 1000000000000 --out @p.json",
        )
        .err("at most 100000000"),
    );
    v.push(
        case(
            "args: bench steps 0",
            "bench --scenario classic --agent sop --steps 0",
        )
        .err("--steps must be from 1"),
    );
    v.push(
        case(
            "args: bench steps 10^15",
            "bench --scenario classic --agent sop --steps 1000000000000000",
        )
        .err("--steps must be from 1"),
    );
    v.push(case("args: serve max sessions 0", "serve --max-sessions 0").err("at least 1"));
    v.push(
        case("args: serve port 70000", "serve --port 70000").err("--port expects a whole number"),
    );
    v.push(
        case(
            "args: serve huge message",
            "serve --max-message 99999999999",
        )
        .err("at most"),
    );
    v.push(
        case(
            "args: unknown level",
            "eval --scenario classic --agent sop --level godlike",
        )
        .err("not a level"),
    );
    v.push(
        case(
            "args: unknown agent",
            "eval --scenario classic --agent hal9000",
        )
        .err("hal9000"),
    );
    v.push(
        case(
            "args: train a non-learner",
            "train --scenario classic --agent sop --out @p.json",
        )
        .err("not a learner"),
    );
    v.push(
        case(
            "args: train --set NaN",
            "train --scenario classic --agent q --episodes 5 --set alpha=nan --out @p.json",
        )
        .err("alpha"),
    );
    v.push(
        case(
            "args: train --set unknown",
            "train --scenario classic --agent q --set foo=1 --out @p.json",
        )
        .err("unknown hyperparameter"),
    );
    v.push(
        case(
            "args: train --set no pair",
            "train --scenario classic --agent q --set alpha --out @p.json",
        )
        .err("name=value"),
    );
    v.push(
        case(
            "args: train --set a name twice",
            "train --scenario classic --agent q --episodes 5 --set alpha=0.1,alpha=0.9 --out @p.json",
        )
        .err("--set names alpha twice"),
    );
    v.push(
        case(
            "args: harden train --set a name twice",
            "train --env harden --agent q --episodes 5 --set gamma=0.9,gamma=0.5 --out @p.json",
        )
        .err("--set names gamma twice"),
    );
    v.push(
        case(
            "args: triage train --set a name twice",
            "train --env triage --task L1 --agent q --episodes 5 --set alpha=0.1,alpha=0.9 --out @p.json",
        )
        .err("--set names alpha twice"),
    );
    v.push(
        case(
            "args: triage --task and --scenario disagree",
            "eval --env triage --task L1 --scenario L2 --agent random --episodes 1",
        )
        .err("--task L1 and --scenario L2 name the same thing; give one of them"),
    );
    v.push(
        case(
            "args: triage --task and --scenario repeat",
            "run --env triage --task L1 --scenario L1 --agent random --trajectory @t.jsonl",
        )
        .err("name the same thing"),
    );
    v.push(
        case(
            "args: triage policy with --task and --scenario",
            "eval --env triage --task L1 --scenario L3 --policy @p.json",
        )
        .file("p.json", "{}")
        .err("name the same thing"),
    );
    v.push(
        case(
            "args: pairs --scenario and --task",
            "pairs --env sre --scenario classic --task enterprise --agent sop --out @o.jsonl",
        )
        .err("name the same thing"),
    );
    v.push(
        case("args: agent and policy missing", "eval --scenario classic")
            .err("--agent or --policy is required"),
    );
    v.push(
        case(
            "args: run without trajectory",
            "run --scenario classic --agent sop",
        )
        .err("--trajectory is required"),
    );
    v.push(
        case("args: validate two files", "validate @a.toml @b.toml")
            .file("a.toml", CLASSIC)
            .file("b.toml", CLASSIC)
            .err("exactly one"),
    );
    v.push(case("args: validate nothing", "validate").err("exactly one"));
    v.push(case("args: validate single dash", "validate -x").err("unexpected argument '-x' found"));
    v.push(case("args: unknown command", "frobnicate").err("unrecognized subcommand 'frobnicate'"));
    v.push(
        case("args: unknown command with escapes", "")
            .arg("\u{1b}]0;pwned\u{7}")
            .err("unrecognized subcommand"),
    );
    v.push(
        case("args: option of 100000 characters", "eval")
            .arg(&format!("--{}", "x".repeat(100_000)))
            .err("characters)"),
    );
    v.push(
        case(
            "args: value with escapes",
            "eval --scenario classic --agent sop --seed",
        )
        .arg("\u{1b}[2J")
        .err("\\u{1b}[2J"),
    );
    v.push(
        case(
            "args: scenario name with escapes",
            "eval --agent sop --scenario",
        )
        .arg("\u{1b}[2Jx")
        .err("no built-in scenario"),
    );
    v.push(case("args: no command", "").err("Usage: ztgym"));
    for command in [
        "eval",
        "train",
        "run",
        "bench",
        "scenarios",
        "validate",
        "cves",
        "envs",
        "serve",
    ] {
        v.push(
            case(
                &format!("args: {command} --help"),
                &format!("{command} --help"),
            )
            .ok(&format!("ztgym {command}")),
        );
    }
    v
}
