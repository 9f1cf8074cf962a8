//! Policy files: `eval --policy`, `run --policy`.

use super::*;

pub fn cases(b: &Base) -> Vec<Case> {
    let mut v = Vec::new();
    let p = &b.policy;
    v.push(
        case("policy: valid", "eval --policy @p.json --episodes 2 --json")
            .file("p.json", p)
            .ok("\"episodes\":2"),
    );
    v.push(
        case(
            "policy: byte order mark accepted",
            "eval --policy @p.json --episodes 2",
        )
        .file("p.json", [b"\xef\xbb\xbf".as_slice(), p].concat())
        .ok("2 episodes"),
    );
    v.push(
        case("policy: duplicate top-level key", "eval --policy @p.json")
            .file("p.json", dup_key(p, "\"scenario\": \"classic\""))
            .err("duplicate key \"scenario\""),
    );
    v.push(
        case("policy: duplicate nested key", "eval --policy @p.json")
            .file(
                "p.json",
                String::from_utf8_lossy(p).replacen("\"seed\":", "\"seed\": 1, \"seed\":", 1),
            )
            .err("training.seed"),
    );
    v.push(
        case(
            "policy: scenario names /etc/shadow",
            "eval --policy @p.json",
        )
        .file("p.json", set_scenario(p, "/etc/shadow"))
        .err("not built in; give its scenario file with --scenario FILE"),
    );
    v.push(
        case("policy: scenario names /dev/zero", "eval --policy @p.json")
            .file("p.json", set_scenario(p, "/dev/zero"))
            .err("not built in"),
    );
    v.push(
        case("policy: scenario names /dev/stdin", "eval --policy @p.json")
            .io(Io::StdinOpen)
            .file("p.json", set_scenario(p, "/dev/stdin"))
            .err("not built in"),
    );
    v.push(
        case(
            "policy: scenario names a file beside it",
            "eval --policy @p.json",
        )
        .file("p.json", set_scenario(p, "s.toml"))
        .file("s.toml", CLASSIC)
        .err("not built in"),
    );
    v.push(
        case(
            "policy: scenario with an escape sequence",
            "eval --policy @p.json",
        )
        .file("p.json", set_scenario(p, "\\u001b]0;pwned\\u0007"))
        .err("p.json"),
    );
    v.push(
        case(
            "policy: scenario of 100000 characters",
            "eval --policy @p.json",
        )
        .file("p.json", set_scenario(p, &"x".repeat(100_000)))
        .err("not built in"),
    );
    v.push(
        case(
            "policy: trained on a file, played with it",
            "eval --policy @c.json --scenario @c.toml --episodes 2",
        )
        .file("c.json", &b.custom_policy)
        .file("c.toml", &b.custom_scenario)
        .ok("on custom, 2 episodes"),
    );
    v.push(
        case(
            "policy: trained on a file, played without it",
            "eval --policy @c.json",
        )
        .file("c.json", &b.custom_policy)
        .err("\"custom\", which is not built in"),
    );
    v.push(
        case(
            "policy: for another scenario",
            "eval --policy @p.json --scenario enterprise",
        )
        .file("p.json", p)
        .err("classic"),
    );
    v.push(
        case("policy: empty", "eval --policy @p.json")
            .file("p.json", "")
            .err("p.json"),
    );
    v.push(
        case("policy: truncated", "eval --policy @p.json")
            .file("p.json", &p[..p.len() / 2])
            .err("ends too early"),
    );
    v.push(
        case("policy: an array", "eval --policy @p.json")
            .file("p.json", "[]")
            .err("a policy file is a JSON object"),
    );
    v.push(
        case("policy: null", "eval --policy @p.json")
            .file("p.json", "null")
            .err("JSON object"),
    );
    v.push(
        case("policy: NaN in the table", "eval --policy @p.json")
            .file("p.json", nan_in_table(p))
            .err("p.json"),
    );
    v.push(
        case("policy: number too large", "eval --policy @p.json")
            .file(
                "p.json",
                String::from_utf8_lossy(p).replacen("\"seed\": ", "\"seed\": 1e999, \"x\": ", 1),
            )
            .err("p.json"),
    );
    v.push(
        case("policy: foreign format", "eval --policy @p.json")
            .file(
                "p.json",
                String::from_utf8_lossy(p).replacen("ztgym-policy", "other-policy", 1),
            )
            .err("format"),
    );
    v.push(
        case("policy: nested 100000 deep", "eval --policy @p.json")
            .file(
                "p.json",
                format!("{}{}", "[".repeat(100_000), "]".repeat(100_000)),
            )
            .err("p.json"),
    );
    v.push(
        case("policy: Latin-1 byte", "eval --policy @p.json")
            .file("p.json", [p.as_slice(), b"\xe9"].concat())
            .err("encoding problem"),
    );
    v.push(
        case("policy: UTF-16", "eval --policy @p.json")
            .file("p.json", utf16(&String::from_utf8_lossy(p)))
            .err("UTF-16"),
    );
    v.push(
        case("policy: a directory", "eval --policy @d")
            .dir("d")
            .err("is a directory"),
    );
    v.push(case("policy: /dev/zero", "eval --policy /dev/zero").err("character device"));
    v.push(
        case("policy: /dev/stdin", "eval --policy /dev/stdin")
            .io(Io::StdinOpen)
            .err("regular file"),
    );
    v.push(
        case("policy: a FIFO", "run --policy @f --trajectory @t.jsonl")
            .fifo("f")
            .err("FIFO"),
    );
    v.push(case("policy: missing", "eval --policy @missing.json").err("cannot read"));
    v.push(
        case("policy: over the 4 MiB cap", "eval --policy @p.json")
            .file(
                "p.json",
                [p.as_slice(), " ".repeat(4 * MIB).as_bytes()].concat(),
            )
            .err("larger than the 4194304 bytes"),
    );
    v.push(
        case("policy: sparse 5 GB", "eval --policy @p.json")
            .sparse("p.json", 5 << 30)
            .err("larger than"),
    );
    v.push(
        case("policy: random bytes", "eval --policy @p.json")
            .file(
                "p.json",
                (0..3000u32)
                    .map(|i| (i.wrapping_mul(40503) >> 7) as u8)
                    .collect::<Vec<u8>>(),
            )
            .err("p.json"),
    );
    v.push(
        case(
            "policy: with --agent too",
            "eval --policy @p.json --agent sop --scenario classic",
        )
        .file("p.json", p)
        .err("give --agent or --policy, not both"),
    );
    v
}
