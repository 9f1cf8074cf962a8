//! The one JSON-path checker file readers report with. Every problem names its JSON path
//! (`parameters.q[3][1]`). Two ways to read:
//!
//! * [`Checker`] collects every problem before a file is refused, so a person fixes them all at
//!   once (policy files);
//! * the fail-fast getters ([`require`], [`expect_object`], [`expect_array`], [`expect_str`],
//!   [`expect_number`]) return the first problem as an `Err`, for readers that stop there
//!   (CVE feeds).
//!
//! Paths are built with [`join`] (`base.name`) and [`index`] (`base[3]`); found values are
//! named by [`describe`] (a string as `a string`) or [`show`] (a string's text, quoted).

use serde_json::{Map, Value};

/// What a bare `NaN` / `Infinity` token (which JSON does not allow, but some tools write) is
/// turned into by [`mark_non_finite`] before parsing, so the problem can be reported at its path.
pub const NON_FINITE: &str = "\u{0}non-finite:";

/// One problem in a file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    /// The JSON path, e.g. `parameters.q[3][1]`; empty for the file as a whole.
    pub path: String,
    /// What is wrong.
    pub message: String,
}

impl Problem {
    /// A problem at `path`.
    pub fn new(path: impl Into<String>, message: impl Into<String>) -> Problem {
        Problem {
            path: path.into(),
            message: message.into(),
        }
    }
}

/// Replaces bare `NaN`, `Infinity` and `-Infinity` outside strings by marker strings.
pub fn mark_non_finite(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut in_string = false;
    let mut escaped = false;
    let mut rest = text;
    while let Some(ch) = rest.chars().next() {
        if in_string {
            if escaped {
                escaped = false;
            } else if ch == '\\' {
                escaped = true;
            } else if ch == '"' {
                in_string = false;
            }
        } else if ch == '"' {
            in_string = true;
        } else if let Some(token) = ["NaN", "-Infinity", "Infinity"]
            .into_iter()
            .find(|t| rest.starts_with(t))
        {
            // Escaped in the JSON text; the parsed string starts with NON_FINITE.
            out.push_str("\"\\u0000non-finite:");
            out.push_str(token);
            out.push('"');
            rest = &rest[token.len()..];
            continue;
        }
        out.push(ch);
        rest = &rest[ch.len_utf8()..];
    }
    out
}

/// `base.name`, or `name` at the top.
pub fn join(base: &str, name: &str) -> String {
    if base.is_empty() {
        name.to_string()
    } else {
        format!("{base}.{name}")
    }
}

/// `base[i]`.
pub fn index(base: &str, i: usize) -> String {
    format!("{base}[{i}]")
}

/// What a value is, for messages: `null`, `true`, `the number 3`, `a string`, `an array`...
/// A string marked by [`mark_non_finite`] is named by its token (`NaN`).
pub fn describe(v: &Value) -> String {
    name_value(v, |s| match s.strip_prefix(NON_FINITE) {
        Some(token) => token.to_string(),
        None => "a string".into(),
    })
}

/// Like [`describe`], but a string shows its text, [`quote`]d: `"high"`.
pub fn show(v: &Value) -> String {
    name_value(v, quote)
}

fn name_value(v: &Value, string: impl FnOnce(&str) -> String) -> String {
    match v {
        Value::Null => "null".into(),
        Value::Bool(b) => format!("{b}"),
        Value::Number(n) => format!("the number {n}"),
        Value::String(s) => string(s),
        Value::Array(_) => "an array".into(),
        Value::Object(_) => "an object".into(),
    }
}

/// How many characters of a text [`quote`] shows.
pub const QUOTE_MAX: usize = 40;

/// Debug-quotes a text for a message, cut to [`QUOTE_MAX`] characters (then ending in `…`) so
/// a huge field stays readable.
pub fn quote(text: &str) -> String {
    if text.chars().count() <= QUOTE_MAX {
        format!("{text:?}")
    } else {
        let cut: String = text.chars().take(QUOTE_MAX).collect();
        format!("{:?}", format!("{cut}…"))
    }
}

/// A member that is present and not null (a null member reads as absent).
pub fn member<'v>(obj: &'v Map<String, Value>, name: &str) -> Option<&'v Value> {
    obj.get(name).filter(|v| !v.is_null())
}

/// A required member, present and not null; else `missing field "name"` at `base.name`.
pub fn require<'v>(
    obj: &'v Map<String, Value>,
    base: &str,
    name: &str,
) -> Result<&'v Value, Problem> {
    member(obj, name)
        .ok_or_else(|| Problem::new(join(base, name), format!("missing field \"{name}\"")))
}

/// `v` as an object; else `expected an object, found …` at `path`.
pub fn expect_object<'v>(v: &'v Value, path: &str) -> Result<&'v Map<String, Value>, Problem> {
    v.as_object()
        .ok_or_else(|| Problem::new(path, format!("expected an object, found {}", show(v))))
}

/// `v` as an array; else `expected an array, found …` at `path`.
pub fn expect_array<'v>(v: &'v Value, path: &str) -> Result<&'v [Value], Problem> {
    v.as_array()
        .map(Vec::as_slice)
        .ok_or_else(|| Problem::new(path, format!("expected an array, found {}", show(v))))
}

/// `v` as a string; else `expected a string for {what}, found …` at `path`.
pub fn expect_str<'v>(v: &'v Value, path: &str, what: &str) -> Result<&'v str, Problem> {
    v.as_str().ok_or_else(|| {
        Problem::new(
            path,
            format!("expected a string for {what}, found {}", show(v)),
        )
    })
}

/// `v` as a number; else `expected a number for {what}, found …` at `path`. (Parsed JSON
/// holds no NaN or infinity; range checks are the caller's.)
pub fn expect_number(v: &Value, path: &str, what: &str) -> Result<f64, Problem> {
    v.as_f64().ok_or_else(|| {
        Problem::new(
            path,
            format!("expected a number for {what}, found {}", show(v)),
        )
    })
}

/// Collects problems while reading a parsed JSON document.
#[derive(Default)]
pub struct Checker {
    pub problems: Vec<Problem>,
}

impl Checker {
    /// Records a problem at `path`.
    pub fn problem(&mut self, path: &str, message: impl Into<String>) {
        self.problems.push(Problem::new(path, message));
    }

    /// A required member (`missing` when absent).
    pub fn field<'v>(
        &mut self,
        obj: &'v Map<String, Value>,
        base: &str,
        name: &str,
    ) -> Option<&'v Value> {
        let v = obj.get(name);
        if v.is_none() {
            self.problem(&join(base, name), "missing");
        }
        v
    }

    /// A required string member.
    pub fn string<'v>(
        &mut self,
        obj: &'v Map<String, Value>,
        base: &str,
        name: &str,
    ) -> Option<&'v str> {
        let v = self.field(obj, base, name)?;
        if v.as_str().is_none() || describe(v) != "a string" {
            self.problem(
                &join(base, name),
                format!("expected a string, found {}", describe(v)),
            );
            return None;
        }
        v.as_str()
    }

    /// A required object member.
    pub fn object<'v>(
        &mut self,
        obj: &'v Map<String, Value>,
        base: &str,
        name: &str,
    ) -> Option<&'v Map<String, Value>> {
        let v = self.field(obj, base, name)?;
        let o = v.as_object();
        if o.is_none() {
            self.problem(
                &join(base, name),
                format!("expected an object, found {}", describe(v)),
            );
        }
        o
    }

    /// A required whole number >= 0.
    pub fn unsigned(&mut self, obj: &Map<String, Value>, base: &str, name: &str) -> Option<u64> {
        let v = self.field(obj, base, name)?;
        let n = v.as_u64();
        if n.is_none() {
            self.problem(
                &join(base, name),
                format!("expected a whole number >= 0, found {}", describe(v)),
            );
        }
        n
    }

    /// A finite number at `path`.
    pub fn number(&mut self, v: &Value, path: &str) -> Option<f64> {
        match v.as_f64() {
            Some(x) if x.is_finite() => Some(x),
            _ => {
                let what = describe(v);
                let message = match v {
                    Value::Null => "null is not a number (NaN and infinities are written as null by some tools)".to_string(),
                    Value::String(s) if s.starts_with(NON_FINITE) => format!("{what} is not a number"),
                    _ => format!("expected a number, found {what}"),
                };
                self.problem(path, message);
                None
            }
        }
    }

    /// A top-level array of names that must be exactly `expected`.
    pub fn names(&mut self, obj: &Map<String, Value>, name: &str, expected: &[&str], what: &str) {
        let Some(v) = self.field(obj, "", name) else {
            return;
        };
        let found: Option<Vec<&str>> = v
            .as_array()
            .and_then(|a| a.iter().map(Value::as_str).collect());
        if found.as_deref() != Some(expected) {
            self.problem(
                name,
                format!(
                    "must be [{}] ({what}), found {}",
                    expected.join(", "),
                    match found {
                        Some(f) => format!("[{}]", f.join(", ")),
                        None => describe(v),
                    }
                ),
            );
        }
    }

    /// A table member `base.name` of `rows` rows of `cols` finite numbers.
    pub fn table(
        &mut self,
        obj: &Map<String, Value>,
        base: &str,
        name: &str,
        rows: usize,
        cols: usize,
    ) -> Option<Vec<Vec<f64>>> {
        let path = join(base, name);
        let v = self.field(obj, base, name)?;
        let Some(a) = v.as_array() else {
            self.problem(
                &path,
                format!("expected an array of {rows} rows, found {}", describe(v)),
            );
            return None;
        };
        let before = self.problems.len();
        if a.len() != rows {
            self.problem(&path, format!("expected {rows} rows, found {}", a.len()));
        }
        let mut out = Vec::with_capacity(rows);
        for (r, row) in a.iter().enumerate() {
            let row_path = index(&path, r);
            let Some(cells) = row.as_array() else {
                self.problem(
                    &row_path,
                    format!(
                        "expected an array of {cols} numbers, found {}",
                        describe(row)
                    ),
                );
                continue;
            };
            if cells.len() != cols {
                self.problem(
                    &row_path,
                    format!("expected {cols} numbers, found {}", cells.len()),
                );
            }
            let mut values = vec![0.0; cols];
            for (k, cell) in cells.iter().enumerate() {
                if let Some(x) = self.number(cell, &index(&row_path, k)) {
                    if k < cols {
                        values[k] = x;
                    }
                }
            }
            out.push(values);
        }
        (self.problems.len() == before).then_some(out)
    }
}

/// Refuses an object with the same key twice, naming the key's JSON path (`a.b`). `serde_json`
/// keeps the last value silently, so a hand-edited file could mean something else than it
/// shows. Text that is not valid JSON passes: the reader's own parse reports that.
pub fn refuse_duplicate_keys(text: &str) -> Result<(), Problem> {
    use serde::de::DeserializeSeed;
    let found = std::cell::RefCell::new(None);
    let mut de = serde_json::Deserializer::from_str(text);
    match (Walk {
        path: "",
        found: &found,
    })
    .deserialize(&mut de)
    {
        Ok(()) => Ok(()),
        Err(e) => match found.into_inner() {
            Some((path, key)) => Err(Problem::new(
                path,
                format!(
                    "duplicate key {} (line {}, column {}): a key may appear only once in an object",
                    quote(&key),
                    e.line(),
                    e.column()
                ),
            )),
            None => Ok(()),
        },
    }
}

/// Walks a JSON document without building it, remembering the first duplicate key.
struct Walk<'a> {
    path: &'a str,
    found: &'a std::cell::RefCell<Option<(String, String)>>,
}

impl<'de> serde::de::DeserializeSeed<'de> for Walk<'_> {
    type Value = ();
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> serde::de::Visitor<'de> for Walk<'_> {
    type Value = ();

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_bool<E>(self, _: bool) -> Result<(), E> {
        Ok(())
    }
    fn visit_i64<E>(self, _: i64) -> Result<(), E> {
        Ok(())
    }
    fn visit_u64<E>(self, _: u64) -> Result<(), E> {
        Ok(())
    }
    fn visit_f64<E>(self, _: f64) -> Result<(), E> {
        Ok(())
    }
    fn visit_str<E>(self, _: &str) -> Result<(), E> {
        Ok(())
    }
    fn visit_unit<E>(self) -> Result<(), E> {
        Ok(())
    }
    fn visit_seq<S: serde::de::SeqAccess<'de>>(self, mut seq: S) -> Result<(), S::Error> {
        let mut i = 0;
        loop {
            let path = index(self.path, i);
            let walk = Walk {
                path: &path,
                found: self.found,
            };
            if seq.next_element_seed(walk)?.is_none() {
                return Ok(());
            }
            i += 1;
        }
    }
    fn visit_map<M: serde::de::MapAccess<'de>>(self, mut map: M) -> Result<(), M::Error> {
        let mut seen = std::collections::HashSet::new();
        while let Some(key) = map.next_key::<String>()? {
            let path = join(self.path, &key);
            if seen.contains(&key) {
                *self.found.borrow_mut() = Some((path, key));
                return Err(serde::de::Error::custom("duplicate key"));
            }
            map.next_value_seed(Walk {
                path: &path,
                found: self.found,
            })?;
            seen.insert(key);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn non_finite_tokens_are_reported_at_their_path() {
        let text = mark_non_finite(r#"{"a": [1, NaN], "b": "NaN", "c": -Infinity}"#);
        let v: Value = serde_json::from_str(&text).unwrap();
        let obj = v.as_object().unwrap();
        let mut c = Checker::default();
        let a = obj["a"].as_array().unwrap();
        assert_eq!(c.number(&a[1], "a[1]"), None);
        assert_eq!(c.number(&obj["c"], "c"), None);
        assert_eq!(
            c.string(obj, "", "b"),
            Some("NaN"),
            "inside strings untouched"
        );
        assert_eq!(c.problems[0].path, "a[1]");
        assert_eq!(c.problems[0].message, "NaN is not a number");
        assert_eq!(c.problems[1].message, "-Infinity is not a number");
    }

    #[test]
    fn tables_name_the_cell() {
        let v: Value = serde_json::from_str(r#"{"p": {"t": [[1, 2], [3], [4, "x"]]}}"#).unwrap();
        let p = v["p"].as_object().unwrap();
        let mut c = Checker::default();
        assert_eq!(c.table(p, "p", "t", 3, 2), None);
        let paths: Vec<&str> = c.problems.iter().map(|p| p.path.as_str()).collect();
        assert_eq!(paths, ["p.t[1]", "p.t[2][1]"]);
        assert_eq!(c.problems[1].message, "expected a number, found a string");
    }

    #[test]
    fn describe_names_the_kind_and_show_the_text() {
        let v: Value =
            serde_json::from_str(r#"[null, true, 3, 2.5, "high", [], {}, "\u0000non-finite:NaN"]"#)
                .unwrap();
        let a = v.as_array().unwrap();
        let described: Vec<String> = a.iter().map(describe).collect();
        let shown: Vec<String> = a.iter().map(show).collect();
        assert_eq!(
            described,
            [
                "null",
                "true",
                "the number 3",
                "the number 2.5",
                "a string",
                "an array",
                "an object",
                "NaN"
            ]
        );
        assert_eq!(shown[4], "\"high\"");
        assert_eq!(shown[7], "\"\\0non-finite:NaN\"", "no marker handling");
        assert_eq!(shown[..4], described[..4]);
        assert_eq!(shown[5..7], described[5..7]);
    }

    #[test]
    fn quote_cuts_long_texts() {
        assert_eq!(quote("a\"b"), "\"a\\\"b\"");
        let forty = "é".repeat(QUOTE_MAX);
        assert_eq!(quote(&forty), format!("\"{forty}\""));
        let long = "9".repeat(500);
        assert_eq!(quote(&long), format!("\"{}…\"", "9".repeat(QUOTE_MAX)));
    }

    #[test]
    fn paths_join_and_index() {
        assert_eq!(join("", "format"), "format");
        assert_eq!(join("entries[2]", "id"), "entries[2].id");
        assert_eq!(index("entries", 2), "entries[2]");
        assert_eq!(join(&index("a", 0), "b"), "a[0].b");
    }

    #[test]
    fn fail_fast_getters_report_the_first_problem_at_its_path() {
        let v: Value =
            serde_json::from_str(r#"{"a": {"n": null, "s": "x", "k": 7, "l": [1], "f": 7.5}}"#)
                .unwrap();
        let a = expect_object(&v["a"], "a").unwrap();
        assert!(member(a, "n").is_none(), "null reads as absent");
        assert_eq!(member(a, "k"), Some(&Value::from(7)));
        let missing = require(a, "a", "n").unwrap_err();
        assert_eq!(missing, Problem::new("a.n", "missing field \"n\""));
        assert_eq!(require(a, "", "zz").unwrap_err().path, "zz");
        assert_eq!(expect_str(&a["s"], "a.s", "the name"), Ok("x"));
        assert_eq!(
            expect_str(&a["k"], "a.k", "the name").unwrap_err(),
            Problem::new("a.k", "expected a string for the name, found the number 7")
        );
        assert_eq!(expect_array(&a["l"], "a.l").map(<[Value]>::len), Ok(1));
        assert_eq!(
            expect_array(&a["s"], "a.s").unwrap_err().message,
            "expected an array, found \"x\""
        );
        assert_eq!(
            expect_object(&a["l"], "a.l").unwrap_err().message,
            "expected an object, found an array"
        );
        assert_eq!(expect_number(&a["f"], "a.f", "the score"), Ok(7.5));
        assert_eq!(
            expect_number(&a["s"], "a.s", "the score")
                .unwrap_err()
                .message,
            "expected a number for the score, found \"x\""
        );
    }
}
