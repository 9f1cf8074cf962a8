//! The cue reader: what a careful reader can tell from the visible message alone (lookalike
//! senders, links, attachments, pressure), and a reasoning naming what it saw. The built-in
//! agents, the learners' adapter and the corpus reader use it.

use crate::message::{Cue, Cues, Visible};

/// Brands the reader knows, with their real domains.
const KNOWN: &[(&str, &str)] = &[
    ("paypal", "paypal.com"),
    ("chase", "chase.com"),
    ("amazon", "amazon.com"),
    ("microsoft", "microsoft.com"),
    ("office365", "microsoft.com"),
    ("dhl", "dhl.com"),
    ("netflix", "netflix.com"),
    ("apple", "apple.com"),
    ("wellsfargo", "wellsfargo.com"),
    ("wells-farg", "wellsfargo.com"),
];
/// Digit-for-letter spellings of known brands.
const LEET: &[&str] = &[
    "paypa1",
    "amaz0n",
    "micros0ft",
    "netfl1x",
    "app1e",
    "dh1",
    "farg0",
];
const SHORTENERS: &[&str] = &[
    "bit.ly",
    "tinyurl.com",
    "rb.gy",
    "is.gd",
    "t.ly",
    "cutt.ly",
    "t.co",
];
const RISKY_EXT: &[&str] = &[
    ".exe", ".js", ".docm", ".xlsm", ".zip", ".html", ".apk", ".scr", ".dmg",
];

/// The links written in a text (`http://` or `https://` up to the next space).
pub fn links_in(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for w in text.split_whitespace() {
        if let Some(i) = w.find("http://").or_else(|| w.find("https://")) {
            let l = w[i..].trim_end_matches(['.', ',', ')', '>', '"', '\'']);
            if l.len() > 10 && out.len() < 5 {
                out.push(l.chars().take(120).collect());
            }
        }
    }
    out
}

/// The host of a link or web sender, lowercased, without `www.`.
pub fn host(url: &str) -> String {
    let rest = url.split("://").nth(1).unwrap_or(url);
    let h = rest.split(['/', '?', '#', ':']).next().unwrap_or("");
    h.trim_start_matches("www.").to_ascii_lowercase()
}

/// The sender's domain: after `@`, or a web sender's host; empty for phone numbers.
pub fn sender_domain(sender: &str) -> String {
    if let Some(i) = sender.rfind('@') {
        return sender[i + 1..]
            .trim_end_matches(['>', '"', ' '])
            .to_ascii_lowercase();
    }
    if sender.contains("://") {
        return host(sender);
    }
    String::new()
}

/// A known brand's real domain (or a subdomain of it).
pub fn is_known_domain(d: &str) -> bool {
    KNOWN
        .iter()
        .any(|(_, real)| d == *real || d.ends_with(&format!(".{real}")))
}

/// A domain that imitates a known brand without being its real domain.
pub fn is_lookalike(d: &str) -> bool {
    !d.is_empty()
        && !is_known_domain(d)
        && (KNOWN.iter().any(|(b, _)| d.contains(b)) || LEET.iter().any(|l| d.contains(l)))
}

fn any(hay: &str, words: &[&str]) -> bool {
    words.iter().any(|w| hay.contains(w))
}

/// The cues a reader sees in a message.
pub fn read_cues(v: &Visible) -> Cues {
    let mut c = Cues::default();
    let from = sender_domain(&v.sender);
    if is_lookalike(&from) {
        c = c.with(Cue::LookalikeSender);
    }
    for l in &v.links {
        let h = host(l);
        if SHORTENERS.contains(&h.as_str()) {
            c = c.with(Cue::ShortenedLink);
        } else if !is_known_domain(&h) && h != from && !h.ends_with(&format!(".{from}")) {
            c = c.with(Cue::SuspiciousLink);
        }
    }
    if v.attachments.iter().any(|a| {
        RISKY_EXT
            .iter()
            .any(|e| a.to_ascii_lowercase().ends_with(e))
    }) {
        c = c.with(Cue::RiskyAttachment);
    }
    let mut text = v.text.to_ascii_lowercase();
    if let Some(s) = &v.subject {
        text.push(' ');
        text.push_str(&s.to_ascii_lowercase());
    }
    let t = text.as_str();
    if any(
        t,
        &[
            "urgent",
            "immediately",
            "final notice",
            "within 24 hours",
            "right away",
            "today",
            "expires",
            "tonight",
            "before midnight",
            "2 hours",
            "only 3 left",
        ],
    ) {
        c = c.with(Cue::Urgency);
    }
    if any(
        t,
        &[
            "your manager",
            "it department",
            "police",
            "security alert",
            "this is the",
        ],
    ) {
        c = c.with(Cue::Authority);
    }
    if any(
        t,
        &[
            "password",
            "verification code",
            "login",
            "card details",
            "billing information",
            "sign in",
        ],
    ) {
        c = c.with(Cue::CredentialRequest);
    }
    if any(
        t,
        &[
            "gift card",
            "wire transfer",
            "by transfer",
            "send me some money",
            "pay a bill",
            "money",
        ],
    ) {
        c = c.with(Cue::MoneyRequest);
    }
    if any(
        t,
        &[
            "won ",
            "winner",
            "free ",
            "% off",
            "double your",
            "selected for",
            "cheap",
            "guaranteed",
        ],
    ) {
        c = c.with(Cue::Prize);
    }
    c
}

/// A short reasoning naming cues (one phrase per cue), or saying there are none.
pub fn reasoning_for(cues: Cues) -> String {
    if cues.is_empty() {
        return "No red flags in sender, links or content.".into();
    }
    let phrases: Vec<&str> = cues
        .iter()
        .map(|c| match c {
            Cue::LookalikeSender => "lookalike sender domain",
            Cue::ShortenedLink => "shortened link",
            Cue::SuspiciousLink => "suspicious link to an unknown domain",
            Cue::RiskyAttachment => "risky attachment",
            Cue::Urgency => "urgency",
            Cue::Authority => "claims authority",
            Cue::CredentialRequest => "asks for a password or code",
            Cue::MoneyRequest => "asks for money or a gift card",
            Cue::Prize => "prize too good to be true",
        })
        .collect();
    format!("Seen: {}.", phrases.join(", "))
}
