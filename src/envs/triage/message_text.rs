//! A message body as a person reads it: an HTML body as its text (tags, comments and the
//! contents of `<style>` and `<script>` left out, a few entities decoded), and the style rules
//! and script code that the corpus's tag stripping left in a body (`A:hover {color: #FF0000}`,
//! `document.write(...)`) left out. The result is still only ever shown as a text node; the
//! simulator's message, which agents read, is unchanged.

/// The text to show, and whether code or markup was left out of it (the page says so).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Readable {
    pub text: String,
    pub left_out: bool,
}

/// Words (or tag names) that mark a body as an HTML document rather than a message that merely
/// quotes a tag (the hostile specimen's `<script>` stays visible as text).
const DOCUMENT_TAGS: [&str; 6] = ["<html", "<body", "<head", "<style", "<table", "<!doctype"];

/// How many plain words may sit between two pieces of script code in one stretch of code
/// (its comments, flattened onto one line by the corpus).
const CODE_GAP: usize = 8;

/// `body` as a person reads it.
pub fn readable(body: &str) -> Readable {
    let lower = body.to_ascii_lowercase();
    let html = DOCUMENT_TAGS.iter().any(|t| lower.contains(t));
    let text = if html {
        html_to_text(body)
    } else {
        body.to_string()
    };
    let text = drop_style_rules(&text);
    let text = drop_script_code(&text);
    let text = squeeze_spaces(&text);
    let left_out = html || text != squeeze_spaces(body);
    Readable { text, left_out }
}

/// The text of an HTML document: `<style>`, `<script>` and comments dropped with their
/// contents, other tags dropped, block tags turned into spaces, entities decoded.
pub fn html_to_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let lower = html.to_ascii_lowercase();
    let mut i = 0;
    while i < html.len() {
        let rest = &lower[i..];
        if rest.starts_with("<!--") {
            i += rest.find("-->").map_or(rest.len(), |e| e + 3);
        } else if let Some(name) = ["style", "script"]
            .into_iter()
            .find(|n| rest.starts_with(&format!("<{n}")))
        {
            let close = format!("</{name}");
            i += match rest.find(&close) {
                Some(e) => e + rest[e..].find('>').map_or(rest.len() - e, |g| g + 1),
                None => rest.len(),
            };
        } else if rest.starts_with('<')
            && rest[1..]
                .chars()
                .next()
                .is_some_and(|c| c.is_ascii_alphabetic() || c == '/' || c == '!')
        {
            out.push(' ');
            i += rest.find('>').map_or(rest.len(), |g| g + 1);
        } else if rest.starts_with('&') {
            let (decoded, used) = entity(&html[i..]);
            out.push_str(&decoded);
            i += used;
        } else {
            let c = html[i..].chars().next().unwrap_or(' ');
            out.push(c);
            i += c.len_utf8();
        }
    }
    out
}

/// The character an entity at the start of `s` stands for, and the bytes it takes (`&` alone
/// when it is none).
fn entity(s: &str) -> (String, usize) {
    let Some(end) = s.find(';').filter(|&e| e <= 10) else {
        return ("&".into(), 1);
    };
    let name = &s[1..end];
    let c = match name {
        "amp" => Some('&'),
        "lt" => Some('<'),
        "gt" => Some('>'),
        "quot" => Some('"'),
        "apos" => Some('\''),
        "nbsp" => Some(' '),
        _ => name
            .strip_prefix("#x")
            .or_else(|| name.strip_prefix("#X"))
            .and_then(|h| u32::from_str_radix(h, 16).ok())
            .or_else(|| name.strip_prefix('#').and_then(|d| d.parse().ok()))
            .and_then(char::from_u32),
    };
    match c {
        Some(c) => (c.to_string(), end + 1),
        None => ("&".into(), 1),
    }
}

/// Drops `selector {property: value; ...}` rules (a selector of one word such as `td`,
/// `A:hover`, `.note`, `#top`, `body,td`).
fn drop_style_rules(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}').map(|c| open + c) else {
            // A rule the corpus cut off at the body's end (`.black {color: ...`).
            let before = rest[..open].trim_end();
            let start = before.rfind(char::is_whitespace).map_or(0, |s| s + 1);
            let body = rest[open + 1..].trim_end().trim_end_matches('.');
            if is_selector(&before[start..]) && is_declarations(&format!("{body} x")) {
                out.push_str(&before[..start]);
                out.push_str(" ...");
                rest = "";
            }
            break;
        };
        let body = &rest[open + 1..close];
        let before = rest[..open].trim_end();
        let selector_start = before.rfind(char::is_whitespace).map_or(0, |s| s + 1);
        let selector = &before[selector_start..];
        if is_selector(selector) && is_declarations(body) {
            out.push_str(&before[..selector_start]);
            out.push(' ');
        } else {
            out.push_str(&rest[..=close]);
        }
        rest = &rest[close + 1..];
    }
    out.push_str(rest);
    out
}

fn is_selector(s: &str) -> bool {
    !s.is_empty()
        && s.chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic() || c == '.' || c == '#')
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || ":.#-_,*".contains(c))
}

/// `color: #FF0000` or `font-family: arial; COLOR: red;`.
fn is_declarations(body: &str) -> bool {
    let parts: Vec<&str> = body
        .split(';')
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect();
    !parts.is_empty()
        && parts.iter().all(|p| {
            p.split_once(':').is_some_and(|(name, value)| {
                let name = name.trim();
                !name.is_empty()
                    && name.chars().all(|c| c.is_ascii_alphabetic() || c == '-')
                    && !value.trim().is_empty()
            })
        })
}

/// Words that only script code has.
fn is_script_marker(word: &str) -> bool {
    ["document.", "window.", "navigator.", "event."]
        .iter()
        .any(|m| word.contains(m))
        || ["-->", "//-->", "<!--"].contains(&word)
}

/// Words that look like code (punctuation a sentence does not use).
fn is_code_like(word: &str) -> bool {
    is_script_marker(word)
        || [
            "//", "==", "||", "&&", "=", "+", "\"", "{", "}", "(", ")", ";", "function",
        ]
        .contains(&word)
        || word.contains("();")
        || (word.contains('(') && word.contains(')'))
        || word.ends_with(';')
        || word.starts_with('"') && word.ends_with(',')
}

/// Drops each stretch of script code: from the first code-like word to the last around a word
/// only script has, plain words (comments) within [`CODE_GAP`] of code included.
fn drop_script_code(text: &str) -> String {
    let words: Vec<&str> = text.split_whitespace().collect();
    let code: Vec<bool> = words.iter().map(|w| is_code_like(w)).collect();
    let mut drop = vec![false; words.len()];
    for (k, w) in words.iter().enumerate() {
        if !is_script_marker(w) || drop[k] {
            continue;
        }
        let (mut lo, mut hi) = (k, k);
        // Widen to the code within reach on each side.
        while let Some(j) = (lo.saturating_sub(CODE_GAP)..lo).find(|&j| code[j]) {
            lo = j;
        }
        while let Some(j) = (hi + 1..(hi + 1 + CODE_GAP).min(words.len()))
            .rev()
            .find(|&j| code[j])
        {
            hi = j;
        }
        drop[lo..=hi].iter_mut().for_each(|d| *d = true);
    }
    words
        .iter()
        .zip(&drop)
        .filter(|(_, d)| !**d)
        .map(|(w, _)| *w)
        .collect::<Vec<_>>()
        .join(" ")
}

fn squeeze_spaces(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_plain_body_is_shown_as_it_is() {
        let body = "Hi Ann, this function of the meeting moved to 3pm (room 4). See you; Bob";
        assert_eq!(
            readable(body),
            Readable {
                text: body.into(),
                left_out: false
            }
        );
    }

    #[test]
    fn quoted_markup_in_a_message_stays_visible_as_text() {
        let body = "<script>alert('xss')</script><img src=x onerror=alert(1)> verify now";
        let r = readable(body);
        assert!(
            r.text.contains("<script>alert('xss')</script>"),
            "{}",
            r.text
        );
    }

    #[test]
    fn an_html_body_is_its_text_without_style_or_script() {
        let html = "<html><head><style>A:hover {color: red}</style><script>document.write('x')</script></head>\
                    <body><!-- hidden --><p>Win&nbsp;a <b>prize</b> &amp; more &lt;now&gt; &#33;</p></body></html>";
        let r = readable(html);
        assert_eq!(r.text, "Win a prize & more <now> !");
        assert!(r.left_out);
    }

    #[test]
    fn style_rules_left_in_a_corpus_body_are_dropped() {
        let r = readable("Lender's Network A:hover {color: #FF0000} The Lenders Network!");
        assert_eq!(r.text, "Lender's Network The Lenders Network!");
        assert!(r.left_out);
        let r = readable("Quotes td {font-family: arial} The Lowest Quotes");
        assert_eq!(r.text, "Quotes The Lowest Quotes");
        let r = readable("Live technician! .black {color: ...");
        assert_eq!(r.text, "Live technician! ...");
        // Braces that are not style rules stay.
        let code = "void print_nums() { int i; for(i = 0; i < 10; i++) { printf(\"%d\\n\",i); } }";
        assert_eq!(
            readable(code).text,
            code,
            "C code quoted in a message is its text"
        );
    }

    #[test]
    fn script_code_left_in_a_corpus_body_is_dropped() {
        let body = "Current Information For \" + lmonth + \" \"); document.write(date + \", \" + year + \" \"); \
                    // End // --> The \"Lenders Network\" is a 100% FREE TO BUYER Service. Fill in our form";
        let r = readable(body);
        assert!(!r.text.contains("document"), "{}", r.text);
        assert!(
            r.text
                .contains("The \"Lenders Network\" is a 100% FREE TO BUYER Service."),
            "{}",
            r.text
        );
        assert!(r.left_out);
        let all_code = "if (window.Event) // Only Netscape will have the CAPITAL E. \
                        document.captureEvents(Event.MOUSEUP); // catch the mouse up event function nocontextmenu() \
                        { event.cancelBubble = true; event.returnValue = false; return false; } \
                        document.oncontextmenu = nocontextmenu; Click here to order";
        let r = readable(all_code);
        assert!(
            !r.text.contains("window.") && !r.text.contains("event."),
            "{}",
            r.text
        );
        assert!(r.text.ends_with("Click here to order"), "{}", r.text);
    }

    #[test]
    fn every_corpus_body_reads_without_style_or_script_text() {
        let corpus = include_str!("../../../crates/ztgym-triage/data/spamassassin.jsonl");
        for line in corpus.lines() {
            let v: serde_json::Value = serde_json::from_str(line).unwrap();
            let r = readable(v["body"].as_str().unwrap());
            for bad in [
                "document.",
                "A:hover",
                "{color",
                "{font",
                "window.",
                "navigator.",
            ] {
                assert!(!r.text.contains(bad), "{}: {bad} in {}", v["id"], r.text);
            }
        }
    }
}
