//! Lays out compact JSON for people: objects one member per line, arrays of plain values on
//! one line (so a Q table is one row per line). Works on the text, so member order is kept
//! exactly as serialized, whatever `serde_json` features the build enables.

/// A parsed piece of compact JSON, borrowing its scalars' text.
enum Node<'a> {
    Scalar(&'a str),
    Array(Vec<Node<'a>>),
    Object(Vec<(&'a str, Node<'a>)>),
}

/// Re-indents `compact` (the output of `serde_json::to_string`, no whitespace between
/// tokens). Text that does not parse is returned unchanged.
pub fn layout(compact: &str) -> String {
    let mut pos = 0;
    match node(compact.as_bytes(), compact, &mut pos) {
        Some(n) if pos == compact.len() => {
            let mut out = String::with_capacity(compact.len() * 2);
            write(&n, 0, &mut out);
            out
        }
        _ => compact.to_string(),
    }
}

fn node<'a>(b: &[u8], text: &'a str, pos: &mut usize) -> Option<Node<'a>> {
    match *b.get(*pos)? {
        b'[' => {
            *pos += 1;
            let mut items = Vec::new();
            if b.get(*pos) == Some(&b']') {
                *pos += 1;
                return Some(Node::Array(items));
            }
            loop {
                items.push(node(b, text, pos)?);
                match b.get(*pos)? {
                    b',' => *pos += 1,
                    b']' => {
                        *pos += 1;
                        return Some(Node::Array(items));
                    }
                    _ => return None,
                }
            }
        }
        b'{' => {
            *pos += 1;
            let mut members = Vec::new();
            if b.get(*pos) == Some(&b'}') {
                *pos += 1;
                return Some(Node::Object(members));
            }
            loop {
                let start = *pos;
                string_end(b, pos)?;
                let key = &text[start..*pos];
                if b.get(*pos) != Some(&b':') {
                    return None;
                }
                *pos += 1;
                members.push((key, node(b, text, pos)?));
                match b.get(*pos)? {
                    b',' => *pos += 1,
                    b'}' => {
                        *pos += 1;
                        return Some(Node::Object(members));
                    }
                    _ => return None,
                }
            }
        }
        b'"' => {
            let start = *pos;
            string_end(b, pos)?;
            Some(Node::Scalar(&text[start..*pos]))
        }
        _ => {
            let start = *pos;
            while *pos < b.len() && !matches!(b[*pos], b',' | b']' | b'}') {
                *pos += 1;
            }
            (*pos > start).then(|| Node::Scalar(&text[start..*pos]))
        }
    }
}

/// Moves `pos` past the string starting at it (quotes included).
fn string_end(b: &[u8], pos: &mut usize) -> Option<()> {
    if b.get(*pos) != Some(&b'"') {
        return None;
    }
    *pos += 1;
    while *pos < b.len() {
        match b[*pos] {
            b'\\' => *pos += 2,
            b'"' => {
                *pos += 1;
                return Some(());
            }
            _ => *pos += 1,
        }
    }
    None
}

fn write(n: &Node<'_>, indent: usize, out: &mut String) {
    let pad = |out: &mut String, level: usize| out.extend(std::iter::repeat_n("  ", level));
    match n {
        Node::Scalar(s) => out.push_str(s),
        Node::Array(items) if items.iter().all(|i| matches!(i, Node::Scalar(_))) => {
            out.push('[');
            for (k, i) in items.iter().enumerate() {
                if k > 0 {
                    out.push_str(", ");
                }
                write(i, indent, out);
            }
            out.push(']');
        }
        Node::Array(items) => {
            out.push_str("[\n");
            for (k, i) in items.iter().enumerate() {
                pad(out, indent + 1);
                write(i, indent + 1, out);
                out.push_str(if k + 1 < items.len() { ",\n" } else { "\n" });
            }
            pad(out, indent);
            out.push(']');
        }
        Node::Object(members) if members.is_empty() => out.push_str("{}"),
        Node::Object(members) => {
            out.push_str("{\n");
            for (k, (key, value)) in members.iter().enumerate() {
                pad(out, indent + 1);
                out.push_str(key);
                out.push_str(": ");
                write(value, indent + 1, out);
                out.push_str(if k + 1 < members.len() { ",\n" } else { "\n" });
            }
            pad(out, indent);
            out.push('}');
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_order_and_values_and_puts_rows_on_lines() {
        let compact = r#"{"z":1,"a":[[1.5,-2e-7],[0.0,3]],"s":"x,\"]}","e":{},"l":[]}"#;
        let text = layout(compact);
        assert_eq!(
            text,
            "{\n  \"z\": 1,\n  \"a\": [\n    [1.5, -2e-7],\n    [0.0, 3]\n  ],\n  \"s\": \"x,\\\"]}\",\n  \"e\": {},\n  \"l\": []\n}"
        );
        let a: serde_json::Value = serde_json::from_str(compact).unwrap();
        let b: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(a, b);
        assert_eq!(
            layout("{\"a\":"),
            "{\"a\":",
            "broken text comes back unchanged"
        );
    }
}
