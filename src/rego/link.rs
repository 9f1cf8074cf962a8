//! A policy's text in a share link: deflated (miniz_oxide) and written in URL-safe base64
//! without padding, after a one-character format tag, so `policy=1eJwr...` needs no
//! percent-escapes. Both ways are bounded: a link carries at most [`MAX_LINK_CHARS`]
//! characters and unpacks to at most [`MAX_TEXT_BYTES`] bytes.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;

/// The format tag of the encoding below.
const FORMAT: char = '1';

/// The longest encoded policy a link may carry.
pub const MAX_LINK_CHARS: usize = 64 * 1024;

/// The longest policy text a link may unpack to (the policy loader's own limit).
pub const MAX_TEXT_BYTES: usize = ztgym::rego::MAX_POLICY_BYTES;

/// A link's `rego=` field for an edited policy, if any; a text too long for a link is left
/// out (the page says so where it is applied or shared).
pub fn rego_field(text: Option<&str>) -> Option<(&'static str, String)> {
    Some(("rego", policy_to_link(text?).ok()?))
}

/// The text packed for a link, or why it cannot ride in one.
pub fn policy_to_link(text: &str) -> Result<String, String> {
    if text.len() > MAX_TEXT_BYTES {
        return Err(format!(
            "the policy is {} bytes, more than the {MAX_TEXT_BYTES} a policy may have",
            text.len()
        ));
    }
    let packed = miniz_oxide::deflate::compress_to_vec(text.as_bytes(), 9);
    let mut link = String::with_capacity(1 + packed.len() * 4 / 3 + 4);
    link.push(FORMAT);
    URL_SAFE_NO_PAD.encode_string(&packed, &mut link);
    if link.len() > MAX_LINK_CHARS {
        return Err(format!(
            "the policy packs to {} characters, more than the {MAX_LINK_CHARS} a link may \
             carry: save it as a file instead",
            link.len()
        ));
    }
    Ok(link)
}

/// The text a link carries, or what is wrong with it.
pub fn policy_from_link(value: &str) -> Result<String, String> {
    if value.len() > MAX_LINK_CHARS {
        return Err(format!(
            "the policy in the link is {} characters, more than the {MAX_LINK_CHARS} accepted",
            value.len()
        ));
    }
    let mut chars = value.chars();
    match chars.next() {
        Some(FORMAT) => {}
        Some(other) => {
            return Err(format!(
                "the policy in the link starts with {other:?}, not a known format ({FORMAT:?})"
            ))
        }
        None => return Err("the policy in the link is empty".to_string()),
    }
    let body = chars.as_str();
    if let Some((at, c)) = body
        .char_indices()
        .find(|(_, c)| !(c.is_ascii_alphanumeric() || *c == '-' || *c == '_'))
    {
        return Err(format!(
            "the policy in the link has {c:?} at character {}: only A-Z, a-z, 0-9, - and _ \
             belong there (was the link cut or changed?)",
            at + 2
        ));
    }
    let packed = URL_SAFE_NO_PAD.decode(body).map_err(|e| {
        format!("the policy in the link is not valid base64 ({e}): was the link cut?")
    })?;
    let bytes = miniz_oxide::inflate::decompress_to_vec_with_limit(&packed, MAX_TEXT_BYTES)
        .map_err(|e| match e.status {
            miniz_oxide::inflate::TINFLStatus::HasMoreOutput => {
                format!("the policy in the link unpacks to more than {MAX_TEXT_BYTES} bytes")
            }
            _ => {
                "the policy in the link does not unpack (was the link cut or changed?)".to_string()
            }
        })?;
    String::from_utf8(bytes).map_err(|e| {
        format!(
            "the policy in the link is not UTF-8 text (byte {})",
            e.utf8_error().valid_up_to()
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use ztgym::rego_gate::SRE_GATE;

    #[test]
    fn a_policy_round_trips_compactly_and_url_safe() {
        let link = policy_to_link(SRE_GATE).unwrap();
        assert!(link.starts_with('1'));
        assert!(
            link.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'),
            "{link}"
        );
        // Plain base64 would be 4/3 of the text; percent-escaping more.
        assert!(
            link.len() * 3 < SRE_GATE.len() * 2,
            "{} characters for {} bytes",
            link.len(),
            SRE_GATE.len()
        );
        assert_eq!(policy_from_link(&link).unwrap(), SRE_GATE);
        let odd = "package p\n# é <script>&amp; ${jndi:ldap://x}\n";
        assert_eq!(
            policy_from_link(&policy_to_link(odd).unwrap()).unwrap(),
            odd
        );
        assert_eq!(policy_from_link(&policy_to_link("").unwrap()).unwrap(), "");
    }

    #[test]
    fn a_damaged_link_is_named() {
        let link = policy_to_link(SRE_GATE).unwrap();
        assert!(policy_from_link("").unwrap_err().contains("empty"));
        assert!(policy_from_link("9abc")
            .unwrap_err()
            .contains("not a known format"));
        let err = policy_from_link(&format!("{}%20x", &link[..10])).unwrap_err();
        assert!(err.contains("'%' at character 11"), "{err}");
        let cut = &link[..link.len() / 2];
        assert!(policy_from_link(cut)
            .unwrap_err()
            .contains("does not unpack"));
        let not_deflate = format!("1{}", URL_SAFE_NO_PAD.encode(b"plain text, not deflate"));
        assert!(policy_from_link(&not_deflate).is_err());
    }

    #[test]
    fn sizes_are_capped_both_ways() {
        let huge = "#".repeat(MAX_TEXT_BYTES + 1);
        assert!(policy_to_link(&huge).unwrap_err().contains("bytes"));
        let long = format!("1{}", "A".repeat(MAX_LINK_CHARS));
        assert!(policy_from_link(&long).unwrap_err().contains("characters"));
        // A small link that unpacks past the cap (a bomb) is refused, not unpacked.
        let bomb = miniz_oxide::deflate::compress_to_vec(&vec![b'a'; MAX_TEXT_BYTES + 10], 9);
        let bomb = format!("1{}", URL_SAFE_NO_PAD.encode(bomb));
        assert!(bomb.len() < MAX_LINK_CHARS);
        assert!(policy_from_link(&bomb)
            .unwrap_err()
            .contains("unpacks to more than"));
        // Text that does not compress (random-looking) past the link cap is refused with advice.
        let mut x: u64 = 1;
        let noise: String = (0..MAX_TEXT_BYTES - 10)
            .map(|_| {
                x = x
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                char::from(b'!' + (x >> 58) as u8)
            })
            .collect();
        assert!(policy_to_link(&noise)
            .unwrap_err()
            .contains("save it as a file"));
    }
}
