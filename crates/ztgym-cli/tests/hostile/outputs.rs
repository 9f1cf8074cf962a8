//! Outputs: never over an input or another output; atomic; regular files only.

use super::*;

pub fn cases(b: &Base) -> Vec<Case> {
    let mut v = Vec::new();
    let p = &b.policy;
    v.push(
        case(
            "output: trajectory over the policy",
            "run --policy @p.json --trajectory @p.json",
        )
        .file("p.json", p)
        .err("the same file as the input --policy"),
    );
    v.push(
        case(
            "output: trajectory over the policy, other spelling",
            "run --policy @p.json --trajectory @d/../p.json",
        )
        .file("p.json", p)
        .dir("d")
        .err("same file as the input --policy"),
    );
    v.push(
        case(
            "output: trajectory over a hard link of the policy",
            "run --policy @p.json --trajectory @h.json",
        )
        .file("p.json", p)
        .hardlink("h.json", "p.json")
        .err("same file as the input"),
    );
    v.push(
        case(
            "output: alerts over the policy",
            "run --policy @p.json --trajectory @t.jsonl --alerts @p.json",
        )
        .file("p.json", p)
        .err("--alerts"),
    );
    v.push(
        case(
            "output: trajectory and alerts one file",
            "run --scenario classic --agent sop --trajectory @t.jsonl --alerts @t.jsonl",
        )
        .err("name the same file"),
    );
    v.push(
        case(
            "output: trajectory over the scenario",
            "run --scenario @s.toml --agent sop --trajectory @s.toml",
        )
        .file("s.toml", CLASSIC)
        .err("the input --scenario"),
    );
    v.push(
        case(
            "output: trajectory over the feed",
            "run --scenario classic --agent sop --cve-feed @f.txt --trajectory @f.txt",
        )
        .file("f.txt", LIST)
        .err("the input --cve-feed"),
    );
    v.push(
        case(
            "output: train over the scenario",
            "train --scenario @s.toml --agent q --episodes 5 --out @s.toml",
        )
        .file("s.toml", CLASSIC)
        .err("same file as the input --scenario"),
    );
    v.push(
        case(
            "output: train over a symlink to the scenario",
            "train --scenario @s.toml --agent q --episodes 5 --out @l.toml",
        )
        .file("s.toml", CLASSIC)
        .symlink("l.toml", "s.toml")
        .err("same file as the input"),
    );
    v.push(
        case(
            "output: trajectory to /dev/null refused",
            "run --scenario classic --agent sop --trajectory /dev/null",
        )
        .err("character device"),
    );
    v.push(
        case(
            "output: trajectory to a directory",
            "run --scenario classic --agent sop --trajectory @d",
        )
        .dir("d")
        .err("directory"),
    );
    v.push(
        case(
            "output: trajectory in a missing folder",
            "run --scenario classic --agent sop --trajectory @no/such/t.jsonl",
        )
        .err("cannot write"),
    );
    v.push(
        case(
            "output: train out in a missing folder",
            "train --scenario classic --agent q --episodes 5 --out @no/p.json",
        )
        .err("cannot write"),
    );
    v.push(
        case(
            "output: trajectory replaces an old file",
            "run --scenario classic --agent sop --trajectory @t.jsonl",
        )
        .file("t.jsonl", "old")
        .writes("t.jsonl")
        .ok("trajectory written"),
    );
    v.push(
        case(
            "output: trajectory through a symlink",
            "run --scenario classic --agent sop --trajectory @l.jsonl",
        )
        .file("t.jsonl", "old")
        .symlink("l.jsonl", "t.jsonl")
        .writes("t.jsonl")
        .ok("trajectory written"),
    );
    v.push(
        case(
            "output: train replaces an old policy",
            "train --scenario classic --agent q --episodes 5 --out @p.json",
        )
        .file("p.json", "old")
        .writes("p.json")
        .ok("policy written"),
    );
    v.push(
        case("output: stdout closed (| head)", "cves")
            .io(Io::StdoutClosed)
            .ok(""),
    );
    v.push(
        case("output: stdout closed, JSON", "cves --json")
            .io(Io::StdoutClosed)
            .ok(""),
    );
    v.push(
        case(
            "output: stdout closed, eval",
            "eval --scenario classic --agent sop --episodes 2",
        )
        .io(Io::StdoutClosed)
        .ok(""),
    );
    v.push(
        case("output: stdout closed, help", "help")
            .io(Io::StdoutClosed)
            .ok(""),
    );
    v.push(
        case("output: stdout on a full device", "cves")
            .io(Io::StdoutFull)
            .err("cannot write to standard output"),
    );
    v.push(
        case(
            "output: stdout full, eval",
            "eval --scenario classic --agent sop --episodes 2 --json",
        )
        .io(Io::StdoutFull)
        .err("No space left"),
    );

    v.push(
        case("output: stderr closed, an error still exits 2", "eval -x")
            .io(Io::StderrClosed)
            .err(""),
    );
    v.push(
        case("output: stderr closed, no command", "")
            .io(Io::StderrClosed)
            .err(""),
    );
    v
}
