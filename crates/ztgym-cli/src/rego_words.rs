//! What `rego eval` and `rego test` share: their words parsed, and file text made safe to print.

/// The words of a `rego` command: `--name=value` or `--name value` options (some repeatable),
/// switches, and the other words in order (all words after `--`).
#[derive(Debug, Default)]
pub(crate) struct Words {
    pub values: Vec<(String, String)>,
    pub switches: Vec<String>,
    pub positional: Vec<String>,
}

impl Words {
    pub fn parse(
        command: &str,
        words: &[String],
        valued: &[&str],
        repeatable: &[&str],
        switches: &[&str],
    ) -> Result<Words, String> {
        let mut out = Words::default();
        let mut rest = words.iter();
        while let Some(w) = rest.next() {
            if w == "--" {
                out.positional.extend(rest.by_ref().cloned());
                break;
            }
            let Some(option) = w.strip_prefix("--") else {
                out.positional.push(w.clone());
                continue;
            };
            let (name, inline) = match option.split_once('=') {
                Some((n, v)) => (n, Some(v.to_string())),
                None => (option, None),
            };
            if switches.contains(&name) && inline.is_none() {
                if out.has(name) {
                    return Err(format!("{command}: --{name} is given twice; give it once"));
                }
                out.switches.push(name.to_string());
            } else if valued.contains(&name) || repeatable.contains(&name) {
                let value = match inline {
                    Some(v) => v,
                    None => rest
                        .next()
                        .cloned()
                        .ok_or_else(|| format!("{command}: --{name} needs a value"))?,
                };
                if !repeatable.contains(&name) && out.get(name).is_some() {
                    return Err(format!("{command}: --{name} is given twice; give it once"));
                }
                out.values.push((name.to_string(), value));
            } else {
                return Err(format!(
                    "{command}: unknown option --{}",
                    escape(&ztgym::core::text::shorten(name, 80))
                ));
            }
        }
        Ok(out)
    }

    pub fn get(&self, name: &str) -> Option<&str> {
        self.values
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    pub fn all(&self, name: &str) -> Vec<&str> {
        self.values
            .iter()
            .filter(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
            .collect()
    }

    pub fn has(&self, name: &str) -> bool {
        self.switches.iter().any(|s| s == name)
    }

    /// `--json`, or `--format json` (`pretty`, the default, is the human text).
    pub fn json(&self, command: &str) -> Result<bool, String> {
        match self.get("format") {
            None | Some("pretty") => Ok(self.has("json")),
            Some("json") => Ok(true),
            Some(other) => Err(format!(
                "{command}: --format is pretty or json, not {:?}",
                escape(&ztgym::core::text::shorten(other, 40))
            )),
        }
    }
}

/// Control characters of a file's text made visible before they reach a terminal.
pub(crate) fn escape(s: &str) -> String {
    // Line by line: an engine's message spans lines (the place, a caret, the error) and reads
    // as it is written; every other control character is still escaped.
    s.split('\n')
        .map(|line| crate::output::safe(line))
        .collect::<Vec<_>>()
        .join("\n")
}
