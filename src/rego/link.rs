//! A policy or a bundle in a share link: deflated (miniz_oxide) and written in URL-safe base64
//! without padding, after a one-character format tag (`1`: one policy's text; `2`: a bundle's
//! modules and data as JSON), so `rego=1eJwr...` needs no percent-escapes. Both ways are
//! bounded: a link carries at most [`MAX_LINK_CHARS`] characters and unpacks to at most
//! [`MAX_TEXT_BYTES`] bytes.

use super::bundle::{RegoBundle, MAX_PAGE_MODULES};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;

/// The format tag of one policy's text.
const FORMAT: char = '1';

/// The format tag of a bundle (JSON of [`RegoBundle`]).
const BUNDLE_FORMAT: char = '2';

/// The longest encoded policy a link may carry.
pub const MAX_LINK_CHARS: usize = 64 * 1024;

/// The longest text a link may unpack to (the policy loader's own limit).
pub const MAX_TEXT_BYTES: usize = ztgym::rego::MAX_POLICY_BYTES;

/// The longest module name a link may carry.
const MAX_NAME_CHARS: usize = 100;

/// A link's `rego=` field for an edited policy or bundle, if any; one too long for a link is
/// left out (the page says so where it is applied or shared).
pub fn rego_field(bundle: Option<&RegoBundle>) -> Option<(&'static str, String)> {
    Some(("rego", bundle_to_link(bundle?).ok()?))
}

/// A bundle packed for a link (a plain policy as its text alone), or why it cannot ride in one.
pub fn bundle_to_link(bundle: &RegoBundle) -> Result<String, String> {
    if bundle.is_single() {
        return policy_to_link(bundle.main_text());
    }
    let json = serde_json::to_string(bundle).map_err(|e| e.to_string())?;
    pack(BUNDLE_FORMAT, "bundle", json.as_bytes())
}

/// The bundle a link carries (a plain policy is one module named `single_name`), or what is
/// wrong with it.
pub fn bundle_from_link(value: &str, single_name: &str) -> Result<RegoBundle, String> {
    if !value.starts_with(BUNDLE_FORMAT) {
        return policy_from_link(value).map(|text| RegoBundle::single(single_name, &text));
    }
    let text = unpack(BUNDLE_FORMAT, "bundle", value)?;
    let bundle: RegoBundle = serde_json::from_str(&text)
        .map_err(|e| format!("the bundle in the link is not readable: {e}"))?;
    if bundle.modules.is_empty() || bundle.modules.len() > MAX_PAGE_MODULES {
        return Err(format!(
            "the bundle in the link has {} modules, not 1 to {MAX_PAGE_MODULES}",
            bundle.modules.len()
        ));
    }
    for m in &bundle.modules {
        check_module_name(&m.name)?;
    }
    Ok(bundle)
}

/// A module name the page accepts: 1 to 100 characters, no control characters, no `..`.
pub fn check_module_name(name: &str) -> Result<(), String> {
    let n = name.chars().count();
    if n == 0 || n > MAX_NAME_CHARS {
        return Err(format!(
            "a module name has {n} characters, not 1 to {MAX_NAME_CHARS}"
        ));
    }
    if name.chars().any(char::is_control) || name.split('/').any(|p| p == "..") {
        return Err(format!(
            "the module name {} holds control characters or `..`",
            ztgym::core::json::quote(&ztgym::core::text::shorten(name, 40))
        ));
    }
    Ok(())
}

/// The text packed for a link, or why it cannot ride in one.
pub fn policy_to_link(text: &str) -> Result<String, String> {
    pack(FORMAT, "policy", text.as_bytes())
}

fn pack(format: char, what: &str, bytes: &[u8]) -> Result<String, String> {
    if bytes.len() > MAX_TEXT_BYTES {
        return Err(format!(
            "the {what} is {} bytes, more than the {MAX_TEXT_BYTES} a {what} may have",
            bytes.len()
        ));
    }
    let packed = miniz_oxide::deflate::compress_to_vec(bytes, 9);
    let mut link = String::with_capacity(1 + packed.len() * 4 / 3 + 4);
    link.push(format);
    URL_SAFE_NO_PAD.encode_string(&packed, &mut link);
    if link.len() > MAX_LINK_CHARS {
        return Err(format!(
            "the {what} packs to {} characters, more than the {MAX_LINK_CHARS} a link may \
             carry: save it as a file instead",
            link.len()
        ));
    }
    Ok(link)
}

/// The text a link carries, or what is wrong with it.
pub fn policy_from_link(value: &str) -> Result<String, String> {
    unpack(FORMAT, "policy", value)
}

fn unpack(format: char, what: &str, value: &str) -> Result<String, String> {
    if value.len() > MAX_LINK_CHARS {
        return Err(format!(
            "the {what} in the link is {} characters, more than the {MAX_LINK_CHARS} accepted",
            value.len()
        ));
    }
    let mut chars = value.chars();
    match chars.next() {
        Some(c) if c == format => {}
        Some(other) => {
            return Err(format!(
                "the {what} in the link starts with {other:?}, not a known format ({format:?})"
            ))
        }
        None => return Err(format!("the {what} in the link is empty")),
    }
    let body = chars.as_str();
    if let Some((at, c)) = body
        .char_indices()
        .find(|(_, c)| !(c.is_ascii_alphanumeric() || *c == '-' || *c == '_'))
    {
        return Err(format!(
            "the {what} in the link has {c:?} at character {}: only A-Z, a-z, 0-9, - and _ \
             belong there (was the link cut or changed?)",
            at + 2
        ));
    }
    let packed = URL_SAFE_NO_PAD.decode(body).map_err(|e| {
        format!("the {what} in the link is not valid base64 ({e}): was the link cut?")
    })?;
    let bytes = miniz_oxide::inflate::decompress_to_vec_with_limit(&packed, MAX_TEXT_BYTES)
        .map_err(|e| match e.status {
            miniz_oxide::inflate::TINFLStatus::HasMoreOutput => {
                format!("the {what} in the link unpacks to more than {MAX_TEXT_BYTES} bytes")
            }
            _ => format!("the {what} in the link does not unpack (was the link cut or changed?)"),
        })?;
    String::from_utf8(bytes).map_err(|e| {
        format!(
            "the {what} in the link is not UTF-8 text (byte {})",
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
    fn a_bundle_round_trips_and_a_plain_policy_keeps_the_old_format() {
        let single = RegoBundle::single("policy.rego", SRE_GATE);
        let link = bundle_to_link(&single).unwrap();
        assert_eq!(link, policy_to_link(SRE_GATE).unwrap());
        assert_eq!(bundle_from_link(&link, "policy.rego").unwrap(), single);
        let mut two = single.clone();
        two.modules.push(crate::rego::bundle::RegoModule {
            name: "lib/x.rego".into(),
            text: "package lib.x\n\ny := 1\n".into(),
        });
        two.data = "{\"a\": [1, \"<b>\"]}".into();
        let link = bundle_to_link(&two).unwrap();
        assert!(link.starts_with('2'));
        assert_eq!(bundle_from_link(&link, "ignored").unwrap(), two);
        // A hostile bundle: a name with `..` or control characters, no module.
        let mut bad = two.clone();
        bad.modules[1].name = "../../etc/passwd".into();
        let e = bundle_from_link(&bundle_to_link(&bad).unwrap(), "x").unwrap_err();
        assert!(e.contains("`..`"), "{e}");
        bad.modules.clear();
        let e = bundle_from_link(&bundle_to_link(&bad).unwrap(), "x").unwrap_err();
        assert!(e.contains("0 modules"), "{e}");
        let e = bundle_from_link("2AAAA", "x").unwrap_err();
        assert!(e.contains("bundle in the link"), "{e}");
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
