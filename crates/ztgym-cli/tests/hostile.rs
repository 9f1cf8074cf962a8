//! The hostile-input corpus: every reader of the CLI (scenario TOML, policy JSON, CVE feeds,
//! arguments) and every output, fed inputs meant to break them. Each case states its expected
//! outcome: the exit code and a fragment of the message (or of the output). Every case is also
//! checked for what must never happen: a panic or backtrace, a hang (60 s), a raw control
//! character (ESC, BEL, a lone CR) reaching the terminal, an input file changed, a temporary file
//! left behind.
//!
//! A custom harness (`harness = false`): it prints one line per case and a libtest-style
//! `test result:` line, so `scripts/test.sh` counts every case in its summary.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_ztgym");
const CLASSIC: &str = include_str!("../../ztgym-sre/data/scenarios/classic.toml");
const CATALOG: &str = include_str!("../../ztgym-sre/data/cve-catalog.json");
const MIB: usize = 1024 * 1024;

/// How standard streams are connected.
#[derive(Clone, Copy, PartialEq)]
enum Io {
    /// stdin empty, stdout and stderr captured.
    Normal,
    /// stdin a pipe kept open (a read from it would block), stdout captured.
    StdinOpen,
    /// stdout a pipe whose reader is already closed (`| head -0`).
    StdoutClosed,
    /// stdout is `/dev/full`.
    StdoutFull,
    /// stderr a pipe whose reader is already closed: an error message cannot be written.
    StderrClosed,
}

enum Setup {
    File(String, Vec<u8>),
    Dir(String),
    Fifo(String),
    Symlink(String, String),
    HardLink(String, String),
    Sparse(String, u64),
}

struct Case {
    name: String,
    args: Vec<String>,
    setup: Vec<Setup>,
    code: i32,
    err: Vec<String>,
    out: Vec<String>,
    changes: Vec<String>,
    io: Io,
}

fn case(name: &str, args: &str) -> Case {
    Case {
        name: name.into(),
        args: args.split_whitespace().map(String::from).collect(),
        setup: Vec::new(),
        code: 2,
        err: Vec::new(),
        out: Vec::new(),
        changes: Vec::new(),
        io: Io::Normal,
    }
}

impl Case {
    fn file(mut self, name: &str, bytes: impl AsRef<[u8]>) -> Case {
        self.setup
            .push(Setup::File(name.into(), bytes.as_ref().to_vec()));
        self
    }
    fn dir(mut self, name: &str) -> Case {
        self.setup.push(Setup::Dir(name.into()));
        self
    }
    fn fifo(mut self, name: &str) -> Case {
        self.setup.push(Setup::Fifo(name.into()));
        self
    }
    fn symlink(mut self, name: &str, target: &str) -> Case {
        self.setup.push(Setup::Symlink(name.into(), target.into()));
        self
    }
    fn hardlink(mut self, name: &str, target: &str) -> Case {
        self.setup.push(Setup::HardLink(name.into(), target.into()));
        self
    }
    fn sparse(mut self, name: &str, len: u64) -> Case {
        self.setup.push(Setup::Sparse(name.into(), len));
        self
    }
    fn arg(mut self, word: &str) -> Case {
        self.args.push(word.into());
        self
    }
    /// Expected to fail (exit 2) with `fragment` in the message.
    fn err(mut self, fragment: &str) -> Case {
        self.code = 2;
        self.err.push(fragment.into());
        self
    }
    /// Expected to succeed with `fragment` in the output.
    fn ok(mut self, fragment: &str) -> Case {
        self.code = 0;
        self.out.push(fragment.into());
        self
    }
    /// A file the command may write (an output).
    fn writes(mut self, name: &str) -> Case {
        self.changes.push(name.into());
        self
    }
    fn io(mut self, io: Io) -> Case {
        self.io = io;
        self
    }
}

/// Files every case can copy: a trained policy, a scenario file of another name and a policy
/// trained on it.
struct Base {
    policy: Vec<u8>,
    custom_scenario: String,
    custom_policy: Vec<u8>,
}

fn base(dir: &Path) -> Base {
    let train = |scenario: &str, out: &Path| {
        let status = Command::new(BIN)
            .args([
                "train",
                "--scenario",
                scenario,
                "--agent",
                "q",
                "--episodes",
                "30",
            ])
            .arg("--out")
            .arg(out)
            .stdout(Stdio::null())
            .status()
            .unwrap();
        assert!(status.success(), "training the base policy");
        std::fs::read(out).unwrap()
    };
    let custom_scenario = CLASSIC.replace("name = \"classic\"", "name = \"custom\"");
    let custom_path = dir.join("custom.toml");
    std::fs::write(&custom_path, &custom_scenario).unwrap();
    Base {
        policy: train("classic", &dir.join("policy.json")),
        custom_policy: train(custom_path.to_str().unwrap(), &dir.join("custom.json")),
        custom_scenario,
    }
}

/// A scenario with `line` added under `[rules]`.
fn rules(line: &str) -> String {
    format!("{CLASSIC}\n[rules]\n{line}\n")
}

const LIST: &str = "# a hand-written list\nCVE-2021-44228,10.0,Apache Log4j 2,java;log4j\n\
                    CVE-2022-22965,9.8,Spring Framework,java;spring,rce\n";

fn cases(b: &Base) -> Vec<Case> {
    let mut v = Vec::new();
    let p = &b.policy;

    // --- Scenario files: `validate FILE`, `eval --scenario FILE`, `train`, `run`.
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

    // --- Policy files: `eval --policy`, `run --policy`.
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

    // --- CVE feeds: `cves --feed`, `eval --cve-feed`, `run --cve-feed`.
    v.push(
        case("feed: list", "cves --feed @f.txt")
            .file("f.txt", LIST)
            .ok("2 CVEs with CVSS >= 7.5"),
    );
    v.push(
        case("feed: list with a byte order mark", "cves --feed @f.txt")
            .file("f.txt", format!("\u{feff}{LIST}"))
            .ok("2 CVEs"),
    );
    v.push(
        case("feed: catalog", "cves --feed @f.json --json")
            .file("f.json", CATALOG)
            .ok("\"count\":52"),
    );
    v.push(
        case(
            "feed: escape sequences in a product are escaped",
            "cves --feed @f.txt",
        )
        .file(
            "f.txt",
            "CVE-2021-44228,10.0,Evil\u{1b}]0;pwned\u{7}\u{1b}[2J,java\n",
        )
        .ok("Evil\\u{1b}]0;pwned\\u{7}\\u{1b}[2J"),
    );
    v.push(
        case(
            "feed: a lone carriage return is escaped",
            "cves --feed @f.txt",
        )
        .file("f.txt", "CVE-2021-44228,10.0,abc\rXYZ,java\n")
        .ok("abc\\rXYZ"),
    );
    v.push(
        case(
            "feed: C1 control and bidi override escaped",
            "cves --feed @f.txt",
        )
        .file("f.txt", "CVE-2021-44228,10.0,a\u{9b}2Jb\u{202e}c,java\n")
        .ok("\\u{9b}2Jb\\u{202e}c"),
    );
    v.push(
        case(
            "feed: catalog name with escapes, JSON out",
            "cves --feed @f.json --json",
        )
        .file(
            "f.json",
            CATALOG.replacen("\"Log4Shell\"", "\"Log\\u001b[2J4Shell\"", 1),
        )
        .ok("Log\\u001b[2J4Shell"),
    );
    v.push(
        case(
            "feed: dropped entries named with reasons",
            "cves --feed @f.txt",
        )
        .file(
            "f.txt",
            format!("{LIST}CVE-2021-0001,9.0,nothing,zzz\nCVE-2021-0002,3.0,low,java\n"),
        )
        .ok("dropped: CVE-2021-0001"),
    );
    v.push(
        case("feed: low scores counted", "cves --feed @f.txt")
            .file("f.txt", format!("{LIST}CVE-2021-0002,3.0,low,java\n"))
            .ok("dropped 1 entries scored below 7.5"),
    );
    v.push(
        case("feed: duplicate key in a catalog", "cves --feed @f.json")
            .file(
                "f.json",
                CATALOG.replacen("\"version\": 1,", "\"version\": 1, \"version\": 1,", 1),
            )
            .err("duplicate key \"version\""),
    );
    v.push(
        case("feed: duplicate key in an entry", "cves --feed @f.json")
            .file(
                "f.json",
                CATALOG.replacen("\"cvss\": 10.0,", "\"cvss\": 10.0, \"cvss\": 1.0,", 1),
            )
            .err("entries[0].cvss"),
    );
    v.push(
        case("feed: NVD duplicate key", "cves --feed @f.json")
            .file(
                "f.json",
                "{\"vulnerabilities\": [], \"vulnerabilities\": []}",
            )
            .err("duplicate key \"vulnerabilities\""),
    );
    v.push(
        case("feed: NVD empty", "cves --feed @f.json")
            .file("f.json", "{\"vulnerabilities\": []}")
            .err("f.json"),
    );
    v.push(
        case("feed: empty", "cves --feed @f.txt")
            .file("f.txt", "")
            .err("the file is empty"),
    );
    v.push(
        case("feed: whitespace only", "cves --feed @f.txt")
            .file("f.txt", "  \n\t\n")
            .err("empty"),
    );
    v.push(case("feed: /dev/zero", "cves --feed /dev/zero").err("character device"));
    v.push(
        case(
            "feed: /dev/zero via eval",
            "eval --scenario classic --agent sop --cve-feed /dev/zero",
        )
        .err("character device"),
    );
    v.push(
        case("feed: /dev/stdin", "cves --feed /dev/stdin")
            .io(Io::StdinOpen)
            .err("regular file"),
    );
    v.push(case("feed: a FIFO", "cves --feed @f").fifo("f").err("FIFO"));
    v.push(
        case("feed: a directory", "cves --feed @d")
            .dir("d")
            .err("directory"),
    );
    v.push(case("feed: missing", "cves --feed @missing.txt").err("cannot read"));
    v.push(
        case("feed: sparse 50 GB", "cves --feed @f.txt")
            .sparse("f.txt", 50 << 30)
            .err("larger than the 33554432 bytes"),
    );
    v.push(
        case("feed: Latin-1", "cves --feed @f.txt")
            .file("f.txt", b"CVE-2021-44228,10.0,caf\xe9,java\n")
            .err("byte 23 (line 1, column 24)"),
    );
    v.push(
        case("feed: UTF-16", "cves --feed @f.txt")
            .file("f.txt", utf16(LIST))
            .err("UTF-16"),
    );
    v.push(
        case("feed: NaN score", "cves --feed @f.txt")
            .file("f.txt", "CVE-2021-44228,NaN,x,java\n")
            .err("line 1"),
    );
    v.push(
        case("feed: score 11", "cves --feed @f.txt")
            .file("f.txt", "CVE-2021-44228,11,x,java\n")
            .err("line 1"),
    );
    v.push(
        case("feed: malformed id", "cves --feed @f.txt")
            .file("f.txt", "CVE-21-1,9.0,x,java\n")
            .err("line 1"),
    );
    v.push(
        case("feed: duplicate ids", "cves --feed @f.txt")
            .file(
                "f.txt",
                "CVE-2021-44228,9.0,x,java\nCVE-2021-44228,9.0,x,java\n",
            )
            .err("line 2"),
    );
    v.push(
        case("feed: catalog NaN", "cves --feed @f.json")
            .file(
                "f.json",
                CATALOG.replacen("\"cvss\": 10.0", "\"cvss\": NaN", 1),
            )
            .err("f.json"),
    );
    v.push(
        case("feed: nested 100000 deep", "cves --feed @f.json")
            .file(
                "f.json",
                format!("{}{}", "[".repeat(100_000), "]".repeat(100_000)),
            )
            .err("f.json"),
    );
    v.push(
        case("feed: truncated JSON", "cves --feed @f.json")
            .file("f.json", &CATALOG[..CATALOG.len() / 3])
            .err("f.json"),
    );
    v.push(
        case(
            "feed: bad feed via run",
            "run --scenario classic --agent sop --cve-feed @f.txt --trajectory @t.jsonl",
        )
        .file("f.txt", "garbage line\n")
        .err("f.txt"),
    );
    v.push(
        case(
            "feed: good feed via run",
            "run --scenario classic --agent sop --cve-feed @f.json --trajectory @t.jsonl",
        )
        .file("f.json", CATALOG)
        .writes("t.jsonl")
        .ok("trajectory written"),
    );

    // --- Outputs: never over an input or another output; atomic; regular files only.
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
    // --- Arguments.
    v.push(
        case(
            "args: single-dash typo and a stray word",
            "eval -e 5 garbage",
        )
        .err("\"-e\" is not an option"),
    );
    v.push(
        case(
            "args: single-dash typo suggests",
            "eval --scenario classic --agent sop -s 3",
        )
        .err("did you mean --scenario or --seed"),
    );
    v.push(
        case(
            "args: stray word",
            "eval --scenario classic --agent sop garbage",
        )
        .err("unexpected word \"garbage\""),
    );
    v.push(case("args: stray word on scenarios", "scenarios garbage").err("unexpected word"));
    v.push(case("args: stray word on envs", "envs --json extra").err("unexpected word"));
    v.push(case("args: stray word on cves", "cves extra").err("unexpected word"));
    v.push(
        case(
            "args: repeated flag",
            "eval --scenario classic --agent sop --seed 1 --seed 2",
        )
        .err("--seed is given twice"),
    );
    v.push(
        case(
            "args: repeated flag, = form",
            "eval --scenario classic --scenario=enterprise --agent sop",
        )
        .err("--scenario is given twice"),
    );
    v.push(case("args: repeated switch", "scenarios --json --json").err("--json is given twice"));
    v.push(case("args: repeated --env", "envs --env sre --env sre").err("--env is given twice"));
    v.push(case("args: unknown --env", "envs --env nope").err("nope"));
    v.push(case("args: unknown option", "eval --bogus 1").err("unknown option --bogus"));
    v.push(case("args: switch with a value", "scenarios --json=1").err("takes no value"));
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
        .err("found the option \"--json\""),
    );
    v.push(case("args: missing value", "eval --scenario").err("--scenario needs a value"));
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
    v.push(case("args: validate single dash", "validate -x").err("\"-x\" is not an option"));
    v.push(case("args: unknown command", "frobnicate").err("unknown command \"frobnicate\""));
    v.push(
        case("args: unknown command with escapes", "")
            .arg("\u{1b}]0;pwned\u{7}")
            .err("unknown command"),
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
    v.push(case("args: no command", "").err("usage"));
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
    v.extend(rego_harden_triage());
    v
}

/// The readers and outputs of the Rego commands, the hardening loop and message triage.
fn rego_harden_triage() -> Vec<Case> {
    const GOOD: &str = "package x\nimport rego.v1\ndefault allow := false\nallow if input.ok\n\
                        test_ok if { allow with input as {\"ok\": true} }\n";
    const CLOCK: &str = "package x\nimport rego.v1\nallow if { time.now_ns() > 0 }\n";
    const HTTP: &str =
        "package x\nimport rego.v1\nallow if { http.send({\"url\": \"http://x\"}) }\n";
    const RUNAWAY: &str = "package x\nimport rego.v1\n\
                           allow if { count([1 | some i in numbers.range(1, 100000000)]) > 0 }\n\
                           test_a if { allow }\n";
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
            .ok("1 of 1 passed"),
        case(
            "rego: a runaway test is an ERROR, not a hang",
            "rego test r.rego",
        )
        .file("r.rego", RUNAWAY)
        .err("1 failed"),
        case("rego: test without files", "rego test").err("name at least one .rego file"),
        case("rego: unknown subcommand", "rego frob").err("rego eval --policy FILE"),
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

fn utf16(text: &str) -> Vec<u8> {
    let mut out = vec![0xff, 0xfe];
    for u in text.encode_utf16() {
        out.extend_from_slice(&u.to_le_bytes());
    }
    out
}

fn dup_key(policy: &[u8], pair: &str) -> String {
    let text = String::from_utf8_lossy(policy);
    assert!(text.contains(pair), "the base policy has {pair}");
    text.replacen(pair, &format!("{pair}, {pair}"), 1)
}

fn set_scenario(policy: &[u8], scenario: &str) -> String {
    String::from_utf8_lossy(policy).replacen(
        "\"scenario\": \"classic\"",
        &format!("\"scenario\": \"{scenario}\""),
        1,
    )
}

fn nan_in_table(policy: &[u8]) -> String {
    let text = String::from_utf8_lossy(policy);
    let q = text.find("\"q\": [").expect("a q table") + 6;
    let at = q + text[q..].find('[').expect("a row") + 1;
    format!("{}NaN, {}", &text[..at], &text[at..])
}

/// What a case did.
struct Ran {
    code: Option<i32>,
    stdout: Vec<u8>,
    stderr: Vec<u8>,
    timed_out: bool,
}

fn run(c: &Case, dir: &Path) -> Ran {
    let args: Vec<String> = c
        .args
        .iter()
        .map(|a| match a.strip_prefix('@') {
            Some(rel) => dir.join(rel).to_string_lossy().into_owned(),
            None => a.clone(),
        })
        .collect();
    let mut cmd = Command::new(BIN);
    cmd.args(&args)
        .current_dir(dir)
        .env("RUST_BACKTRACE", "1")
        .stderr(Stdio::piped());
    match c.io {
        Io::Normal => cmd.stdin(Stdio::null()).stdout(Stdio::piped()),
        Io::StdinOpen => cmd.stdin(Stdio::piped()).stdout(Stdio::piped()),
        Io::StdoutClosed => cmd.stdin(Stdio::null()).stdout(Stdio::piped()),
        Io::StderrClosed => cmd.stdin(Stdio::null()).stdout(Stdio::piped()),
        Io::StdoutFull => cmd.stdin(Stdio::null()).stdout(
            std::fs::OpenOptions::new()
                .write(true)
                .open("/dev/full")
                .unwrap(),
        ),
    };
    let mut child = cmd.spawn().unwrap();
    let stdin = child.stdin.take(); // kept open until the end for StdinOpen
    let stdout = child.stdout.take();
    let stdout_reader = if c.io == Io::StdoutClosed {
        drop(stdout);
        None
    } else {
        stdout.map(|mut s| {
            std::thread::spawn(move || {
                let mut buf = Vec::new();
                let _ = std::io::Read::read_to_end(&mut s, &mut buf);
                buf
            })
        })
    };
    let stderr = child.stderr.take().unwrap();
    let stderr_reader = if c.io == Io::StderrClosed {
        drop(stderr);
        None
    } else {
        let mut stderr = stderr;
        Some(std::thread::spawn(move || {
            let mut buf = Vec::new();
            let _ = std::io::Read::read_to_end(&mut stderr, &mut buf);
            buf
        }))
    };
    let start = Instant::now();
    let mut timed_out = false;
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if start.elapsed() > Duration::from_secs(60) {
            timed_out = true;
            let _ = child.kill();
            break child.wait().unwrap();
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    drop(stdin);
    Ran {
        code: status.code(),
        stdout: stdout_reader.map(|t| t.join().unwrap()).unwrap_or_default(),
        stderr: stderr_reader.map(|t| t.join().unwrap()).unwrap_or_default(),
        timed_out,
    }
}

fn prepare(c: &Case, dir: &Path) {
    for s in &c.setup {
        match s {
            Setup::File(name, bytes) => std::fs::write(dir.join(name), bytes).unwrap(),
            Setup::Dir(name) => std::fs::create_dir_all(dir.join(name)).unwrap(),
            Setup::Fifo(name) => {
                let ok = Command::new("mkfifo").arg(dir.join(name)).status().unwrap();
                assert!(ok.success(), "mkfifo");
            }
            Setup::Symlink(name, target) => {
                let target = if target.starts_with('/') {
                    PathBuf::from(target)
                } else {
                    dir.join(target)
                };
                std::os::unix::fs::symlink(target, dir.join(name)).unwrap();
            }
            Setup::HardLink(name, target) => {
                std::fs::hard_link(dir.join(target), dir.join(name)).unwrap()
            }
            Setup::Sparse(name, len) => std::fs::File::create(dir.join(name))
                .unwrap()
                .set_len(*len)
                .unwrap(),
        }
    }
}

/// Every regular file under `dir` and its bytes (sparse files by length only).
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            let meta = std::fs::symlink_metadata(&path).unwrap();
            if meta.is_dir() {
                stack.push(path);
            } else if meta.is_file() {
                let bytes = if meta.len() > 64 * MIB as u64 {
                    meta.len().to_le_bytes().to_vec()
                } else {
                    std::fs::read(&path).unwrap()
                };
                out.insert(path, bytes);
            } else {
                out.insert(path, Vec::new());
            }
        }
    }
    out
}

fn check(c: &Case, dir: &Path) -> Result<(), String> {
    prepare(c, dir);
    let before = snapshot(dir);
    let ran = run(c, dir);
    let stdout = String::from_utf8_lossy(&ran.stdout);
    let stderr = String::from_utf8_lossy(&ran.stderr);
    let mut problems = Vec::new();
    if ran.timed_out {
        problems.push("did not finish within 60 s".to_string());
    }
    if ran.code != Some(c.code) {
        problems.push(format!("exit {:?}, expected {}", ran.code, c.code));
    }
    if stderr.contains("panicked") || stderr.contains("stack backtrace") {
        problems.push("panicked".into());
    }
    for f in &c.err {
        if !stderr.contains(f.as_str()) {
            problems.push(format!("stderr lacks {f:?}"));
        }
    }
    for f in &c.out {
        if !stdout.contains(f.as_str()) {
            problems.push(format!("stdout lacks {f:?}"));
        }
    }
    if c.code == 0 && c.io != Io::StdoutClosed && !stderr.is_empty() {
        problems.push("a successful command wrote to stderr".into());
    }
    for (name, bytes) in [("stdout", &ran.stdout), ("stderr", &ran.stderr)] {
        if let Some(b) = bytes
            .iter()
            .find(|&&b| b == 0x1b || b == 0x07 || b == 0x9b || b == b'\r' || b == 0)
        {
            problems.push(format!("raw control byte 0x{b:02x} on {name}"));
        }
        if String::from_utf8_lossy(bytes).contains(['\u{9b}', '\u{202e}']) {
            problems.push(format!("raw C1 or bidi control on {name}"));
        }
    }
    if ran.stderr.len() > 8000 {
        problems.push(format!(
            "a {} byte message (values not shortened)",
            ran.stderr.len()
        ));
    }
    let after = snapshot(dir);
    for (path, bytes) in &before {
        let rel = path
            .strip_prefix(dir)
            .unwrap()
            .to_string_lossy()
            .into_owned();
        if c.changes.contains(&rel) {
            continue;
        }
        match after.get(path) {
            Some(now) if now == bytes => {}
            Some(_) => problems.push(format!("input {rel} was changed")),
            None => problems.push(format!("input {rel} was removed")),
        }
    }
    for path in after.keys() {
        let rel = path
            .strip_prefix(dir)
            .unwrap()
            .to_string_lossy()
            .into_owned();
        if !before.contains_key(path) && !c.changes.contains(&rel) {
            problems.push(format!("left a file behind: {rel}"));
        }
    }
    for rel in &c.changes {
        if c.code == 0 && after.get(&dir.join(rel)) == before.get(&dir.join(rel)) {
            problems.push(format!("output {rel} was not written"));
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "{}\n      stdout: {}\n      stderr: {}",
            problems.join("; "),
            stdout.chars().take(300).collect::<String>(),
            stderr.chars().take(600).collect::<String>()
        ))
    }
}

fn main() {
    let filter: Option<String> = std::env::args().skip(1).find(|a| !a.starts_with('-'));
    let root = std::env::temp_dir().join(format!("ztgym-hostile-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
    std::fs::create_dir_all(root.join("base")).unwrap();
    let b = base(&root.join("base"));
    let all = cases(&b);
    let mut names = std::collections::HashSet::new();
    for c in &all {
        assert!(names.insert(c.name.clone()), "two cases named {:?}", c.name);
    }
    let selected: Vec<&Case> = all
        .iter()
        .filter(|c| filter.as_ref().is_none_or(|f| c.name.contains(f.as_str())))
        .collect();
    println!("\nrunning {} hostile-input cases", selected.len());
    let (mut passed, mut failed) = (0, 0);
    let start = Instant::now();
    for (i, c) in selected.iter().enumerate() {
        let dir = root.join(format!("case-{i}"));
        std::fs::create_dir_all(&dir).unwrap();
        match check(c, &dir) {
            Ok(()) => {
                passed += 1;
                println!("test {} ... ok", c.name);
                let _ = std::fs::remove_dir_all(&dir);
            }
            Err(e) => {
                failed += 1;
                println!("test {} ... FAILED\n      {e}", c.name);
            }
        }
        let _ = std::io::stdout().flush();
    }
    if filter.is_none() && all.len() < 150 {
        failed += 1;
        println!(
            "the corpus has {} cases; it must keep at least 150",
            all.len()
        );
    }
    println!(
        "\ntest result: {}. {passed} passed; {failed} failed; 0 ignored; 0 measured; 0 filtered out; finished in {:.2}s\n",
        if failed == 0 { "ok" } else { "FAILED" },
        start.elapsed().as_secs_f64()
    );
    if failed == 0 {
        let _ = std::fs::remove_dir_all(&root);
    } else {
        std::process::exit(101);
    }
}
