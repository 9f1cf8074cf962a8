//! Standard output, checked: every line the CLI prints goes through [`line`]. A closed pipe
//! (`ztgym cves | head -1`) ends the command quietly with exit 0, as the reader asked for no
//! more; any other write error (a full device) is an error message and a non-zero exit, never
//! a panic.

use serde_json::Value;
use std::cell::RefCell;
use std::io::{ErrorKind, Write};

thread_local! {
    /// While [`capture`] runs: what would go to standard output and standard error.
    static CAPTURED: RefCell<Option<(String, String)>> = const { RefCell::new(None) };
}

/// Runs `f` with what it prints kept (standard output, standard error) instead of printed:
/// for a program or test running the command line in-process.
pub fn capture<T>(f: impl FnOnce() -> T) -> (T, String, String) {
    CAPTURED.with(|c| *c.borrow_mut() = Some(Default::default()));
    let result = f();
    let (out, err) = CAPTURED.with(|c| c.borrow_mut().take()).unwrap_or_default();
    (result, out, err)
}

/// Appends `text` and a newline to the captured output or error; `false` when not capturing.
fn captured(text: &str, error: bool) -> bool {
    CAPTURED.with(|c| match c.borrow_mut().as_mut() {
        Some((out, err)) => {
            let to = if error { err } else { out };
            to.push_str(text);
            to.push('\n');
            true
        }
        None => false,
    })
}

/// Writes `text` and a newline to standard output.
pub fn line(text: &str) -> Result<(), String> {
    if captured(text, false) {
        return Ok(());
    }
    let mut out = std::io::stdout().lock();
    let result = out
        .write_all(text.as_bytes())
        .and_then(|()| out.write_all(b"\n"))
        .and_then(|()| out.flush());
    match result {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == ErrorKind::BrokenPipe => std::process::exit(0),
        Err(e) => Err(format!("cannot write to standard output: {e}")),
    }
}

/// A command's result: the JSON object with `--json`, else the human text.
pub fn print(json_out: bool, value: &Value, human: impl FnOnce() -> String) -> Result<(), String> {
    if json_out {
        line(&value.to_string())
    } else {
        line(&human())
    }
}

/// Text that came from a file, safe to print (control characters escaped).
pub fn safe(text: &str) -> std::borrow::Cow<'_, str> {
    ztgym::core::text::escape_controls(text)
}

/// Writes `text` and a newline to standard error; a write error is ignored (there is nowhere
/// left to report it), never a panic as `eprintln!` would.
pub fn error_line(text: &str) {
    if captured(text, true) {
        return;
    }
    let _ = writeln!(std::io::stderr(), "{text}");
}
