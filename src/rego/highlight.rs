//! Rego text as coloured spans for the editor's backdrop: keywords, strings, comments,
//! numbers and the rest, in order, so the spans' texts joined are the text itself. A simple
//! scanner, not a parser: it only has to colour, never to judge.

/// What a span is, as its CSS class.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Token {
    Plain,
    Keyword,
    Str,
    Comment,
    Number,
}

impl Token {
    pub fn class(self) -> &'static str {
        match self {
            Token::Plain => "rg-plain",
            Token::Keyword => "rg-kw",
            Token::Str => "rg-str",
            Token::Comment => "rg-com",
            Token::Number => "rg-num",
        }
    }
}

const KEYWORDS: [&str; 16] = [
    "package", "import", "default", "if", "contains", "else", "not", "some", "every", "in", "with",
    "as", "true", "false", "null", "future",
];

/// The text cut into spans.
pub fn spans(text: &str) -> Vec<(Token, String)> {
    let mut out: Vec<(Token, String)> = Vec::new();
    let push = |out: &mut Vec<(Token, String)>, t: Token, s: &str| match out.last_mut() {
        Some((last, text)) if *last == t => text.push_str(s),
        _ => out.push((t, s.to_string())),
    };
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        let len = match c {
            '#' => rest.find('\n').unwrap_or(rest.len()),
            '"' => string_end(rest, '"'),
            '`' => string_end(rest, '`'),
            c if c.is_ascii_digit() => rest
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '.'))
                .unwrap_or(rest.len()),
            c if c.is_alphabetic() || c == '_' => rest
                .find(|c: char| !(c.is_alphanumeric() || c == '_'))
                .unwrap_or(rest.len()),
            c => c.len_utf8(),
        };
        let (word, tail) = rest.split_at(len);
        let token = match c {
            '#' => Token::Comment,
            '"' | '`' => Token::Str,
            c if c.is_ascii_digit() => Token::Number,
            _ if KEYWORDS.contains(&word) => Token::Keyword,
            _ => Token::Plain,
        };
        push(&mut out, token, word);
        rest = tail;
    }
    out
}

/// The bracket at or just before `caret` (a byte offset) and its match, as byte offsets;
/// brackets inside strings and comments are skipped by the scan of [`spans`].
pub fn matching_bracket(text: &str, caret: usize) -> Option<(usize, usize)> {
    // Byte offsets of the brackets outside strings and comments.
    let mut brackets = Vec::new();
    let mut at = 0;
    for (token, s) in spans(text) {
        if token == Token::Plain {
            brackets.extend(
                s.char_indices()
                    .filter(|(_, c)| "()[]{}".contains(*c))
                    .map(|(i, _)| at + i),
            );
        }
        at += s.len();
    }
    let byte = |i: usize| text.as_bytes()[i];
    let here = [caret, caret.wrapping_sub(1)]
        .into_iter()
        .find(|b| brackets.binary_search(b).is_ok())?;
    let (open, close) = match byte(here) {
        b'(' | b')' => (b'(', b')'),
        b'[' | b']' => (b'[', b']'),
        _ => (b'{', b'}'),
    };
    let position = brackets.binary_search(&here).ok()?;
    let mut depth = 0i32;
    if byte(here) == open {
        for &b in &brackets[position..] {
            depth += i32::from(byte(b) == open) - i32::from(byte(b) == close);
            if depth == 0 {
                return Some((here, b));
            }
        }
    } else {
        for &b in brackets[..=position].iter().rev() {
            depth += i32::from(byte(b) == close) - i32::from(byte(b) == open);
            if depth == 0 {
                return Some((b, here));
            }
        }
    }
    None
}

/// Where a string starting `rest` ends (after its closing quote, or at the line's end).
fn string_end(rest: &str, quote: char) -> usize {
    let mut escaped = false;
    for (i, c) in rest.char_indices().skip(1) {
        match c {
            '\n' if quote == '"' => return i,
            _ if escaped => escaped = false,
            '\\' if quote == '"' => escaped = true,
            c if c == quote => return i + c.len_utf8(),
            _ => {}
        }
    }
    rest.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_join_to_the_text_and_colour_what_they_should() {
        let text = "package p # note\n\nallow if { input.n > 10; \"a\\\"b\" in x }\nx := `raw\nline`\né := 1\n";
        let s = spans(text);
        assert_eq!(s.iter().map(|(_, t)| t.as_str()).collect::<String>(), text);
        let of = |t: Token| -> Vec<&str> {
            s.iter()
                .filter(|(k, _)| *k == t)
                .map(|(_, x)| x.as_str())
                .collect()
        };
        assert_eq!(of(Token::Comment), ["# note"]);
        assert_eq!(of(Token::Str), ["\"a\\\"b\"", "`raw\nline`"]);
        assert_eq!(of(Token::Number), ["10", "1"]);
        assert!(of(Token::Keyword).contains(&"package"));
        assert!(of(Token::Keyword).contains(&"if"));
        // Brackets: from either side, nested, strings and comments skipped.
        let t = "f(x) if { a[b[1]] == \"(\" } # )";
        let at = |c: &str| t.find(c).unwrap();
        assert_eq!(matching_bracket(t, at("{")), Some((at("{"), at("}"))));
        assert_eq!(matching_bracket(t, at("}") + 1), Some((at("{"), at("}"))));
        assert_eq!(
            matching_bracket(t, at("a[") + 1),
            Some((at("a[") + 1, at("]]") + 1))
        );
        assert_eq!(matching_bracket(t, 0), None);
        assert_eq!(matching_bracket("((", 1), None);
        // An unclosed string ends at its line.
        assert_eq!(spans("\"open\nnext")[0], (Token::Str, "\"open".to_string()));
    }
}
