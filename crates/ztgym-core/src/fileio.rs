//! The one way ztgym reads and writes files. Every reader of every surface goes through
//! [`read_text`] (or [`decode`] for bytes already in memory, as the page has them); every output
//! goes through [`write_atomic`], after [`Outputs::check`] has made sure no output is one of the
//! command's inputs or another of its outputs.
//!
//! # Reading
//!
//! ```no_run
//! use ztgym_core::fileio::{read_text, Kind};
//! let text = read_text("my.toml".as_ref(), Kind::Scenario)?; // String, BOM removed
//! # Ok::<(), ztgym_core::fileio::ReadError>(())
//! ```
//!
//! * **Regular files only.** The path's metadata is checked before it is opened (a directory, a
//!   device such as `/dev/zero`, a FIFO or a socket is refused without being opened), and again
//!   on the open handle.
//! * **A size cap per kind** ([`Kind::cap`]), checked against the metadata and enforced on the
//!   read itself (`take(cap + 1)`), so a file that grows while it is read cannot get past it:
//!
//!   | kind | cap |
//!   |---|---|
//!   | scenario TOML | 1 MiB |
//!   | policy JSON | 4 MiB (the page's file limit) |
//!   | CVE feed (NVD JSON, catalog, list) | 32 MiB |
//!   | Rego policy | 1 MiB |
//!   | task file | 1 MiB |
//!   | message corpus | 16 MiB |
//!
//! * **UTF-8 required.** A leading byte order mark is accepted and removed; invalid UTF-8 is an
//!   encoding problem named with its byte offset, line and column.
//! * **Errors** ([`ReadError`]) name the file, the place (a byte offset, `line:column`, or a JSON
//!   path) and the problem, with any quoted value shortened ([`crate::text::shorten`]).
//!
//! JSON files: [`read_json`] (or [`parse_json`] on text) also refuses duplicate keys, naming
//! their JSON path (`serde_json` alone keeps the last one silently). TOML already refuses a
//! duplicate key (`toml` reports "duplicate key"); scenario readers rely on that.
//!
//! # Writing
//!
//! [`write_atomic`] writes to a new temporary file beside the target, flushes it to disk
//! (`fsync`), then renames it over the target: a reader sees the old file or the new one, never
//! a part. On any error the temporary file is removed and the old file is left as it was. A
//! target that exists and is not a regular file (a directory, `/dev/null`) is refused.
//!
//! [`Outputs`] collects a command's inputs and outputs (compared by canonical path and, on Unix,
//! by device and inode, so a hard link or a `./` spelling does not slip through) and refuses an
//! output that names an input or another output before anything runs.

use std::fmt;
use std::fs::{self, File, OpenOptions};
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};

use crate::text::shorten;

/// What a file holds, which sets its size cap.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// A scenario TOML file.
    Scenario,
    /// A policy JSON file.
    Policy,
    /// A CVE feed: an NVD CVE API 2.0 response, a ztgym catalog, or a plain list.
    Feed,
    /// A Rego policy.
    Rego,
    /// The JSON input a Rego policy is evaluated on (`ztgym rego eval --input`).
    RegoInput,
    /// A task file.
    Task,
    /// A corpus of messages.
    Corpus,
    /// A trajectory (JSON lines, see [`crate::trajectory`]).
    Trajectory,
}

impl Kind {
    /// Every kind.
    pub const ALL: [Kind; 8] = [
        Kind::Scenario,
        Kind::Policy,
        Kind::Feed,
        Kind::Rego,
        Kind::RegoInput,
        Kind::Task,
        Kind::Corpus,
        Kind::Trajectory,
    ];

    /// The largest file of this kind read, in bytes. Caps are far above any real file of the
    /// kind (the built-in scenarios are under 8 KiB, a trained policy under 200 KiB, an NVD API
    /// page of 2,000 CVEs about 10 MiB) and far below what would strain memory.
    pub const fn cap(self) -> u64 {
        const MIB: u64 = 1024 * 1024;
        match self {
            Kind::Scenario => MIB,
            Kind::Policy => 4 * MIB,
            Kind::Feed => 32 * MIB,
            // The Rego loader's own limit (ztgym-rego's `MAX_POLICY_BYTES`): one cap, one message.
            Kind::Rego => MIB / 4,
            Kind::RegoInput => 4 * MIB,
            Kind::Task => MIB,
            Kind::Corpus => 16 * MIB,
            // The reader's own bound (`trajectory::read::LIMITS`): one cap, one message.
            Kind::Trajectory => 16 * MIB,
        }
    }

    /// What the kind is called in messages.
    pub const fn as_str(self) -> &'static str {
        match self {
            Kind::Scenario => "scenario",
            Kind::Policy => "policy",
            Kind::Feed => "CVE feed",
            Kind::Rego => "Rego policy",
            Kind::RegoInput => "Rego input",
            Kind::Task => "task",
            Kind::Corpus => "message corpus",
            Kind::Trajectory => "trajectory",
        }
    }
}

/// A file that could not be read: which file, where in it, and what is wrong.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReadError {
    /// The file as the user named it.
    pub file: String,
    /// Where: `byte 17 (line 2, column 5)`, a JSON path, or empty for the file as a whole.
    pub place: String,
    /// What is wrong.
    pub problem: String,
}

impl ReadError {
    fn new(file: &str, place: impl Into<String>, problem: impl Into<String>) -> ReadError {
        ReadError {
            file: shorten(file, 200),
            place: place.into(),
            problem: problem.into(),
        }
    }
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.place.is_empty() {
            write!(f, "{}: {}", self.file, self.problem)
        } else {
            write!(f, "{}: {}: {}", self.file, self.place, self.problem)
        }
    }
}

impl std::error::Error for ReadError {}

/// What a non-regular file is, for messages.
fn file_type_name(meta: &fs::Metadata) -> &'static str {
    let t = meta.file_type();
    if t.is_dir() {
        return "a directory";
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if t.is_char_device() {
            return "a character device";
        }
        if t.is_block_device() {
            return "a block device";
        }
        if t.is_fifo() {
            return "a FIFO (named pipe)";
        }
        if t.is_socket() {
            return "a socket";
        }
    }
    "not a regular file"
}

/// Reads a file of `kind` as UTF-8 text (see the module documentation for every check).
pub fn read_text(path: &Path, kind: Kind) -> Result<String, ReadError> {
    let name = path.display().to_string();
    let cannot = |e: io::Error| ReadError::new(&name, "", format!("cannot read: {e}"));
    let meta = fs::metadata(path).map_err(cannot)?;
    check_meta(&name, &meta, kind)?;
    let file = File::open(path).map_err(cannot)?;
    // The path may have been swapped between the check and the open: check the handle too.
    check_meta(&name, &file.metadata().map_err(cannot)?, kind)?;
    let mut bytes = Vec::with_capacity(meta.len().min(kind.cap()) as usize);
    file.take(kind.cap() + 1)
        .read_to_end(&mut bytes)
        .map_err(cannot)?;
    decode(&name, &bytes, kind)
}

fn check_meta(name: &str, meta: &fs::Metadata, kind: Kind) -> Result<(), ReadError> {
    if !meta.is_file() {
        return Err(ReadError::new(
            name,
            "",
            format!(
                "is {}; a {} file must be a regular file",
                file_type_name(meta),
                kind.as_str()
            ),
        ));
    }
    too_big(name, meta.len(), kind)
}

fn too_big(name: &str, len: u64, kind: Kind) -> Result<(), ReadError> {
    if len > kind.cap() {
        return Err(ReadError::new(
            name,
            "",
            format!(
                "is larger than the {} bytes a {} file may have ({})",
                kind.cap(),
                kind.as_str(),
                if len == kind.cap() + 1 {
                    "it kept growing while read".to_string()
                } else {
                    format!("{len} bytes")
                }
            ),
        ));
    }
    Ok(())
}

/// Bytes already in memory (a dropped file, a stored value) as text of `kind`: the size cap,
/// UTF-8 with an optional byte order mark. `name` names the file in errors.
pub fn decode(name: &str, bytes: &[u8], kind: Kind) -> Result<String, ReadError> {
    too_big(name, bytes.len() as u64, kind)?;
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(text) => Ok(text.to_string()),
        Err(e) => {
            let at = e.valid_up_to();
            let before = &bytes[..at];
            let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
            let line_start = before
                .iter()
                .rposition(|&b| b == b'\n')
                .map_or(0, |i| i + 1);
            // Valid UTF-8 up to `at`: count characters for the column.
            let column = std::str::from_utf8(&before[line_start..])
                .map_or(at - line_start, |s| s.chars().count())
                + 1;
            let hint = if bytes.starts_with(b"\xff\xfe") || bytes.starts_with(b"\xfe\xff") {
                " (it looks like UTF-16; save it as UTF-8)"
            } else {
                " (Latin-1 or another legacy encoding? save it as UTF-8)"
            };
            Err(ReadError::new(
                name,
                format!("byte {at} (line {line}, column {column})"),
                format!(
                    "encoding problem: the file is not valid UTF-8 (byte 0x{:02x}){hint}",
                    bytes[at]
                ),
            ))
        }
    }
}

/// Reads a JSON file of `kind`: [`read_text`], then [`parse_json`].
pub fn read_json(path: &Path, kind: Kind) -> Result<serde_json::Value, ReadError> {
    let text = read_text(path, kind)?;
    parse_json(&path.display().to_string(), &text)
}

/// Parses JSON text, refusing duplicate keys (named by their JSON path).
pub fn parse_json(name: &str, text: &str) -> Result<serde_json::Value, ReadError> {
    if let Err(p) = crate::json::refuse_duplicate_keys(text) {
        return Err(ReadError::new(name, p.path, p.message));
    }
    serde_json::from_str(text).map_err(|e| {
        ReadError::new(
            name,
            format!("line {}, column {}", e.line(), e.column()),
            format!("not valid JSON: {e}"),
        )
    })
}

/// An output that could not be written, or must not be.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WriteError {
    pub file: String,
    pub problem: String,
}

impl fmt::Display for WriteError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.file, self.problem)
    }
}

impl std::error::Error for WriteError {}

/// Writes `bytes` to `path` atomically: a temporary file beside it, `fsync`, then a rename over
/// it. On error the old file is untouched and the temporary file removed. A symbolic link is
/// followed (its target is replaced, the link stays); an existing target that is not a regular
/// file is refused.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), WriteError> {
    let name = path.display().to_string();
    let err = |problem: String| WriteError {
        file: shorten(&name, 200),
        problem,
    };
    let mut target = path.to_path_buf();
    let mut old_permissions = None;
    match fs::metadata(path) {
        Ok(meta) if meta.is_file() => {
            old_permissions = Some(meta.permissions());
            if fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink()) {
                target = fs::canonicalize(path).map_err(|e| err(format!("cannot write: {e}")))?;
            }
        }
        Ok(meta) => {
            return Err(err(format!(
                "is {}; an output must be a regular file (or not exist yet)",
                file_type_name(&meta)
            )))
        }
        Err(e) if e.kind() == io::ErrorKind::NotFound => {}
        Err(e) => return Err(err(format!("cannot write: {e}"))),
    }
    let file_name = target
        .file_name()
        .ok_or_else(|| err("names a directory, not a file".into()))?
        .to_string_lossy()
        .into_owned();
    let dir = match target.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let (file, temp) = create_temp(&dir, &file_name).map_err(|e| {
        err(format!(
            "cannot write (cannot create a temporary file in {}: {e})",
            dir.display()
        ))
    })?;
    // Takes the file by value: it is closed before the rename.
    let fill = |mut file: File| -> io::Result<()> {
        file.write_all(bytes)?;
        if let Some(p) = old_permissions {
            file.set_permissions(p)?;
        }
        file.sync_all()
    };
    let result = (|| {
        fill(file)?;
        fs::rename(&temp, &target)?;
        // Make the rename itself durable; not every platform can open a directory.
        if let Ok(d) = File::open(&dir) {
            let _ = d.sync_all();
        }
        Ok::<(), io::Error>(())
    })();
    result.map_err(|e| {
        let _ = fs::remove_file(&temp);
        err(format!(
            "cannot write: {e} (the old file, if any, is unchanged)"
        ))
    })
}

fn create_temp(dir: &Path, file_name: &str) -> io::Result<(File, PathBuf)> {
    use std::sync::atomic::{AtomicU32, Ordering};
    static COUNTER: AtomicU32 = AtomicU32::new(0);
    let short: String = file_name.chars().take(64).collect();
    loop {
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        let temp = dir.join(format!(".{short}.{}.{n}.tmp", std::process::id()));
        match OpenOptions::new().write(true).create_new(true).open(&temp) {
            Ok(f) => return Ok((f, temp)),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists && n < 1000 => continue,
            Err(e) => return Err(e),
        }
    }
}

/// The identity of a file for "is this the same file": its canonical path, and on Unix its
/// device and inode when it exists. A file that does not exist yet is its canonical directory
/// joined with its name.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Identity {
    path: PathBuf,
    inode: Option<(u64, u64)>,
}

impl Identity {
    fn of(path: &Path) -> Identity {
        if let Ok(canonical) = fs::canonicalize(path) {
            return Identity {
                inode: inode(&canonical),
                path: canonical,
            };
        }
        let dir = match path.parent() {
            Some(d) if !d.as_os_str().is_empty() => d,
            _ => Path::new("."),
        };
        let dir = fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf());
        Identity {
            path: dir.join(path.file_name().unwrap_or_default()),
            inode: None,
        }
    }

    fn same(&self, other: &Identity) -> bool {
        self.path == other.path || (self.inode.is_some() && self.inode == other.inode)
    }
}

#[cfg(unix)]
fn inode(path: &Path) -> Option<(u64, u64)> {
    use std::os::unix::fs::MetadataExt;
    fs::metadata(path).ok().map(|m| (m.dev(), m.ino()))
}

#[cfg(not(unix))]
fn inode(_: &Path) -> Option<(u64, u64)> {
    None
}

/// A command's files, to refuse an output that would replace an input or another output.
#[derive(Debug, Default)]
pub struct Outputs {
    inputs: Vec<(String, String, Identity)>,
    outputs: Vec<(String, String, Identity)>,
}

impl Outputs {
    /// No files yet.
    pub fn new() -> Outputs {
        Outputs::default()
    }

    /// An input file, named in messages as `what` (e.g. `--policy`).
    pub fn input(&mut self, what: &str, path: &str) -> &mut Outputs {
        self.inputs
            .push((what.into(), path.into(), Identity::of(Path::new(path))));
        self
    }

    /// An output file, named in messages as `what` (e.g. `--trajectory`).
    pub fn output(&mut self, what: &str, path: &str) -> &mut Outputs {
        self.outputs
            .push((what.into(), path.into(), Identity::of(Path::new(path))));
        self
    }

    /// Refuses an output that is one of the inputs or another output.
    pub fn check(&self) -> Result<(), String> {
        for (i, (what, path, id)) in self.outputs.iter().enumerate() {
            if let Some((in_what, in_path, _)) = self.inputs.iter().find(|(_, _, x)| x.same(id)) {
                return Err(format!(
                    "{what} {} is the same file as the input {in_what} {}: writing it would \
                     replace the input; choose another output file",
                    shorten(path, 200),
                    shorten(in_path, 200)
                ));
            }
            if let Some((o_what, _, _)) = self.outputs[..i].iter().find(|(_, _, x)| x.same(id)) {
                return Err(format!(
                    "{what} and {o_what} name the same file {}: one would replace the other; \
                     choose two files",
                    shorten(path, 200)
                ));
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dir(name: &str) -> PathBuf {
        let d = std::env::temp_dir().join(format!("ztgym-fileio-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&d);
        fs::create_dir_all(&d).unwrap();
        d
    }

    #[test]
    fn reads_regular_utf8_files_and_strips_a_bom() {
        let d = dir("read");
        let p = d.join("a.toml");
        fs::write(&p, b"\xef\xbb\xbfname = 1\n").unwrap();
        assert_eq!(read_text(&p, Kind::Scenario).unwrap(), "name = 1\n");
        let e = read_text(&d, Kind::Scenario).unwrap_err();
        assert!(e.problem.contains("a directory"), "{e}");
        let e = read_text(Path::new("/dev/zero"), Kind::Feed).unwrap_err();
        assert!(e.problem.contains("character device"), "{e}");
        let e = read_text(&d.join("missing"), Kind::Policy).unwrap_err();
        assert!(e.problem.contains("cannot read"), "{e}");
    }

    #[test]
    fn refuses_oversize_and_invalid_utf8_with_the_offset() {
        let big = vec![b'a'; Kind::Scenario.cap() as usize + 1];
        let e = decode("big.toml", &big, Kind::Scenario).unwrap_err();
        assert!(e.problem.contains("larger than the 1048576 bytes"), "{e}");
        let e = decode("l1.toml", b"name = \"caf\xe9\"\n", Kind::Scenario).unwrap_err();
        assert_eq!(e.place, "byte 11 (line 1, column 12)");
        assert!(e.problem.starts_with("encoding problem"), "{e}");
        let e = decode("u16.json", b"\xff\xfe{\x00", Kind::Policy).unwrap_err();
        assert!(e.problem.contains("UTF-16"), "{e}");
    }

    #[test]
    fn json_duplicate_keys_are_named_by_path() {
        let e = parse_json("p.json", r#"{"a": {"b": 1, "b": 2}}"#).unwrap_err();
        assert_eq!(e.place, "a.b");
        assert!(e.problem.contains("duplicate key"), "{e}");
        assert!(parse_json("p.json", r#"{"a": [{"b": 1}, {"b": 2}]}"#).is_ok());
    }

    #[test]
    fn writes_atomically_and_refuses_non_regular_targets() {
        let d = dir("write");
        let p = d.join("out.json");
        write_atomic(&p, b"one").unwrap();
        write_atomic(&p, b"two").unwrap();
        assert_eq!(fs::read(&p).unwrap(), b"two");
        assert!(write_atomic(&d, b"x")
            .unwrap_err()
            .problem
            .contains("directory"));
        assert!(write_atomic(Path::new("/dev/null"), b"x")
            .unwrap_err()
            .problem
            .contains("character device"));
        let e = write_atomic(&d.join("no/such/dir/x"), b"x").unwrap_err();
        assert!(e.problem.contains("temporary file"), "{e}");
        // Nothing left behind but the output.
        assert_eq!(fs::read_dir(&d).unwrap().count(), 1);
    }

    #[test]
    fn outputs_may_not_replace_inputs_or_each_other() {
        let d = dir("outputs");
        let p = d.join("p.json");
        fs::write(&p, "{}").unwrap();
        let dotted = d.join(".").join("p.json");
        let mut o = Outputs::new();
        o.input("--policy", p.to_str().unwrap())
            .output("--trajectory", dotted.to_str().unwrap());
        assert!(o
            .check()
            .unwrap_err()
            .contains("same file as the input --policy"));
        let mut o = Outputs::new();
        let t = d.join("t.jsonl");
        o.output("--trajectory", t.to_str().unwrap())
            .output("--alerts", t.to_str().unwrap());
        assert!(o.check().unwrap_err().contains("name the same file"));
        #[cfg(unix)]
        {
            let link = d.join("hard.json");
            fs::hard_link(&p, &link).unwrap();
            let mut o = Outputs::new();
            o.input("--policy", p.to_str().unwrap())
                .output("--out", link.to_str().unwrap());
            assert!(o.check().is_err());
        }
    }
}
