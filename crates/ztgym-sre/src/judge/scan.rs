//! Reading a justification fast: the ids it cites (CVEs, alerts, addresses) in one pass, and
//! lowercase text searched for the names and words the rubric looks for.

use crate::siem::Ip;
use std::fmt;

/// One id a justification cites.
#[derive(Debug, PartialEq)]
pub(super) enum Cited<'a> {
    /// `cve-2021-44228`, lowercase.
    Cve(&'a str),
    Alert(u32),
    Ip(Ip),
}

/// Finds the ids lowercase text cites, in order, in one pass. Words are runs of ASCII letters,
/// digits, `-` and `.`; only words starting with `cve-`, `alr-` or a digit are looked at. Each
/// id has digits, so only the words around digits are read: the scan jumps from digit to
/// digit, eight bytes at a time.
pub(super) fn scan_citations<'a>(text: &'a str, mut found: impl FnMut(Cited<'a>)) {
    let bytes = text.as_bytes();
    let in_word = |b: u8| IN_WORD[usize::from(b)];
    // Everything before `i` is read; `i` is 0 or just past a word.
    let mut i = 0;
    while let Some(digit) = next_digit(bytes, i) {
        let mut start = digit;
        while start > i && in_word(bytes[start - 1]) {
            start -= 1;
        }
        let mut end = digit + 1;
        while end < bytes.len() && in_word(bytes[end]) {
            end += 1;
        }
        i = end;
        // Only words starting with a digit, `cve-` or `alr-` are looked at; their first byte
        // is no `.` or `-`, so trimming those touches only the end.
        let first = bytes[start];
        if !(first.is_ascii_digit() || first == b'c' || first == b'a') {
            continue;
        }
        while end > start && matches!(bytes[end - 1], b'.' | b'-') {
            end -= 1;
        }
        // Word boundaries are ASCII, so slicing here is always on a char boundary.
        let word = &bytes[start..end];
        if first.is_ascii_digit() {
            if let Some(ip) = parse_ipv4(word) {
                found(Cited::Ip(ip));
            }
        } else if let Some(rest) = word.strip_prefix(b"cve-") {
            if is_cve_number(rest) {
                found(Cited::Cve(&text[start..end]));
            }
        } else if let Some(digits) = word.strip_prefix(b"alr-") {
            if let Some(id) = parse_number(digits) {
                found(Cited::Alert(id));
            }
        }
    }
}

/// `2021-44228`: a four-digit year, a dash and at least four digits.
fn is_cve_number(rest: &[u8]) -> bool {
    let digits = |s: &[u8]| s.iter().all(u8::is_ascii_digit);
    match rest.iter().position(|&b| b == b'-') {
        Some(dash) => {
            let (year, num) = (&rest[..dash], &rest[dash + 1..]);
            year.len() == 4 && num.len() >= 4 && digits(year) && digits(num)
        }
        None => false,
    }
}

/// Decimal digits (at least one) as a `u32`, as `str::parse` reads them.
fn parse_number(digits: &[u8]) -> Option<u32> {
    if digits.is_empty() {
        return None;
    }
    digits.iter().try_fold(0u32, |v, &d| {
        let d = u32::from(d.checked_sub(b'0').filter(|d| *d < 10)?);
        v.checked_mul(10)?.checked_add(d)
    })
}

/// The position of the first ASCII digit at or after `from`.
fn next_digit(bytes: &[u8], from: usize) -> Option<usize> {
    const ONES: u64 = u64::from_le_bytes([0x01; 8]);
    let mut i = from;
    while let Some(chunk) = bytes.get(i..i + 8) {
        let mut word = [0; 8];
        word.copy_from_slice(chunk);
        // Digits become bytes 0 to 9; flag the bytes below 10 (exact for the lowest one).
        let x = u64::from_le_bytes(word) ^ (0x30 * ONES);
        let below_ten = x.wrapping_sub(10 * ONES) & !x & (0x80 * ONES);
        if below_ten != 0 {
            return Some(i + (below_ten.trailing_zeros() / 8) as usize);
        }
        i += 8;
    }
    let rest = bytes.get(i..)?;
    rest.iter().position(u8::is_ascii_digit).map(|k| i + k)
}

/// The bytes of words: ASCII letters, digits, `-` and `.`.
static IN_WORD: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        table[b] = c.is_ascii_alphanumeric() || c == b'-' || c == b'.';
        b += 1;
    }
    table
};

/// The text with ASCII letters lowercased, in one pass the compiler can vectorize.
pub(super) fn ascii_lowercase(text: &str) -> String {
    let mut bytes = text.as_bytes().to_vec();
    ascii_lowercase_in_place(&mut bytes);
    // Lowercasing ASCII letters leaves UTF-8 valid.
    String::from_utf8(bytes).unwrap_or_default()
}

/// Lowercases ASCII letters, in one pass the compiler can vectorize.
pub(super) fn ascii_lowercase_in_place(bytes: &mut [u8]) {
    for b in bytes {
        *b |= u8::from(b.wrapping_sub(b'A') < 26) << 5;
    }
}

/// A name kept inside the findings when short (roles, service ids), else on the heap.
pub(super) enum ShortText {
    Inline { len: u8, bytes: [u8; 46] },
    Heap(Box<str>),
}

impl ShortText {
    pub(super) fn new(text: &str) -> ShortText {
        let mut bytes = [0; 46];
        match bytes.get_mut(..text.len()) {
            Some(inline) => {
                inline.copy_from_slice(text.as_bytes());
                ShortText::Inline {
                    len: text.len() as u8,
                    bytes,
                }
            }
            None => ShortText::Heap(text.into()),
        }
    }
}

impl std::ops::Deref for ShortText {
    type Target = str;
    fn deref(&self) -> &str {
        match self {
            // Copied whole from a `str`, so always valid.
            ShortText::Inline { len, bytes } => {
                std::str::from_utf8(&bytes[..usize::from(*len)]).unwrap_or_default()
            }
            ShortText::Heap(text) => text,
        }
    }
}

impl fmt::Display for ShortText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self)
    }
}

/// A lowercase justification to search. A short one also keeps a bit per byte value (mod 64)
/// it holds: a needle with a byte whose bit is clear cannot be in it, with no search. (A long
/// one sets nearly every bit, so it is searched directly.)
pub(super) struct Haystack<'a> {
    text: &'a str,
    present: u64,
}

impl<'a> Haystack<'a> {
    pub(super) fn new(text: &'a str) -> Haystack<'a> {
        let present = if text.len() <= 256 {
            text.bytes().fold(0, |bits, b| bits | 1 << (b & 63))
        } else {
            u64::MAX
        };
        Haystack { text, present }
    }

    /// `str::contains`.
    fn contains(&self, needle: &str) -> bool {
        if self.present != u64::MAX && byte_bits(needle) & !self.present != 0 {
            return false;
        }
        self.text.contains(needle)
    }

    /// `str::contains`, for a needle whose [`byte_bits`] are known.
    pub(super) fn contains_with(&self, needle: &str, bits: u64) -> bool {
        bits & !self.present == 0 && self.text.contains(needle)
    }
}

/// A bit per byte value (mod 64) of `text`.
const fn byte_bits(text: &str) -> u64 {
    let bytes = text.as_bytes();
    let (mut bits, mut i) = (0u64, 0);
    while i < bytes.len() {
        bits |= 1 << (bytes[i] & 63);
        i += 1;
    }
    bits
}

/// What states the blast radius, and what is a rollback plan, with their [`byte_bits`].
pub(super) const RADIUS_WORDS: [(&str, u64); 4] = [
    ("blast radius", byte_bits("blast radius")),
    ("dependents", byte_bits("dependents")),
    ("no downtime", byte_bits("no downtime")),
    ("in place", byte_bits("in place")),
];
pub(super) const ROLLBACK_WORDS: [(&str, u64); 4] = [
    ("rollback", byte_bits("rollback")),
    ("roll back", byte_bits("roll back")),
    ("revert", byte_bits("revert")),
    ("restore", byte_bits("restore")),
];

impl Haystack<'_> {}

/// The ids a justification cites, collected (the judge takes them one by one).
#[cfg(test)]
#[derive(Debug, Default, PartialEq)]
pub(crate) struct Citations {
    /// `cve-2021-44228`, lowercase.
    pub(crate) cves: Vec<String>,
    pub(crate) alerts: Vec<u32>,
    pub(crate) ips: Vec<Ip>,
}

#[cfg(test)]
impl Citations {
    pub(crate) fn scan(text: &str) -> Citations {
        let mut out = Citations::default();
        scan_citations(text, |cited| match cited {
            Cited::Cve(id) => out.cves.push(id.to_string()),
            Cited::Alert(id) => out.alerts.push(id),
            Cited::Ip(ip) => out.ips.push(ip),
        });
        out
    }
}

/// Four dot-separated decimal numbers up to 255 (leading zeros allowed), as `u8` parses them.
fn parse_ipv4(word: &[u8]) -> Option<Ip> {
    let mut octets = [0u8; 4];
    let (mut k, mut value, mut digits) = (0, 0u32, 0);
    for &b in word {
        if b == b'.' {
            if digits == 0 || k == 3 {
                return None;
            }
            octets[k] = u8::try_from(value).ok()?;
            (k, value, digits) = (k + 1, 0, 0);
        } else if b.is_ascii_digit() {
            value = (value * 10 + u32::from(b - b'0')).min(256);
            digits += 1;
        } else {
            return None;
        }
    }
    if digits == 0 || k != 3 {
        return None;
    }
    octets[3] = u8::try_from(value).ok()?;
    Some(Ip(u32::from_be_bytes(octets)))
}

/// Whether lowercase `haystack` contains `needle`, ignoring ASCII case. Most needles (ids,
/// addresses, commands) are lowercase already and need no copy.
pub(super) fn contains_ignore_case(haystack: &Haystack<'_>, needle: &str) -> bool {
    if needle.is_empty() {
        false
    } else if needle.bytes().any(|b| b.is_ascii_uppercase()) {
        // Short needles are lowercased on the stack.
        let mut buf = [0u8; 64];
        match buf.get_mut(..needle.len()) {
            Some(lower) => {
                lower.copy_from_slice(needle.as_bytes());
                lower.make_ascii_lowercase();
                std::str::from_utf8(lower).is_ok_and(|lower| haystack.contains(lower))
            }
            None => haystack.contains(&needle.to_ascii_lowercase()),
        }
    } else {
        haystack.contains(needle)
    }
}
