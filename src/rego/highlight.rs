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
        // An unclosed string ends at its line.
        assert_eq!(spans("\"open\nnext")[0], (Token::Str, "\"open".to_string()));
    }
}
