//! The bounds every Rego evaluation runs under, wherever it runs (CLI, server, page, training
//! worker), besides the VM's instruction budget and the builtin guards (`calls`):
//!
//! - parse: [`MAX_NESTING`] brackets deep, checked on the text before regorus's parser sees it
//!   (its time doubles with each level of an array or object literal);
//! - stack: a rule-dependency chain at most [`MAX_RULE_DEPTH`] rules long (checked at load by
//!   `recursion`), and natively, loading, compiling, the interpreter's work and the VM's for a
//!   chain longer than [`INLINE_RULE_DEPTH`] on a thread of [`STACK_BYTES`];
//! - memory, natively: regorus's allocator accounting (mimalloc) stops one VM evaluation past
//!   [`EVAL_MEMORY_BYTES`] and any Rego work once the process holds [`PROCESS_MEMORY_BYTES`];
//!   in the page the Rego worker's wasm memory has a ceiling instead;
//! - time, natively: [`TIME_LIMIT`] per evaluation (a backstop: the budget is the bound);
//! - input numbers: integers beyond 64 bits are refused (regorus would round them to a float).

use crate::error::{ErrorKind, RegoError};

/// The deepest nesting of `[`, `{` and `(` a policy may have (the shipped ones need 4). Parsing
/// an array or object literal 12 deep takes about 2 ms; each further level doubles it.
pub const MAX_NESTING: usize = 12;

/// The longest chain of rules depending on one another (`r0 := r1 + 1`, `r1 := r2 + 1`, ...).
/// Evaluating a rule takes a few KiB of stack per level of the chain.
pub const MAX_RULE_DEPTH: usize = 100;

/// The longest chain of rules a policy may have and still be evaluated in the VM on the
/// caller's thread (a debug build takes about 40 KiB of stack per level, a release build
/// about 4 KiB: 16 levels fit the 2 MiB of any thread). Longer chains, up to
/// [`MAX_RULE_DEPTH`], are evaluated on the Rego thread.
pub const INLINE_RULE_DEPTH: usize = 16;

/// The stack of the thread that loads policies and runs the interpreter, natively.
pub const STACK_BYTES: usize = 16 * 1024 * 1024;

/// What one evaluation in the VM may allocate, natively.
pub const EVAL_MEMORY_BYTES: u64 = 128 * 1024 * 1024;

/// What the whole process may hold before any Rego work (parse, evaluation, builtin) stops
/// with an error, natively, unless a larger ceiling is set ([`set_process_memory_ceiling`]).
pub const PROCESS_MEMORY_BYTES: u64 = 1024 * 1024 * 1024;

/// The ceiling in force (never below [`PROCESS_MEMORY_BYTES`]).
#[cfg(not(target_arch = "wasm32"))]
static CEILING: std::sync::atomic::AtomicU64 =
    std::sync::atomic::AtomicU64::new(PROCESS_MEMORY_BYTES);

/// The wall-clock limit of one evaluation, natively (a browser has no clock the engine can
/// read: there the page stops its Rego worker after 3 s).
pub const TIME_LIMIT: std::time::Duration = std::time::Duration::from_secs(2);

/// The first place where `[`, `{` and `(` nest deeper than [`MAX_NESTING`], outside strings
/// and comments.
pub fn check_nesting(file: &str, text: &str) -> Result<(), RegoError> {
    let (mut depth, mut line, mut col) = (0usize, 1u32, 0u32);
    let mut quote: Option<char> = None;
    let (mut escaped, mut comment) = (false, false);
    for c in text.chars() {
        col += 1;
        if c == '\n' {
            (line, col, comment) = (line + 1, 0, false);
            if quote == Some('"') {
                quote = None; // an unterminated string: the parser reports it
            }
            continue;
        }
        if comment {
            continue;
        }
        match quote {
            Some(_) if escaped => escaped = false,
            Some('"') if c == '\\' => escaped = true,
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None => match c {
                '#' => comment = true,
                '"' | '`' => quote = Some(c),
                '[' | '{' | '(' => {
                    depth += 1;
                    if depth > MAX_NESTING {
                        return Err(at(
                            ErrorKind::Bounds,
                            file,
                            line,
                            col,
                            format!(
                                "brackets nest more than {MAX_NESTING} deep (parsing time \
                                 doubles with each level)"
                            ),
                        ));
                    }
                }
                ']' | '}' | ')' => depth = depth.saturating_sub(1),
                _ => {}
            },
        }
    }
    Ok(())
}

/// Refuses an integer in a JSON text that does not fit in 64 bits (regorus would compare
/// 18446744073709551617 equal to 18446744073709551616), naming its line and column.
pub fn check_input_numbers(file: &str, text: &str) -> Result<(), RegoError> {
    let (mut line, mut col) = (1u32, 0u32);
    let (mut in_string, mut escaped) = (false, false);
    let mut token = String::new();
    let mut start = (1, 1);
    for c in text.chars().chain(std::iter::once(' ')) {
        col += 1;
        let number_char = !in_string && (c.is_ascii_digit() || "+-.eE".contains(c));
        if number_char {
            if token.is_empty() {
                start = (line, col);
            }
            token.push(c);
        } else if !token.is_empty() {
            if !fits_64_bits(&token) {
                let shown: String = token.chars().take(40).collect();
                return Err(at(
                    ErrorKind::Bounds,
                    file,
                    start.0,
                    start.1,
                    format!(
                        "the integer {shown} does not fit in 64 bits (it would be rounded); \
                         write it as a string"
                    ),
                ));
            }
            token.clear();
        }
        match c {
            '\n' => (line, col) = (line + 1, 0),
            _ if in_string && escaped => escaped = false,
            '\\' if in_string => escaped = true,
            '"' => in_string = !in_string,
            _ => {}
        }
    }
    Ok(())
}

/// Whether a number token is a float or an integer within `i64::MIN..=u64::MAX`.
fn fits_64_bits(token: &str) -> bool {
    if token.contains(['.', 'e', 'E']) {
        return true;
    }
    match token.strip_prefix('-') {
        Some(digits) => digits.parse::<u64>().is_ok_and(|d| d <= 1 << 63),
        None => token.trim_start_matches('+').parse::<u64>().is_ok(),
    }
}

fn at(kind: ErrorKind, file: &str, line: u32, col: u32, message: String) -> RegoError {
    RegoError {
        kind,
        file: file.to_string(),
        line: Some(line),
        column: Some(col),
        message,
    }
}

/// Runs `work` on a thread of [`STACK_BYTES`] natively (inline in the browser, whose worker
/// is stopped and restarted by the page): a panic inside regorus becomes an error.
pub fn on_eval_thread<R: Send>(
    file: &str,
    work: impl FnOnce() -> Result<R, RegoError> + Send,
) -> Result<R, RegoError> {
    #[cfg(not(target_arch = "wasm32"))]
    {
        process_memory_ceiling();
        let joined = std::thread::scope(|s| {
            std::thread::Builder::new()
                .name("rego".into())
                .stack_size(STACK_BYTES)
                .spawn_scoped(s, || catching(file, work))
                .map(|h| h.join())
        });
        match joined {
            Ok(Ok(result)) => result.and_then(|r| r),
            Ok(Err(panic)) => Err(panicked(file, panic.as_ref())),
            Err(e) => Err(RegoError {
                kind: ErrorKind::Eval,
                file: file.to_string(),
                line: None,
                column: None,
                message: format!("could not start the Rego thread: {e}"),
            }),
        }
    }
    #[cfg(target_arch = "wasm32")]
    {
        let _ = file;
        work()
    }
}

/// Runs `f`, a panic inside it (regorus has a few, such as `numbers.range(0, input.n)` with
/// `n` = 2^63 - 1 in the interpreter) becoming an error rather than a message on the terminal
/// and a lost thread. Natively only: in the browser a panic ends the worker.
pub fn catching<R>(file: &str, f: impl FnOnce() -> R) -> Result<R, RegoError> {
    #[cfg(not(target_arch = "wasm32"))]
    {
        quiet_panics_in_rego();
        let outer = QUIET.with(|q| q.replace(true));
        let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(f));
        QUIET.with(|q| q.set(outer));
        r.map_err(|panic| panicked(file, panic.as_ref()))
    }
    #[cfg(target_arch = "wasm32")]
    {
        let _ = file;
        Ok(f())
    }
}

#[cfg(not(target_arch = "wasm32"))]
std::thread_local! {
    /// Whether this thread is inside [`catching`].
    static QUIET: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Installs (once) a panic hook that stays silent inside [`catching`] and hands every other
/// panic to the hook that was there.
#[cfg(not(target_arch = "wasm32"))]
fn quiet_panics_in_rego() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !QUIET.with(|q| q.get()) {
                previous(info);
            }
        }));
    });
}

/// An error for a panic inside the engine (its message kept).
pub fn panicked(file: &str, panic: &(dyn std::any::Any + Send)) -> RegoError {
    let what = panic
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_default();
    RegoError {
        kind: ErrorKind::Eval,
        file: file.to_string(),
        line: None,
        column: None,
        message: format!("the Rego engine failed ({what}); the evaluation was stopped"),
    }
}

/// Natively, sets regorus's process-wide memory ceiling (once).
#[cfg(not(target_arch = "wasm32"))]
pub fn process_memory_ceiling() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let bytes = CEILING.load(std::sync::atomic::Ordering::Relaxed);
        regorus::set_global_memory_limit(Some(bytes));
    });
}

/// Raises the process-wide ceiling to `bytes` (at least [`PROCESS_MEMORY_BYTES`]): the ceiling
/// counts everything the process holds, so a process that legitimately holds much (a server
/// with thousands of sessions) raises it, or every Rego evaluation would stop.
#[cfg(not(target_arch = "wasm32"))]
pub fn set_process_memory_ceiling(bytes: u64) {
    let bytes = bytes.max(PROCESS_MEMORY_BYTES);
    CEILING.store(bytes, std::sync::atomic::Ordering::Relaxed);
    regorus::set_global_memory_limit(Some(bytes));
}

/// Natively, the time limit of one evaluation, checked every `every` units of work.
#[cfg(not(target_arch = "wasm32"))]
pub fn time_limit(every: u32) -> regorus::utils::limits::ExecutionTimerConfig {
    regorus::utils::limits::ExecutionTimerConfig {
        limit: TIME_LIMIT,
        check_interval: std::num::NonZeroU32::new(every).unwrap_or(std::num::NonZeroU32::MIN),
    }
}

/// Natively, the memory budget of one VM evaluation.
#[cfg(not(target_arch = "wasm32"))]
pub fn memory_budget() -> regorus::MemoryBudgetConfig {
    regorus::MemoryBudgetConfig {
        limit: std::num::NonZeroU64::new(EVAL_MEMORY_BYTES).unwrap_or(std::num::NonZeroU64::MIN),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nesting_counts_brackets_outside_strings_and_comments() {
        let deep = format!("package p\nx := {}1{}\n", "[".repeat(13), "]".repeat(13));
        let e = check_nesting("p.rego", &deep).unwrap_err();
        assert_eq!(
            (e.kind, e.line, e.column),
            (ErrorKind::Bounds, Some(2), Some(18))
        );
        let quoted = format!(
            "package p\nx := \"{}\"\ny := `{}`\n# {}\n",
            "[".repeat(99),
            "{".repeat(99),
            "(".repeat(99)
        );
        assert!(check_nesting("p.rego", &quoted).is_ok());
        let escaped = format!("package p\nx := \"\\\"{}\"\n", "[".repeat(99));
        assert!(check_nesting("p.rego", &escaped).is_ok());
    }

    #[test]
    fn integers_beyond_64_bits_are_refused_where_they_are() {
        let e = check_input_numbers("i.json", "{\n  \"n\": 18446744073709551617\n}").unwrap_err();
        assert_eq!((e.line, e.column), (Some(2), Some(8)), "{e}");
        assert!(e.message.contains("18446744073709551617"), "{e}");
        assert!(check_input_numbers("i.json", "[-9223372036854775809]").is_err());
        for ok in [
            "[18446744073709551615, -9223372036854775808, 1e400, 1.5]",
            "{\"n\": \"18446744073709551617\", \"e\": \"\\\"99999999999999999999\"}",
        ] {
            assert!(check_input_numbers("i.json", ok).is_ok(), "{ok}");
        }
    }
}
