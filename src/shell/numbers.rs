//! Numbers as the page prints them: fixed decimals or the shortest form, never a signed zero
//! ("-0", "-0.00": an empty sum of floats is -0.0, and a tiny negative rounds to it).

/// `x` with `decimals` decimals; a value that prints as zero prints without a sign.
pub fn fixed(x: f64, decimals: usize) -> String {
    unsigned_zero(format!("{x:.decimals$}"))
}

/// `x` with a sign always (`+1.50`, `-0.25`), except a value that prints as zero (`0.00`).
pub fn signed(x: f64, decimals: usize) -> String {
    let text = fixed(x, decimals);
    if is_zero_text(&text) || text.starts_with('-') {
        text
    } else {
        format!("+{text}")
    }
}

/// `x` in its shortest form (`3`, `0.5`), zero without a sign.
pub fn plain(x: f64) -> String {
    unsigned_zero(format!("{x}"))
}

fn is_zero_text(text: &str) -> bool {
    text.trim_start_matches('-')
        .chars()
        .all(|c| c == '0' || c == '.')
}

fn unsigned_zero(text: String) -> String {
    match text.strip_prefix('-') {
        Some(rest) if is_zero_text(rest) => rest.to_string(),
        _ => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zero_never_carries_a_sign() {
        let empty: f64 = std::iter::empty::<f64>().sum();
        assert_eq!(plain(empty), "0");
        assert_eq!(plain(-0.0), "0");
        assert_eq!(fixed(-0.0, 2), "0.00");
        assert_eq!(fixed(-0.001, 2), "0.00");
        assert_eq!(fixed(-0.004, 0), "0");
        assert_eq!(signed(-0.0, 2), "0.00");
        assert_eq!(signed(-0.001, 1), "0.0");
    }

    #[test]
    fn other_numbers_keep_their_sign() {
        assert_eq!(fixed(-1.234, 2), "-1.23");
        assert_eq!(fixed(2.5, 1), "2.5");
        assert_eq!(plain(-3.0), "-3");
        assert_eq!(plain(0.25), "0.25");
        assert_eq!(signed(1.5, 2), "+1.50");
        assert_eq!(signed(-0.25, 2), "-0.25");
        assert_eq!(fixed(f64::NAN, 1), "NaN");
    }
}
