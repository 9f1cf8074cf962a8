//! A small command-line parser: `--flag value` pairs and bare switches, with clear errors.

use std::collections::BTreeMap;

/// Parsed options of one subcommand.
#[derive(Debug, Default)]
pub struct Args {
    values: BTreeMap<String, String>,
    switches: Vec<String>,
    /// Words that are not options, in order.
    pub positional: Vec<String>,
}

impl Args {
    /// Parses `words` against the options a subcommand takes (`valued`) and its switches.
    pub fn parse(
        command: &str,
        words: &[String],
        valued: &[&str],
        switches: &[&str],
    ) -> Result<Args, String> {
        let mut args = Args::default();
        let mut i = 0;
        while i < words.len() {
            let w = &words[i];
            if let Some(name) = w.strip_prefix("--") {
                let (name, inline) = match name.split_once('=') {
                    Some((n, v)) => (n, Some(v.to_string())),
                    None => (name, None),
                };
                if valued.contains(&name) {
                    let value = match inline {
                        Some(v) => v,
                        None => {
                            i += 1;
                            words
                                .get(i)
                                .cloned()
                                .ok_or_else(|| format!("{command}: --{name} needs a value"))?
                        }
                    };
                    args.values.insert(name.to_string(), value);
                } else if switches.contains(&name) && inline.is_none() {
                    args.switches.push(name.to_string());
                } else {
                    let mut known: Vec<String> = valued
                        .iter()
                        .chain(switches)
                        .map(|o| format!("--{o}"))
                        .collect();
                    known.sort();
                    return Err(format!(
                        "{command}: unknown option --{name} (options: {})",
                        known.join(", ")
                    ));
                }
            } else {
                args.positional.push(w.clone());
            }
            i += 1;
        }
        Ok(args)
    }

    /// A string option.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.values.get(name).map(String::as_str)
    }

    /// A switch.
    pub fn has(&self, name: &str) -> bool {
        self.switches.iter().any(|s| s == name)
    }

    /// A number option with a default.
    pub fn number<T: std::str::FromStr>(
        &self,
        command: &str,
        name: &str,
        default: T,
    ) -> Result<T, String> {
        match self.get(name) {
            None => Ok(default),
            Some(v) => v
                .parse()
                .map_err(|_| format!("{command}: --{name} expects a whole number, found {v:?}")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(s: &str) -> Vec<String> {
        s.split_whitespace().map(String::from).collect()
    }

    #[test]
    fn parses_values_switches_and_positionals() {
        let a = Args::parse(
            "eval",
            &words("--seed 3 --json file.toml --agent=sop"),
            &["seed", "agent"],
            &["json"],
        )
        .unwrap();
        assert_eq!(a.get("seed"), Some("3"));
        assert_eq!(a.get("agent"), Some("sop"));
        assert!(a.has("json"));
        assert_eq!(a.positional, vec!["file.toml"]);
        assert_eq!(a.number::<u64>("eval", "seed", 0).unwrap(), 3);
    }

    #[test]
    fn errors_name_the_option() {
        let e = Args::parse("eval", &words("--sed 3"), &["seed"], &["json"]).unwrap_err();
        assert!(
            e.contains("unknown option --sed") && e.contains("--seed"),
            "{e}"
        );
        let e = Args::parse("eval", &words("--seed"), &["seed"], &[]).unwrap_err();
        assert_eq!(e, "eval: --seed needs a value");
        let a = Args::parse("eval", &words("--seed x"), &["seed"], &[]).unwrap();
        assert!(a
            .number::<u64>("eval", "seed", 0)
            .unwrap_err()
            .contains("\"x\""));
    }
}
