//! The readers and outputs of the Rego commands, the hardening loop and message triage.

use super::*;

pub fn cases() -> Vec<Case> {
    const GOOD: &str = "package x\nimport rego.v1\ndefault allow := false\nallow if input.ok\n\
                        test_ok if { allow with input as {\"ok\": true} }\n";
    const CLOCK: &str = "package x\nimport rego.v1\nallow if { time.now_ns() > 0 }\n";
    const HTTP: &str =
        "package x\nimport rego.v1\nallow if { http.send({\"url\": \"http://x\"}) }\n";
    const RUNAWAY: &str = "package x\nimport rego.v1\n\
                           allow if { count([1 | some i in numbers.range(1, 100000); some j in numbers.range(1, 100000)]) > 0 }\n\
                           test_a if { allow }\n";
    const RECURSIVE: &str = "package x\nimport rego.v1\nallow if f(1)\n\nf(x) if f(x)\n";
    let mut v = vec![
        case(
            "rego: syntax error at its line",
            "rego eval --policy bad.rego",
        )
        .file("bad.rego", "package x\nallow if {\n")
        .err("bad.rego:3:1"),
        case("rego: the clock refused", "rego eval --policy c.rego")
            .file("c.rego", CLOCK)
            .err("`time.now_ns` is refused"),
        case("rego: the network refused", "rego eval --policy h.rego")
            .file("h.rego", HTTP)
            .err("`http.send` is refused"),
        case("rego: a device as policy", "rego eval --policy /dev/zero").err("character device"),
        case("rego: a directory as policy", "rego eval --policy d")
            .dir("d")
            .err("directory"),
        case("rego: a FIFO as policy", "rego eval --policy f.rego")
            .fifo("f.rego")
            .err("FIFO"),
        case("rego: a policy over its cap", "rego eval --policy big.rego")
            .sparse("big.rego", 2 * MIB as u64)
            .err("larger than"),
        case(
            "rego: a policy just over 256 KiB",
            "rego eval --policy big.rego",
        )
        .sparse("big.rego", 256 * 1024 + 1)
        .err("larger than the 262144"),
        case("rego: a policy in UTF-16", "rego eval --policy u.rego")
            .file("u.rego", utf16(GOOD))
            .err("encoding problem"),
        case(
            "rego: input with a duplicate key",
            "rego eval --policy g.rego --input i.json",
        )
        .file("g.rego", GOOD)
        .file("i.json", "{\"ok\": true, \"ok\": false}")
        .err("duplicate key"),
        case(
            "rego: input that is not JSON",
            "rego eval --policy g.rego --input i.json",
        )
        .file("g.rego", GOOD)
        .file("i.json", "{ok}")
        .err("not valid JSON"),
        case(
            "rego: input from a terminal stream",
            "rego eval --policy g.rego --input /dev/stdin",
        )
        .file("g.rego", GOOD)
        .io(Io::StdinOpen)
        .err("regular file"),
        case(
            "rego: a good policy decides",
            "rego eval --policy g.rego --input i.json",
        )
        .file("g.rego", GOOD)
        .file("i.json", "{\"ok\": true}")
        .ok("decision: allowed"),
        case("rego: test passes", "rego test g.rego")
            .file("g.rego", GOOD)
            .ok("PASS: 1/1"),
        case(
            "rego: a runaway test is an ERROR, not a hang",
            "rego test r.rego",
        )
        .file("r.rego", RUNAWAY)
        .err("1 failed"),
        case(
            "rego: a recursive rule refused",
            "rego eval --policy r.rego",
        )
        .file("r.rego", RECURSIVE)
        .err("r.rego:5:1: rule f -> f is recursive"),
        case("rego: a recursive rule refused by test", "rego test r.rego")
            .file("r.rego", RECURSIVE)
            .err("r.rego:5:1: rule f -> f is recursive"),
        case(
            "sre: --gate with a recursive rule",
            "eval --scenario classic --agent sop --episodes 1 --gate r.rego",
        )
        .file("r.rego", RECURSIVE)
        .err("is recursive"),
        case("rego: test without files", "rego test").err("name at least one .rego file"),
        case("rego: unknown subcommand", "rego frob").err("unrecognized subcommand 'frob'"),
        case("rego: a stray word", "rego eval --policy g.rego extra")
            .file("g.rego", GOOD)
            .err("extra"),
        case(
            "sre: --gate with a syntax error",
            "eval --scenario classic --agent sop --episodes 1 --gate bad.rego",
        )
        .file("bad.rego", "package x\nallow if {\n")
        .err("bad.rego:3:1"),
        case(
            "sre: --gate naming a device",
            "eval --scenario classic --agent sop --episodes 1 --gate /dev/zero",
        )
        .err("character device"),
        case(
            "harden: --gate that calls the network",
            "eval --env harden --gate h.rego",
        )
        .file("h.rego", HTTP)
        .err("`http.send` is refused"),
        case(
            "harden: an unknown scenario",
            "eval --env harden --scenario nowhere --episodes 1",
        )
        .err("neither a built-in scenario"),
        case(
            "harden: a folder without a scenario",
            "eval --env harden --scenario d --episodes 1",
        )
        .dir("d")
        .err("scenario.toml"),
        case(
            "harden: episodes beyond the cap",
            "eval --env harden --episodes 1000000000000",
        )
        .err("--episodes must be from 1 to"),
        case(
            "harden: audit over the trajectory",
            "run --env harden --agent random --trajectory t.jsonl --audit t.jsonl",
        )
        .err("name the same file"),
        case(
            "harden: a trajectory over the gate",
            "run --env harden --agent random --gate g.rego --trajectory g.rego",
        )
        .file("g.rego", GOOD)
        .err("g.rego"),
        case(
            "harden: a policy file in UTF-16",
            "eval --env harden --policy p.json --episodes 1",
        )
        .file("p.json", utf16("{}"))
        .err("encoding problem"),
        case(
            "triage: an unknown task",
            "eval --env triage --task L9 --agent random",
        )
        .err("unknown task"),
        case(
            "triage: episodes beyond the cap",
            "eval --env triage --task L1 --agent random --episodes 1000000000000",
        )
        .err("--episodes must be from 1 to"),
        case(
            "triage: bench steps of zero",
            "bench --env triage --task L1 --agent random --steps 0",
        )
        .err("--steps must be from 1 to"),
        case(
            "triage: a policy that is a device",
            "eval --env triage --task L1 --policy /dev/zero",
        )
        .err("character device"),
        case(
            "triage: a policy with a duplicate key",
            "eval --env triage --task L1 --policy p.json",
        )
        .file("p.json", "{\"format\": 1, \"format\": 2}")
        .err("duplicate"),
        case(
            "triage: a trajectory over the policy",
            "run --env triage --task L1 --policy p.json --trajectory p.json",
        )
        .file("p.json", "{}")
        .err("p.json"),
        case(
            "triage: pairs over their own output twice",
            "pairs --env triage --task L1 --agent random --out o.jsonl --out o.jsonl",
        )
        .err("--out"),
        case(
            "triage: pairs written",
            "pairs --env triage --task L1 --agent random --episodes 1 --out o.jsonl",
        )
        .writes("o.jsonl")
        .ok("preference pairs"),
    ];
    for c in &mut v {
        c.name = format!("new readers: {}", c.name);
    }
    v
}
