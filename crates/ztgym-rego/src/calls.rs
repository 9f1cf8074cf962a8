//! Which builtins a policy may call, and with which arguments.
//!
//! - Refused builtins (network, clock, randomness) are found in the parsed policy: calls
//!   actually made, never the same words inside a string or a comment.
//! - Builtins whose output can be far larger than their input (a range, an expansion, a width,
//!   a replacement) are refused arguments above [`MAX_ELEMENTS`], [`MAX_BYTES`],
//!   [`MAX_WIDTH`], [`MAX_JSON_BYTES`] and [`MAX_SHIFT_BITS`]: at load when the arguments are
//!   written as literals (with the call's line and column), and in the VM at each call (the
//!   compiled program's builtins are wrapped). One such call allocates in one go, so neither
//!   the instruction budget nor the memory budget (checked between instructions) could stop it.
//!   The interpreter (tests, coverage, queries, rules using `with`) checks them too: each
//!   guarded builtin is registered as an extension of its own name. Installing those checks
//!   is [`crate::guards`]' job.

use crate::call_sites::{approx, character_column, each_call, literal};
use crate::error::{ErrorKind, RegoError};
use regorus::Value;

/// Builtins a policy may not call: they would read the network, the clock or a random source,
/// so the same proposal could get different answers. A name also refuses the names under it.
const REFUSED: [(&str, &str); 8] = [
    ("http.send", "the gate has no network"),
    ("net.lookup_ip_addr", "the gate has no network"),
    ("time.now_ns", "the gate has no clock"),
    ("rand.intn", "the gate has no random source"),
    ("uuid.rfc4122", "the gate has no random source"),
    ("uuid.parse", "the uuid builtins are not built in"),
    ("opa.runtime", "the gate has no runtime environment"),
    ("crypto.x509", "certificate builtins are not built in"),
];

/// Builtin families the page's engine leaves out (see `Cargo.toml`: they would add about
/// 280 KB to its first load); natively (the CLI, the server, Python) they are built in.
#[cfg(target_arch = "wasm32")]
const NATIVE_ONLY: [&str; 3] = ["regex", "glob", "urlquery"];
#[cfg(not(target_arch = "wasm32"))]
const NATIVE_ONLY: [&str; 0] = [];

/// The most elements one builtin call may build (`numbers.range`, `numbers.range_step`,
/// `split`, `regex.split`, `net.cidr_expand`, `array.concat`, `walk`).
pub const MAX_ELEMENTS: f64 = 1_000_000.0;

/// The longest string one builtin call may build (`concat`, `replace`, `strings.replace_n`,
/// `sprintf`, `json.marshal`), in bytes.
pub const MAX_BYTES: f64 = 16.0 * 1024.0 * 1024.0;

/// The widest `sprintf` width or precision (`%10000d`).
pub const MAX_WIDTH: u64 = 10_000;

/// The longest text `json.unmarshal` may parse, in bytes.
pub const MAX_JSON_BYTES: usize = 1024 * 1024;

/// The largest `bits.lsh` shift, in bits.
pub const MAX_SHIFT_BITS: f64 = 65_536.0;

/// The largest number a builtin (`sprintf`, `json.marshal`, `format_int`) or an answer may
/// write out, in bits (about 19,700 digits): writing a number in decimal takes time growing
/// with the square of its digits (5 million digits took 3 s), all inside one call.
pub const MAX_NUMBER_BITS: u64 = 65_536;

/// The builtins checked, each with the number of its arguments.
pub(crate) const GUARDED: [(&str, usize); 17] = [
    ("numbers.range", 2),
    ("numbers.range_step", 3),
    ("array.concat", 2),
    ("concat", 2),
    ("sprintf", 2),
    ("replace", 3),
    ("strings.replace_n", 2),
    ("split", 2),
    ("json.unmarshal", 1),
    ("json.marshal", 1),
    ("json.marshal_with_options", 2),
    ("net.cidr_expand", 1),
    ("bits.lsh", 2),
    ("format_int", 2),
    ("regex.replace", 3),
    ("regex.split", 2),
    ("walk", 1),
];

/// Why a call with these arguments is refused, if it is.
pub fn refusal(name: &str, args: &[Value]) -> Option<String> {
    let num = |i: usize| args.get(i).and_then(approx);
    let text = |i: usize| {
        args.get(i)
            .and_then(|v| v.as_string().ok())
            .map(|s| s.as_ref())
    };
    let too_many = |n: f64, what: &str| {
        (n > MAX_ELEMENTS || n.is_nan()).then(|| {
            format!("`{name}` would build {n:.0} {what}, more than the {MAX_ELEMENTS} allowed")
        })
    };
    let too_long = |n: f64| {
        (n > MAX_BYTES).then(|| {
            format!(
                "`{name}` would build a string of {n:.0} bytes, more than the {MAX_BYTES} allowed"
            )
        })
    };
    match name {
        "numbers.range" => too_many((num(1)? - num(0)?).abs() + 1.0, "numbers"),
        "numbers.range_step" => {
            let step = num(2)?;
            if step <= 0.0 {
                return Some(format!("`{name}` needs a positive step, not {step}"));
            }
            too_many(((num(1)? - num(0)?).abs() / step).floor() + 1.0, "numbers")
        }
        "array.concat" => {
            let len = |i: usize| args.get(i).map_or(0, elements) as f64;
            too_many(len(0) + len(1), "elements")
        }
        "concat" => {
            let sep = text(0)?.len() as f64;
            let (n, bytes) = strings_in(args.get(1)?);
            too_long(bytes + sep * (n - 1.0).max(0.0))
        }
        "sprintf" => {
            let (widest, all) = widths(text(0)?);
            if widest > MAX_WIDTH {
                return Some(format!(
                    "`{name}` width or precision {widest} is more than the {MAX_WIDTH} allowed"
                ));
            }
            written_out(name, args.get(1)?, 0.0, 0.0, text(0)?.len() as f64 + all)
        }
        "replace" => too_long(replaced(
            text(0)?.len() as f64,
            text(0)?,
            text(1)?,
            text(2)?,
        )),
        "strings.replace_n" => {
            // Replaced one after the other: bound each step's growth.
            let mut len = text(1)?.len() as f64;
            if let Value::Object(pairs) = args.first()? {
                for (old, new) in pairs.iter() {
                    let (old, new) = (old.as_string().ok()?.len(), new.as_string().ok()?.len());
                    if old == 0 || new > old {
                        len = bound_replaced(len, old as f64, new as f64);
                    }
                }
            }
            too_long(len)
        }
        "regex.replace" => {
            // Each match becomes the value, whose `$1`-style references each repeat at most
            // that match.
            let (s, pattern, value) = (text(0)?, text(1)?, text(2)?);
            let (matches, matched) = regex_matches(pattern, s)?;
            let references = value.matches('$').count() as f64;
            let value_len = value.len() as f64;
            too_long(s.len() as f64 + matches as f64 * value_len + references * matched as f64)
        }
        "regex.split" => {
            let (pattern, s) = (text(0)?, text(1)?);
            let parts = regex_matches(pattern, s)?.0 + 1;
            too_many(parts as f64, "strings")
        }
        // A pair per node, each with its path: the paths of a deep document outgrow it.
        "walk" => too_many(walked(args.first()?), "elements"),
        "split" => {
            let (s, sep) = (text(0)?, text(1)?);
            let parts = if sep.is_empty() {
                s.chars().count()
            } else {
                s.matches(sep).count() + 1
            };
            too_many(parts as f64, "strings")
        }
        "json.unmarshal" => (text(0)?.len() > MAX_JSON_BYTES).then(|| {
            format!(
                "`{name}` of {} bytes: more than the {MAX_JSON_BYTES} allowed",
                text(0).map_or(0, str::len)
            )
        }),
        "json.marshal" | "format_int" => written_out(name, args.first()?, 0.0, 0.0, 0.0),
        "json.marshal_with_options" => {
            // Each element on a line of its own: the prefix, then the indent once per level.
            let option = |key: &str| match args.get(1)? {
                Value::Object(o) => o.get(&Value::from(key))?.as_string().ok().map(|s| s.len()),
                _ => None,
            };
            let (indent, prefix) = (option("indent").unwrap_or(1), option("prefix").unwrap_or(0));
            written_out(name, args.first()?, indent as f64, 1.0 + prefix as f64, 0.0)
        }
        "net.cidr_expand" => too_many(cidr_hosts(text(0)?)?, "addresses"),
        "bits.lsh" => (num(1)? > MAX_SHIFT_BITS).then(|| {
            format!(
                "`{name}` by {} bits: more than the {MAX_SHIFT_BITS} allowed",
                num(1).unwrap_or(0.0)
            )
        }),
        _ => None,
    }
}

/// How many times `pattern` matches in `s`, and the bytes those matches cover (`None`: not a
/// pattern, the builtin says why).
#[cfg(not(target_arch = "wasm32"))]
fn regex_matches(pattern: &str, s: &str) -> Option<(usize, usize)> {
    let found = regex::Regex::new(pattern).ok()?;
    Some(
        found
            .find_iter(s)
            .fold((0, 0), |(n, bytes), m| (n + 1, bytes + m.len())),
    )
}

/// The page has no regular-expression builtins (see `Cargo.toml`): nothing to count.
#[cfg(target_arch = "wasm32")]
fn regex_matches(_: &str, _: &str) -> Option<(usize, usize)> {
    None
}

/// How many elements `walk(v)` builds, counted until past [`MAX_ELEMENTS`]: for each node of
/// `v` a pair and its path, as long as the node is deep.
fn walked(v: &Value) -> f64 {
    let mut total = 0.0;
    let mut stack = vec![(v, 0.0)];
    while let Some((v, depth)) = stack.pop() {
        total += 1.0 + depth;
        if total > MAX_ELEMENTS {
            break;
        }
        let inner = depth + 1.0;
        match v {
            Value::Array(a) => stack.extend(a.iter().map(|x| (x, inner))),
            Value::Set(s) => stack.extend(s.iter().map(|x| (x, inner))),
            Value::Object(o) => stack.extend(o.values().map(|x| (x, inner))),
            _ => {}
        }
    }
    total
}

/// Why writing `v` out (with `indent` bytes per level and `line` bytes per element, after
/// `before` bytes) is refused, if it is: a string longer than [`MAX_BYTES`] or a number
/// larger than [`MAX_NUMBER_BITS`].
fn written_out(name: &str, v: &Value, indent: f64, line: f64, before: f64) -> Option<String> {
    let (bytes, bits) = written_up_to(v, indent, line, MAX_BYTES);
    if bits > MAX_NUMBER_BITS {
        return Some(format!(
            "`{name}` would write out a number of {bits} bits, more than the {MAX_NUMBER_BITS} \
             allowed"
        ));
    }
    (before + bytes > MAX_BYTES).then(|| {
        format!(
            "`{name}` would build a string of {:.0} bytes, more than the {MAX_BYTES} allowed",
            before + bytes
        )
    })
}

/// Elements of an array or set.
fn elements(v: &Value) -> usize {
    match v {
        Value::Array(a) => a.len(),
        Value::Set(s) => s.len(),
        _ => 0,
    }
}

/// How many strings a collection holds and their total length.
fn strings_in(v: &Value) -> (f64, f64) {
    let items: Box<dyn Iterator<Item = &Value>> = match v {
        Value::Array(a) => Box::new(a.iter()),
        Value::Set(s) => Box::new(s.iter()),
        _ => Box::new(std::iter::empty()),
    };
    items.fold((0.0, 0.0), |(n, bytes), s| {
        (n + 1.0, bytes + s.as_string().map_or(0, |s| s.len()) as f64)
    })
}

/// The length of `s` (of length `len`) after replacing each `old` with `new`. An empty `old`
/// matches between every two characters.
fn replaced(len: f64, s: &str, old: &str, new: &str) -> f64 {
    let matches = if old.is_empty() {
        s.chars().count() as f64 + 1.0
    } else {
        s.matches(old).count() as f64
    };
    len + matches * (new.len() as f64 - old.len() as f64)
}

/// The longest a string of `len` bytes can become when each `old` (of `old_len` bytes, at
/// least) becomes a `new` of `new_len` bytes.
fn bound_replaced(len: f64, old_len: f64, new_len: f64) -> f64 {
    let matches = if old_len == 0.0 {
        len + 1.0
    } else {
        len / old_len
    };
    len + matches * (new_len - old_len)
}

/// The widest width or precision in a `sprintf` format, and all of them added up (each
/// counted only up to just past [`MAX_WIDTH`]).
fn widths(format: &str) -> (u64, f64) {
    let (mut widest, mut all) = (0, 0.0);
    let mut chars = format.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '%' {
            continue;
        }
        let mut n: u64 = 0;
        while let Some(&d) = chars.peek().filter(|d| d.is_ascii_digit() || **d == '.') {
            chars.next();
            if d == '.' {
                (widest, all, n) = (widest.max(n), all + n as f64, 0);
            } else if n <= MAX_WIDTH {
                n = n * 10 + u64::from(d.to_digit(10).unwrap_or(0));
            }
        }
        (widest, all) = (widest.max(n), all + n as f64);
        chars.next(); // the verb (or the second `%` of `%%`)
    }
    (widest, all)
}

/// Why writing `v` out as an answer is refused, if it is (as for a builtin's output).
pub fn answer_refusal(v: &Value) -> Option<String> {
    written_out("the answer", v, 0.0, 0.0, 0.0).map(|m| m.replace('`', ""))
}

/// The size of a value written as JSON, each element on a line of `line` bytes plus `indent`
/// bytes per level of nesting (pretty printing), and its largest number in bits. Counted up
/// to `limit` bytes: a value can share its parts, so its written size can be exponential in
/// its memory.
fn written_up_to(v: &Value, indent: f64, line: f64, limit: f64) -> (f64, u64) {
    let (mut total, mut widest) = (0.0, 0);
    let mut stack = vec![(v, 0.0)];
    while let Some((v, depth)) = stack.pop() {
        let inner = depth + 1.0;
        total += line + indent * depth;
        total += match v {
            Value::String(s) => s.len() as f64 + 2.0,
            Value::Array(a) => {
                stack.extend(a.iter().map(|x| (x, inner)));
                2.0 + a.len() as f64
            }
            Value::Set(s) => {
                stack.extend(s.iter().map(|x| (x, inner)));
                2.0 + s.len() as f64
            }
            Value::Object(o) => {
                for (k, v) in o.iter() {
                    stack.push((k, inner));
                    stack.push((v, inner));
                }
                2.0 + 2.0 * o.len() as f64
            }
            Value::Number(n) => {
                let bits = n.as_big().map_or(64, |b| b.bits());
                widest = widest.max(bits);
                2.0 + bits as f64 * std::f64::consts::LOG10_2
            }
            _ => 8.0,
        };
        if total > limit {
            return (total, widest);
        }
    }
    (total, widest)
}

/// How many addresses `net.cidr_expand` would list for a CIDR (none if it does not parse).
fn cidr_hosts(cidr: &str) -> Option<f64> {
    let (ip, prefix) = cidr.split_once('/')?;
    let bits = match ip.parse::<std::net::IpAddr>().ok()? {
        std::net::IpAddr::V4(_) => 32,
        std::net::IpAddr::V6(_) => 128,
    };
    let prefix: i32 = prefix.parse().ok()?;
    Some(2f64.powi((bits - prefix).max(0)))
}

/// Checks every call in a loaded policy: refused builtins, and guarded builtins whose
/// arguments are literals. The first problem is reported at its call.
pub fn check_calls(file: &str, text: &str, engine: &mut regorus::Engine) -> Result<(), RegoError> {
    let mut problem: Option<RegoError> = None;
    // In a bundle the engine holds every module: check this file's.
    let modules = engine.get_modules().iter();
    for module in modules.filter(|m| m.package.span.source.get_path() == file) {
        for rule in &module.policy {
            each_call(rule, &mut |span, name, params| {
                if problem.is_some() {
                    return;
                }
                let at = |kind, message| RegoError {
                    kind,
                    file: file.to_string(),
                    line: Some(span.line),
                    column: Some(character_column(text, span)),
                    message,
                };
                let family = name.split('.').next().unwrap_or_default();
                if NATIVE_ONLY.contains(&family) && name.contains('.') {
                    problem = Some(at(
                        ErrorKind::Refused,
                        format!(
                            "`{name}` is not in the page's Rego: regular expressions, globs and \
                             URL queries are built in natively only (the CLI, the server, Python)"
                        ),
                    ));
                } else if let Some((builtin, why)) = REFUSED
                    .iter()
                    .find(|(r, _)| name == *r || name.starts_with(&format!("{r}.")))
                {
                    problem = Some(at(
                        ErrorKind::Refused,
                        format!(
                            "`{builtin}` is refused: {why} (decisions must not depend on the \
                             network, the clock or chance)"
                        ),
                    ));
                } else if GUARDED
                    .iter()
                    .any(|(g, n)| *g == name && *n == params.len())
                {
                    let literals: Option<Vec<Value>> = params.iter().map(|p| literal(p)).collect();
                    if let Some(why) = literals.and_then(|args| refusal(name, &args)) {
                        problem = Some(at(ErrorKind::Bounds, why));
                    }
                }
            });
        }
    }
    problem.map_or(Ok(()), Err)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refused(name: &str, args: serde_json::Value) -> Option<String> {
        let args: Vec<Value> = args
            .as_array()
            .unwrap()
            .iter()
            .map(|a| Value::from(a.clone()))
            .collect();
        refusal(name, &args)
    }

    #[test]
    fn each_guarded_builtin_is_refused_above_its_bound_and_not_below() {
        let s = "a".repeat(1000);
        let big = "a".repeat(10_000);
        for (name, over, under) in [
            (
                "numbers.range",
                json([1, 10_000_000_000u64]),
                json([1, 1000]),
            ),
            (
                "numbers.range",
                json([0u64, 9223372036854775807u64]),
                json([5, -5]),
            ),
            (
                "numbers.range_step",
                json([0, 100_000_000, 10]),
                json([0, 100, 10]),
            ),
            ("numbers.range_step", json([0, 10, 0]), json([10, 0, 3])),
            (
                "sprintf",
                serde_json::json!(["%099999d", [1]]),
                serde_json::json!(["%05d|%.2f", [1, 2]]),
            ),
            (
                "sprintf",
                serde_json::json!(["%9999d".repeat(2000), [1]]),
                serde_json::json!(["%9999d", [1]]),
            ),
            (
                "json.marshal_with_options",
                serde_json::json!([vec![vec![1; 1000]; 100], {"indent": "x".repeat(200)}]),
                serde_json::json!([[1, [2]], {"indent": "  "}]),
            ),
            (
                "replace",
                serde_json::json!([big, "a", big]),
                serde_json::json!([s, "a", "bb"]),
            ),
            (
                "replace",
                serde_json::json!([s.repeat(20), "", s]),
                serde_json::json!([s, "", "-"]),
            ),
            (
                "split",
                serde_json::json!(["x".repeat(1_000_001), ""]),
                serde_json::json!([s, ""]),
            ),
            (
                "net.cidr_expand",
                serde_json::json!(["0.0.0.0/0"]),
                serde_json::json!(["10.0.0.0/24"]),
            ),
            (
                "net.cidr_expand",
                serde_json::json!(["::/64"]),
                serde_json::json!(["::1/128"]),
            ),
            (
                "json.unmarshal",
                serde_json::json!([format!("\"{}\"", "x".repeat(MAX_JSON_BYTES))]),
                serde_json::json!(["[1]"]),
            ),
            ("bits.lsh", json([1, 4294967295u64]), json([1, 62])),
            (
                "concat",
                serde_json::json!([s.repeat(1000), vec![""; 20]]),
                serde_json::json!([",", ["a", "b"]]),
            ),
        ] {
            let shorten = |v: &serde_json::Value| ztgym_core::text::shorten(&v.to_string(), 80);
            let (o, u) = (shorten(&over), shorten(&under));
            assert!(refused(name, over).is_some(), "{name} {o}");
            assert_eq!(refused(name, under), None, "{name} {u}");
        }
    }

    fn json<T: serde::Serialize>(v: impl IntoIterator<Item = T>) -> serde_json::Value {
        serde_json::json!(v.into_iter().collect::<Vec<_>>())
    }

    #[test]
    fn a_number_too_large_to_write_out_quickly_is_refused() {
        let n = |bits: u64| -> Option<Value> {
            let (one, shift) = (Value::from(1u64), Value::from(bits));
            Some(Value::from(
                one.as_number().ok()?.lsh(shift.as_number().ok()?)?,
            ))
        };
        let (huge, fine): (Value, Value) = (n(70_000).unwrap(), n(60_000).unwrap());
        for (name, args) in [
            ("format_int", vec![huge.clone(), Value::from(10u64)]),
            (
                "sprintf",
                vec![Value::from("%d"), Value::from(vec![huge.clone()])],
            ),
            ("json.marshal", vec![Value::from(vec![huge.clone()])]),
        ] {
            let why = refusal(name, &args).expect("refused");
            assert!(why.contains("a number of 70001 bits"), "{why}");
        }
        assert_eq!(refusal("format_int", &[fine, Value::from(10u64)]), None);
        assert!(answer_refusal(&huge).is_some());
        // Its size is read from its bits, never from its decimal text.
        assert!(refusal("numbers.range", &[Value::from(0u64), huge]).is_some());
    }

    #[test]
    fn a_shared_value_is_measured_only_up_to_the_limit() {
        let mut v = Value::from(vec![Value::from("x".repeat(100))]);
        for _ in 0..64 {
            v = Value::from(vec![v.clone(), v]);
        }
        assert!(written_up_to(&v, 0.0, 0.0, MAX_BYTES).0 > MAX_BYTES);
        assert!(answer_refusal(&v).is_some());
    }
}
