//! A small, strict command-line parser: `--flag value` pairs and bare switches, with clear
//! errors. Unknown options, words a command does not take, a flag given twice and single-dash
//! words (`-e 5`) are all refused, naming the word.

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
    /// Parses `words` against the options a subcommand takes (`valued`) and its switches; a
    /// word that is not an option is refused.
    pub fn parse(
        command: &str,
        words: &[String],
        valued: &[&str],
        switches: &[&str],
    ) -> Result<Args, String> {
        let args = Args::parse_with_positionals(command, words, valued, switches)?;
        if let Some(word) = args.positional.first() {
            return Err(format!(
                "{command}: unexpected word {:?} ({command} takes only options: {})",
                crate::text::shorten(word, 80),
                options(valued, switches)
            ));
        }
        Ok(args)
    }

    /// As [`Args::parse`], keeping words that are not options in [`Args::positional`] (for a
    /// command that takes them, such as `validate FILE`).
    pub fn parse_with_positionals(
        command: &str,
        words: &[String],
        valued: &[&str],
        switches: &[&str],
    ) -> Result<Args, String> {
        let mut args = Args::default();
        let mut i = 0;
        while i < words.len() {
            let w = &words[i];
            if w == "--" {
                // Everything after `--` is a value without a name, even a word like `--json`.
                args.positional.extend(words[i + 1..].iter().cloned());
                break;
            }
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
                            let v = words
                                .get(i)
                                .cloned()
                                .ok_or_else(|| format!("{command}: --{name} needs a value"))?;
                            if v.starts_with("--") {
                                return Err(format!(
                                    "{command}: --{name} needs a value, found the option {:?} \
                                     (write --{name}=VALUE for a value that starts with --)",
                                    crate::text::shorten(&v, 80)
                                ));
                            }
                            v
                        }
                    };
                    if value.is_empty() {
                        return Err(format!("{command}: --{name} needs a value, found \"\""));
                    }
                    if args.values.contains_key(name) {
                        return Err(format!("{command}: --{name} is given twice; give it once"));
                    }
                    args.values.insert(name.to_string(), value);
                } else if switches.contains(&name) && inline.is_none() {
                    if args.has(name) {
                        return Err(format!("{command}: --{name} is given twice; give it once"));
                    }
                    args.switches.push(name.to_string());
                } else if switches.contains(&name) {
                    return Err(format!(
                        "{command}: --{name} is a switch and takes no value"
                    ));
                } else {
                    return Err(format!(
                        "{command}: unknown option --{} (options: {})",
                        crate::text::shorten(name, 80),
                        options(valued, switches)
                    ));
                }
            } else if w.len() > 1 && w.starts_with('-') {
                let letters = w.trim_start_matches('-');
                let guess: Vec<String> = valued
                    .iter()
                    .chain(switches)
                    .filter(|o| letters.chars().next().is_some_and(|c| o.starts_with(c)))
                    .map(|o| format!("--{o}"))
                    .collect();
                let hint = if guess.is_empty() {
                    String::new()
                } else {
                    format!("; did you mean {}?", guess.join(" or "))
                };
                return Err(format!(
                    "{command}: {:?} is not an option: options start with two dashes{hint} \
                     (options: {})",
                    crate::text::shorten(w, 80),
                    options(valued, switches)
                ));
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
            Some(v) => v.parse().map_err(|_| {
                format!(
                    "{command}: --{name} expects a whole number, found {:?}",
                    crate::text::shorten(v, 80)
                )
            }),
        }
    }

    /// A count option with a default, from 1 to `max`.
    pub fn count(&self, command: &str, name: &str, default: u64, max: u64) -> Result<u64, String> {
        let n: u64 = self.number(command, name, default)?;
        if n == 0 || n > max {
            return Err(format!(
                "{command}: --{name} must be from 1 to {max}, found {n}"
            ));
        }
        Ok(n)
    }
}

fn options(valued: &[&str], switches: &[&str]) -> String {
    let mut known: Vec<String> = valued
        .iter()
        .chain(switches)
        .map(|o| format!("--{o}"))
        .collect();
    known.sort();
    if known.is_empty() {
        "none".into()
    } else {
        known.join(", ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(s: &str) -> Vec<String> {
        s.split_whitespace().map(String::from).collect()
    }

    #[test]
    fn words_after_a_double_dash_are_values_without_a_name() {
        let a = Args::parse_with_positionals(
            "validate",
            &words("--json -- --json -x.toml"),
            &[],
            &["json"],
        )
        .unwrap();
        assert!(a.has("json"));
        assert_eq!(a.positional, ["--json", "-x.toml"]);
    }

    #[test]
    fn parses_values_switches_and_positionals() {
        let a = Args::parse_with_positionals(
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

    #[test]
    fn strays_repeats_and_single_dashes_are_refused() {
        let valued = ["seed", "episodes"];
        let e = Args::parse("eval", &words("--seed 1 garbage"), &valued, &["json"]).unwrap_err();
        assert!(e.contains("unexpected word \"garbage\""), "{e}");
        let e = Args::parse("eval", &words("--seed 1 --seed 2"), &valued, &[]).unwrap_err();
        assert!(e.contains("--seed is given twice"), "{e}");
        let e = Args::parse("eval", &words("--json --json"), &valued, &["json"]).unwrap_err();
        assert!(e.contains("--json is given twice"), "{e}");
        let e = Args::parse("eval", &words("-e 5"), &valued, &[]).unwrap_err();
        assert!(
            e.contains("\"-e\" is not an option") && e.contains("--episodes"),
            "{e}"
        );
        let e = Args::parse("eval", &words("--seed --json"), &valued, &["json"]).unwrap_err();
        assert!(e.contains("found the option \"--json\""), "{e}");
        let e = Args::parse("eval", &words("--json=1"), &valued, &["json"]).unwrap_err();
        assert!(e.contains("takes no value"), "{e}");
        let e = Args::parse("eval", &words("--seed="), &valued, &[]).unwrap_err();
        assert!(e.contains("needs a value"), "{e}");
        let a = Args::parse("eval", &words("--episodes 0"), &valued, &[]).unwrap();
        assert!(a
            .count("eval", "episodes", 1, 10)
            .unwrap_err()
            .contains("from 1 to 10"));
    }

    /// Property: random words never panic the parser; what it accepts holds each option once
    /// and no stray word; what it refuses is named in one short line.
    #[test]
    fn random_words_parse_or_are_refused_clearly() {
        let vocabulary = [
            "--seed",
            "--episodes",
            "--json",
            "--seed=1",
            "--json=1",
            "-e",
            "-",
            "--",
            "---",
            "5",
            "-5",
            "garbage",
            "--bogus",
            "--seed=",
            "\u{1b}[2J",
            "é",
            "--episodes=9",
        ];
        let mut rng = crate::Rng::new(7);
        for _ in 0..2000 {
            let words: Vec<String> = (0..rng.below(6))
                .map(|_| rng.pick(&vocabulary).to_string())
                .collect();
            match Args::parse("eval", &words, &["seed", "episodes"], &["json"]) {
                Ok(a) => {
                    assert!(a.positional.is_empty(), "{words:?}");
                    let given = |name: &str| {
                        words
                            .iter()
                            .filter(|w| {
                                *w == &format!("--{name}") || w.starts_with(&format!("--{name}="))
                            })
                            .count()
                    };
                    assert!(given("seed") <= 1 && given("json") <= 1, "{words:?}");
                }
                Err(e) => {
                    assert!(e.starts_with("eval: ") && !e.contains('\n'), "{e}");
                    assert!(!e.contains('\u{1b}'), "{e}");
                }
            }
        }
    }
}
