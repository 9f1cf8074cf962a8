//! Text that came from a file, made safe to show: [`escape_controls`] before a terminal,
//! [`shorten`] before a message.
//!
//! A feed's product name, a scenario's title or a policy's scenario name is data, not output:
//! an escape sequence in it could clear the screen or set the window title, a lone carriage
//! return could overwrite the line it is on, and a bidirectional override could reorder what is
//! shown. Every surface that prints such text passes it through [`escape_controls`].

use std::borrow::Cow;

/// Whether `c` is escaped by [`escape_controls`]: C0 and C1 controls, DEL, and the Unicode
/// bidirectional overrides and isolates.
pub fn is_unsafe(c: char) -> bool {
    c.is_control() || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// `text` with every control character written as a visible escape (`\n`, `\r`, `\t`,
/// `\u{1b}`), so printing it can neither move the cursor nor drive the terminal. Text without
/// any is returned as it is.
pub fn escape_controls(text: &str) -> Cow<'_, str> {
    if !text.chars().any(is_unsafe) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if is_unsafe(c) => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// `text` cut to at most `max` characters (on a character boundary), ending in `…` when cut,
/// with control characters escaped: for values quoted in messages.
pub fn shorten(text: &str, max: usize) -> String {
    let escaped = escape_controls(text);
    let count = escaped.chars().count();
    if count <= max {
        return escaped.into_owned();
    }
    let keep = max.saturating_sub(1);
    let mut out: String = escaped.chars().take(keep).collect();
    out.push('…');
    out.push_str(&format!(" ({count} characters)"));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_terminal_controls_and_bidi() {
        assert!(matches!(
            escape_controls("plain é"),
            Cow::Borrowed("plain é")
        ));
        assert_eq!(
            escape_controls("a\u{1b}]0;pwned\u{7}b\rc\n\u{9b}2J\u{202e}"),
            "a\\u{1b}]0;pwned\\u{7}b\\rc\\n\\u{9b}2J\\u{202e}"
        );
    }

    #[test]
    fn shortens_on_char_boundaries() {
        assert_eq!(shorten("abc", 3), "abc");
        assert_eq!(shorten("ééééé", 3), "éé… (5 characters)");
        assert_eq!(shorten("\u{1b}", 10), "\\u{1b}");
    }
}
