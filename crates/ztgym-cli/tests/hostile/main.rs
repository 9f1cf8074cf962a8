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

mod arguments;
mod feeds;
mod harden_inputs;
mod outputs;
mod policies;
mod rego_bounds;
mod rego_harden_triage;
mod scenarios;

const BIN: &str = env!("CARGO_BIN_EXE_ztgym");
const CLASSIC: &str = include_str!("../../../ztgym-sre/data/scenarios/classic.toml");
const CATALOG: &str = include_str!("../../../ztgym-sre/data/cve-catalog.json");
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
    /// `fragment` expected in the output, whatever the exit code.
    fn prints(mut self, fragment: &str) -> Case {
        self.out.push(fragment.into());
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
    v.extend(scenarios::cases());
    v.extend(policies::cases(b));
    v.extend(feeds::cases());
    v.extend(outputs::cases(b));
    v.extend(arguments::cases());
    v.extend(rego_harden_triage::cases());
    v.extend(harden_inputs::cases());
    v.extend(rego_bounds::cases());
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
