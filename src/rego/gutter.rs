//! The editor's line-number gutter as plain data: one entry per line of the text, marked when
//! the line has the error or was covered by the last evaluation.

/// How a line is marked.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mark {
    Plain,
    /// The line of the policy's error.
    Error,
    /// A line the last evaluation went through.
    Covered,
    /// A line with code the last test run did not reach.
    NotCovered,
}

impl Mark {
    pub fn class(self) -> &'static str {
        match self {
            Mark::Plain => "rego-gutter-line",
            Mark::Error => "rego-gutter-line rego-line-error",
            Mark::Covered => "rego-gutter-line rego-line-covered",
            Mark::NotCovered => "rego-gutter-line rego-line-not-covered",
        }
    }

    /// Its name in `data-mark` (empty for a plain line).
    pub fn name(self) -> &'static str {
        match self {
            Mark::Plain => "",
            Mark::Error => "error",
            Mark::Covered => "covered",
            Mark::NotCovered => "not-covered",
        }
    }
}

/// The number of lines a textarea shows for `text` (an empty text has one).
pub fn line_count(text: &str) -> usize {
    text.split('\n').count()
}

/// Where 1-based `line` and `column` (in characters) fall in `text`, in UTF-16 units (a
/// textarea's selection offsets); past the end, the end.
pub fn utf16_offset(text: &str, line: u32, column: u32) -> u32 {
    let mut offset = 0;
    for (i, l) in text.split('\n').enumerate() {
        if i as u32 + 1 == line {
            let col: usize = l
                .chars()
                .take(column.saturating_sub(1) as usize)
                .map(char::len_utf16)
                .sum();
            return offset + col as u32;
        }
        offset += l.encode_utf16().count() as u32 + 1;
    }
    text.encode_utf16().count() as u32
}

/// Each line's number and mark; the error wins over coverage. Marks past the text's end (an
/// error at the end of input, coverage of an older text) fall on its last line or are left out.
pub fn marks(
    text: &str,
    error_line: Option<u32>,
    covered: &[u32],
    not_covered: &[u32],
) -> Vec<(u32, Mark)> {
    let n = line_count(text) as u32;
    let error_line = error_line.map(|l| l.clamp(1, n));
    (1..=n)
        .map(|line| {
            let mark = if Some(line) == error_line {
                Mark::Error
            } else if covered.binary_search(&line).is_ok() {
                Mark::Covered
            } else if not_covered.binary_search(&line).is_ok() {
                Mark::NotCovered
            } else {
                Mark::Plain
            };
            (line, mark)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_line_is_numbered_and_marked() {
        assert_eq!(line_count(""), 1);
        assert_eq!(line_count("a\nb\n"), 3);
        let m = marks("a\nb\nc\nd", Some(2), &[1, 2], &[4]);
        assert_eq!(
            m,
            [
                (1, Mark::Covered),
                (2, Mark::Error),
                (3, Mark::Plain),
                (4, Mark::NotCovered)
            ]
        );
        assert_eq!(marks("a\nb", Some(9), &[], &[])[1], (2, Mark::Error));
        assert_eq!(marks("a", None, &[5], &[]), [(1, Mark::Plain)]);
    }

    #[test]
    fn places_become_textarea_offsets() {
        let text = "ab\né😀x\nlast";
        assert_eq!(utf16_offset(text, 1, 1), 0);
        assert_eq!(utf16_offset(text, 2, 1), 3);
        assert_eq!(
            utf16_offset(text, 2, 3),
            3 + 1 + 2,
            "the emoji is two UTF-16 units"
        );
        assert_eq!(utf16_offset(text, 3, 2), 3 + 5 + 1);
        assert_eq!(utf16_offset(text, 9, 1), 12);
    }
}
