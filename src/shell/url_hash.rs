//! The shareable URL hash: `#v=1&scenario=classic&level=warmup&seed=42&agent=sop&speed=normal&env=sre`.
//!
//! Versioned like the Cedar and TensorFlow playgrounds, so an old link is recognised. The shell
//! reads the version and the environment (`env=`, `sre` when absent, so every link written
//! before there were environments opens the SRE gym); the environment reads its own fields. A
//! bad hash never stops the page: each problem is reported and the default used instead.

use leptos::prelude::*;
use ztgym::registry::INFOS;

/// The environment a link without `env=` opens: the facade's default, the SRE gym,
/// as every link written before there were environments is the SRE gym's.
pub const DEFAULT_ENV: &str = ztgym::registry::DEFAULT_ENV;

/// The hash format's version.
pub const HASH_VERSION: u32 = 1;

/// A link, read: the environment it opens and its other fields.
#[derive(Clone, Debug, PartialEq)]
pub struct Link {
    /// The id of an environment of the facade's table: the one named, or the default.
    pub env: &'static str,
    /// Every field but `v` and `env`, in order, percent-decoded.
    pub fields: Vec<(String, String)>,
    /// What is wrong with the version or the environment, version first.
    pub problems: Vec<String>,
}

impl Link {
    /// Reads a hash (with or without `#`). An empty hash is the default environment, without
    /// complaint.
    pub fn parse(hash: &str) -> Link {
        let mut link = Link {
            env: DEFAULT_ENV,
            fields: Vec::new(),
            problems: Vec::new(),
        };
        let hash = hash.trim_start_matches('#');
        if hash.is_empty() {
            return link;
        }
        let mut version = None;
        for pair in hash.split('&').filter(|p| !p.is_empty()) {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            let value = decode(value);
            match key {
                "v" => version = Some(value),
                "env" => match INFOS.iter().find(|e| e.id == value) {
                    Some(env) => link.env = env.id,
                    None => link.problems.push(format!(
                        "env {value:?} is not one of {}",
                        INFOS.iter().map(|e| e.id).collect::<Vec<_>>().join(", ")
                    )),
                },
                _ => link.fields.push((key.to_string(), value)),
            }
        }
        match version.as_deref() {
            Some("1") => {}
            Some(v) => link.problems.insert(
                0,
                format!("link version {v:?} is not supported (this page reads v=1)"),
            ),
            None => link
                .problems
                .insert(0, "the link has no version (v=1)".into()),
        }
        link
    }
}

/// The hash for an environment's fields, without the leading `#`. `env` comes last, so the
/// fields keep the places they had in links written before it existed.
pub fn write(env: &str, fields: &[(&str, String)]) -> String {
    let mut hash = format!("v={HASH_VERSION}");
    for (key, value) in fields {
        hash.push_str(&format!("&{key}={value}"));
    }
    hash.push_str(&format!("&env={env}"));
    hash
}

/// Percent-decoding of the few characters a hash value may carry.
fn decode(value: &str) -> String {
    let bytes = value.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let Ok(b) = u8::from_str_radix(&value[i + 1..i + 3], 16) {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(if bytes[i] == b'+' { b' ' } else { bytes[i] });
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The page's hash in the address bar: written as the run changes (without adding history
/// entries), and told apart from a hash the person typed or pasted. A cheap handle.
#[derive(Clone, Copy)]
pub struct UrlHash {
    last: StoredValue<String>,
}

impl UrlHash {
    /// The hash the page was opened with.
    pub fn current() -> UrlHash {
        let hash = window().location().hash().unwrap_or_default();
        UrlHash {
            last: StoredValue::new(hash.trim_start_matches('#').to_string()),
        }
    }

    /// The hash as the page last saw it, without `#`.
    pub fn last(&self) -> String {
        self.last.get_value()
    }

    /// Puts `hash` in the address bar, replacing the history entry.
    pub fn write(&self, hash: String) {
        if self.last.get_value() == hash {
            return;
        }
        self.last.set_value(hash.clone());
        if let Ok(history) = window().history() {
            let _ = history.replace_state_with_url(
                &wasm_bindgen::JsValue::NULL,
                "",
                Some(&format!("#{hash}")),
            );
        }
    }

    /// After a `hashchange`: the new hash, if it is not the one the page wrote itself.
    pub fn changed(&self) -> Option<String> {
        let hash = window().location().hash().unwrap_or_default();
        let hash = hash.trim_start_matches('#');
        if hash == self.last.get_value() {
            return None;
        }
        self.last.set_value(hash.to_string());
        Some(hash.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percent_escapes_decode() {
        assert_eq!(decode("a%20b+c"), "a b c");
        assert_eq!(decode("100%"), "100%");
    }

    #[test]
    fn env_is_read_and_the_rest_kept_in_order() {
        let link = Link::parse("#v=1&scenario=classic&env=sre&seed=4");
        assert_eq!(link.env, "sre");
        assert!(link.problems.is_empty(), "{:?}", link.problems);
        assert_eq!(
            link.fields,
            [
                ("scenario".to_string(), "classic".to_string()),
                ("seed".to_string(), "4".to_string())
            ]
        );
    }

    #[test]
    fn a_link_without_env_opens_the_sre_gym() {
        let link =
            Link::parse("#v=1&scenario=classic&level=warmup&seed=1&agent=human&speed=normal");
        assert_eq!(link.env, "sre");
        assert!(link.problems.is_empty());
        assert_eq!(link.fields.len(), 5);
        assert_eq!(Link::parse("").env, "sre");
    }

    #[test]
    fn unknown_and_unbuilt_environments_are_link_problems() {
        let link = Link::parse("#v=1&env=mars&seed=2");
        assert_eq!(link.env, "sre", "the default instead");
        assert_eq!(link.problems.len(), 1);
        assert!(
            link.problems[0].contains("env \"mars\"") && link.problems[0].contains("sre"),
            "{:?}",
            link.problems
        );
        // Every environment is built now: a made-up one stands for an unbuilt one.
        let link = Link::parse("#v=1&env=venus");
        assert_eq!(link.env, "sre");
        assert!(
            link.problems[0].contains("env \"venus\""),
            "{:?}",
            link.problems
        );
    }

    #[test]
    fn a_triage_link_opens_the_triage_page() {
        let link = Link::parse("#v=1&task=L2&seed=3&agent=random&speed=normal&env=triage");
        assert_eq!(link.env, "triage");
        assert!(link.problems.is_empty(), "{:?}", link.problems);
        assert_eq!(link.fields.len(), 4);
    }

    #[test]
    fn the_version_problem_comes_first() {
        let link = Link::parse("#env=mars");
        assert!(link.problems[0].contains("no version"));
        assert!(link.problems[1].contains("mars"));
    }

    #[test]
    fn env_is_written_last() {
        assert_eq!(
            write(
                "sre",
                &[("scenario", "classic".into()), ("seed", "3".into())]
            ),
            "v=1&scenario=classic&seed=3&env=sre"
        );
    }
}
