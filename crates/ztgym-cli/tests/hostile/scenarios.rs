//! Scenario files: `validate FILE`, `eval --scenario FILE`, `train`, `run`.

use super::*;

pub fn cases() -> Vec<Case> {
    let mut v = Vec::new();
    v.push(
        case("scenario: valid copy", "validate @s.toml")
            .file("s.toml", CLASSIC)
            .ok("valid scenario \"classic\""),
    );
    v.push(
        case("scenario: byte order mark accepted", "validate @s.toml")
            .file("s.toml", format!("\u{feff}{CLASSIC}"))
            .ok("valid scenario"),
    );
    v.push(
        case("scenario: empty file", "validate @s.toml")
            .file("s.toml", "")
            .err("missing field `scenario`"),
    );
    v.push(
        case("scenario: a directory", "validate @d")
            .dir("d")
            .err("is a directory"),
    );
    v.push(
        case(
            "scenario: a directory named .toml",
            "eval --scenario @d.toml --agent sop",
        )
        .dir("d.toml")
        .err("is a directory"),
    );
    v.push(case("scenario: /dev/zero", "validate /dev/zero").err("is a character device"));
    v.push(
        case(
            "scenario: /dev/null",
            "eval --scenario /dev/null --agent sop",
        )
        .err("is a character device"),
    );
    v.push(
        case(
            "scenario: /dev/stdin with stdin open",
            "validate /dev/stdin",
        )
        .io(Io::StdinOpen)
        .err("regular file"),
    );
    v.push(
        case("scenario: a FIFO does not block", "validate @f.toml")
            .fifo("f.toml")
            .err("FIFO"),
    );
    v.push(
        case(
            "scenario: a FIFO via eval",
            "eval --scenario @f.toml --agent sop",
        )
        .fifo("f.toml")
        .err("FIFO"),
    );
    v.push(
        case("scenario: a symlink to /dev/zero", "validate @l.toml")
            .symlink("l.toml", "/dev/zero")
            .err("character device"),
    );
    v.push(case("scenario: missing file", "validate @missing.toml").err("cannot read"));
    v.push(
        case(
            "scenario: missing file via eval",
            "eval --scenario @missing.toml --agent sop",
        )
        .err("cannot read"),
    );
    v.push(
        case("scenario: over the 1 MiB cap", "validate @s.toml")
            .file("s.toml", format!("{CLASSIC}\n#{}", "x".repeat(MIB)))
            .err("larger than the 1048576 bytes"),
    );
    v.push(
        case("scenario: sparse 10 GB file", "validate @s.toml")
            .sparse("s.toml", 10 << 30)
            .err("larger than"),
    );
    v.push(
        case("scenario: Latin-1 byte", "validate @s.toml")
            .file("s.toml", [CLASSIC.as_bytes(), b"\n# caf\xe9\n"].concat())
            .err("encoding problem"),
    );
    v.push(
        case(
            "scenario: Latin-1 names its byte offset",
            "validate @s.toml",
        )
        .file("s.toml", b"# caf\xe9\n")
        .err("byte 5 (line 1, column 6)"),
    );
    v.push(
        case("scenario: UTF-16", "validate @s.toml")
            .file("s.toml", utf16(CLASSIC))
            .err("UTF-16"),
    );
    v.push(
        case("scenario: duplicate key", "validate @s.toml")
            .file(
                "s.toml",
                CLASSIC.replace(
                    "default_level = \"warmup\"",
                    "default_level = \"warmup\"\ndefault_level = \"expert\"",
                ),
            )
            .err("duplicate key"),
    );
    v.push(
        case("scenario: duplicate table", "validate @s.toml")
            .file(
                "s.toml",
                format!("{CLASSIC}\n[scenario]\nname = \"x\"\ntitle = \"y\"\n"),
            )
            .err("duplicate key"),
    );
    v.push(
        case("scenario: truncated", "validate @s.toml")
            .file("s.toml", &CLASSIC[..CLASSIC.len() / 2])
            .err("s.toml"),
    );
    v.push(
        case("scenario: binary garbage", "validate @s.toml")
            .file(
                "s.toml",
                (0..4096u32)
                    .map(|i| (i.wrapping_mul(2654435761) >> 13) as u8)
                    .collect::<Vec<u8>>(),
            )
            .err("s.toml"),
    );
    v.push(
        case("scenario: NUL bytes", "validate @s.toml")
            .file("s.toml", vec![0u8; 100])
            .err("s.toml"),
    );
    v.push(
        case("scenario: unknown field", "validate @s.toml")
            .file(
                "s.toml",
                CLASSIC.replace("[scenario]", "[scenario]\nbogus = 1"),
            )
            .err("unknown field `bogus`"),
    );
    v.push(
        case("scenario: uppercase service id", "validate @s.toml")
            .file(
                "s.toml",
                CLASSIC.replace("id = \"hr_db\"", "id = \"HR_DB\"").replace(
                    "depends_on = [\"frontend\"]\nuptime_weight = 10\n",
                    "uptime_weight = 10\n",
                ),
            )
            .err("must be lowercase"),
    );
    v.push(
        case("scenario: name with an escape sequence", "validate @s.toml")
            .file(
                "s.toml",
                CLASSIC.replace("name = \"classic\"", "name = \"x\\u001b]0;pwned\\u0007\""),
            )
            .err("scenario.name"),
    );
    v.push(
        case(
            "scenario: title with escape sequences is data",
            "validate @s.toml",
        )
        .file(
            "s.toml",
            CLASSIC.replace(
                "title = \"Classic: the Zero Trust SRE Gym\"",
                "title = \"\\u001b[2J\\u001b]0;pwned\\u0007\\r\"",
            ),
        )
        .ok("valid scenario"),
    );
    v.push(
        case("scenario: title of 300 characters", "validate @s.toml")
            .file(
                "s.toml",
                CLASSIC.replace(
                    "title = \"Classic: the Zero Trust SRE Gym\"",
                    &format!("title = \"{}\"", "t".repeat(300)),
                ),
            )
            .err("scenario.title: must be at most 200 characters"),
    );
    v.push(
        case(
            "scenario: description of 5000 characters",
            "validate @s.toml",
        )
        .file(
            "s.toml",
            CLASSIC.replace(
                "description = \"",
                &format!("description = \"{}", "d".repeat(5000)),
            ),
        )
        .err("scenario.description"),
    );
    v.push(
        case("scenario: unknown tag", "validate @s.toml")
            .file(
                "s.toml",
                CLASSIC.replace(
                    "tags = [\"postgres\", \"linux\"]",
                    "tags = [\"postgres\", \"cobol\"]",
                ),
            )
            .err("unknown technology tag \"cobol\""),
    );
    v.push(
        case("scenario: dependency cycle", "validate @s.toml")
            .file(
                "s.toml",
                CLASSIC.replace(
                    "tags = [\"nginx\", \"linux\"]\nprotected = true",
                    "tags = [\"nginx\", \"linux\"]\nprotected = true\ndepends_on = [\"hr_db\"]",
                ),
            )
            .err("cycle"),
    );
    v.push(
        case("scenario: self dependency", "validate @s.toml")
            .file(
                "s.toml",
                CLASSIC.replace("depends_on = [\"frontend\"]", "depends_on = [\"hr_db\"]"),
            )
            .err("cannot depend on itself"),
    );
    v.push(
        case("scenario: unknown dependency", "validate @s.toml")
            .file(
                "s.toml",
                CLASSIC.replace("depends_on = [\"frontend\"]", "depends_on = [\"nowhere\"]"),
            )
            .err("unknown service \"nowhere\""),
    );
    v.push(case("scenario: one service", "validate @s.toml").file("s.toml", "[scenario]\nname = \"a\"\ntitle = \"a\"\n[[service]]\nid = \"a\"\ntags = [\"linux\"]\n").err("needs 2 to 64 services"));
    let many: String = (0..65)
        .map(|i| format!("[[service]]\nid = \"s{i}\"\ntags = [\"linux\"]\n"))
        .collect();
    v.push(
        case("scenario: 65 services", "validate @s.toml")
            .file(
                "s.toml",
                format!("[scenario]\nname = \"a\"\ntitle = \"a\"\n{many}"),
            )
            .err("needs 2 to 64 services, found 65"),
    );
    v.push(
        case("scenario: uptime weight infinite", "validate @s.toml")
            .file(
                "s.toml",
                CLASSIC.replacen("uptime_weight = 10", "uptime_weight = inf", 1),
            )
            .err("uptime_weight"),
    );
    v.push(
        case("scenario: uptime weight NaN", "validate @s.toml")
            .file(
                "s.toml",
                CLASSIC.replacen("uptime_weight = 10", "uptime_weight = nan", 1),
            )
            .err("uptime_weight"),
    );
    v.push(
        case("scenario: threat mix negative", "validate @s.toml")
            .file("s.toml", format!("{CLASSIC}\n[threat_mix]\nrce = -1\n"))
            .err("threat_mix.rce"),
    );
    v.push(
        case("scenario: threat mix NaN", "validate @s.toml")
            .file("s.toml", format!("{CLASSIC}\n[threat_mix]\nrce = nan\n"))
            .err("threat_mix.rce"),
    );
    v.push(
        case("scenario: threat mix all zero", "validate @s.toml")
            .file("s.toml", format!("{CLASSIC}\n[threat_mix]\nrce = 0\n"))
            .err("at least one class"),
    );
    v.push(
        case("scenario: threat mix unknown class", "validate @s.toml")
            .file("s.toml", format!("{CLASSIC}\n[threat_mix]\nmagic = 1\n"))
            .err("s.toml"),
    );
    // Every reward and cost constant is checked for NaN and infinity, by name.
    for field in [
        "step_cost",
        "query_compromised",
        "query_red_herring",
        "query_clean",
        "ticket_without_investigation",
        "ticket_too_short",
        "ticket_approved_scale",
        "ticket_denied_base",
        "ticket_denied_scale",
        "ticket_clean_node",
        "check_approval_delivered",
        "check_approval_nothing",
        "no_ticket",
        "protected_node",
        "concurrent_isolations",
        "not_investigated",
        "success_base",
        "success_phase_scale",
        "success_time_bonus",
        "contain_partial",
        "outage",
        "wrong_node",
        "sla_breach",
        "patch_wrong_cve",
        "restore_clean",
        "restore_compromised",
        "no_effect",
        "min_uptime",
        "cost_no_ticket",
        "cost_protected_node",
        "cost_concurrent_isolations",
        "cost_not_investigated",
    ] {
        v.push(
            case(
                &format!("rules: {field} = nan"),
                "eval --scenario @s.toml --agent sop --episodes 2 --json",
            )
            .file("s.toml", rules(&format!("{field} = nan")))
            .err(&format!("rules.{field}")),
        );
    }
    for (line, field) in [
        ("step_cost = inf", "rules.step_cost"),
        ("outage = -inf", "rules.outage"),
        ("success_base = 1e300", "rules.success_base"),
        ("cost_no_ticket = -1", "rules.cost_no_ticket"),
        ("min_uptime = 101", "rules.min_uptime"),
        (
            "min_justification_chars = 18446744073709551615",
            "rules.min_justification_chars",
        ),
        ("min_justification_chars = -1", "s.toml"),
        (
            "max_concurrent_isolations = 1000",
            "rules.max_concurrent_isolations",
        ),
        ("approvers = []", "needs at least one approver"),
        (
            "approvers = [{ role = \"a\", bar = 2.0, review_steps = 0 }]",
            "rules.approvers[0].bar",
        ),
        (
            "approvers = [{ role = \"a\", bar = nan, review_steps = 0 }]",
            "rules.approvers[0].bar",
        ),
        (
            "approvers = [{ role = \"a\", bar = 0.1, review_steps = 4294967295 }]",
            "rules.approvers[0].review_steps",
        ),
        (
            "approvers = [{ role = \"a\", bar = 0.1, review_steps = 4294967296 }]",
            "s.toml",
        ),
        (
            "approvers = [{ role = \"a\", bar = 0.1, review_steps = -1 }]",
            "s.toml",
        ),
        (
            "approvers = [{ role = \"\", bar = 0.1, review_steps = 1 }]",
            "rules.approvers[0].role",
        ),
        (
            "approvers = [{ role = \"\\u001b[2J\", bar = 0.1, review_steps = 1 }]",
            "rules.approvers[0].role",
        ),
        ("bogus_rule = 1", "unknown field `bogus_rule`"),
        ("step_cost = \"cheap\"", "s.toml"),
    ] {
        v.push(
            case(&format!("rules: {line}"), "validate @s.toml")
                .file("s.toml", rules(line))
                .err(field),
        );
    }
    v
}
