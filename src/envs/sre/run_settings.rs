//! The shareable run settings in the URL hash: `#v=1&scenario=classic&level=warmup&seed=42&agent=sop&speed=normal`.
//!
//! Versioned like the Cedar and TensorFlow playgrounds, so an old link is recognised. A bad hash
//! never stops the page: each bad field is reported by name and replaced by its default.

use ztgym::{Level, Scenario};

/// The hash format's version.
pub const HASH_VERSION: u32 = 1;

/// Who acts in the episode.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AgentChoice {
    /// A person, through the action buttons.
    Human,
    /// Uniform over well-formed actions.
    Random,
    /// The scripted compliant operator.
    Sop,
    /// The policy loaded or trained in this tab, playing frozen. A link can name it but not
    /// carry it: the page restores the tab's last policy from local storage.
    Policy,
}

impl AgentChoice {
    pub const ALL: [AgentChoice; 4] = [
        AgentChoice::Human,
        AgentChoice::Random,
        AgentChoice::Sop,
        AgentChoice::Policy,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            AgentChoice::Human => "human",
            AgentChoice::Random => "random",
            AgentChoice::Sop => "sop",
            AgentChoice::Policy => "policy",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            AgentChoice::Human => "Human (you)",
            AgentChoice::Random => "Random",
            AgentChoice::Sop => "SOP operator",
            AgentChoice::Policy => "Policy (loaded)",
        }
    }

    pub fn parse(s: &str) -> Option<AgentChoice> {
        AgentChoice::ALL.into_iter().find(|a| a.as_str() == s)
    }
}

/// How fast an agent plays.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Speed {
    /// One step every 800 ms.
    Slow,
    /// One step every 250 ms.
    Normal,
    /// One step per animation frame.
    Fast,
    /// As many steps as fit in a frame's budget, drawn once per frame.
    Max,
}

impl Speed {
    pub const ALL: [Speed; 4] = [Speed::Slow, Speed::Normal, Speed::Fast, Speed::Max];

    pub fn as_str(self) -> &'static str {
        match self {
            Speed::Slow => "slow",
            Speed::Normal => "normal",
            Speed::Fast => "fast",
            Speed::Max => "max",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Speed::Slow => "Slow",
            Speed::Normal => "Normal",
            Speed::Fast => "Fast",
            Speed::Max => "Maximum",
        }
    }

    pub fn parse(s: &str) -> Option<Speed> {
        Speed::ALL.into_iter().find(|a| a.as_str() == s)
    }

    /// Milliseconds between steps, for the timed speeds.
    pub fn interval_ms(self) -> Option<u32> {
        match self {
            Speed::Slow => Some(800),
            Speed::Normal => Some(250),
            Speed::Fast | Speed::Max => None,
        }
    }
}

/// Everything needed to reproduce a run.
#[derive(Clone, Debug, PartialEq)]
pub struct RunSettings {
    pub scenario: String,
    pub level: Level,
    pub seed: u64,
    pub agent: AgentChoice,
    pub speed: Speed,
}

impl Default for RunSettings {
    fn default() -> Self {
        RunSettings {
            scenario: "classic".into(),
            level: Level::Warmup,
            seed: 1,
            agent: AgentChoice::Human,
            speed: Speed::Normal,
        }
    }
}

impl RunSettings {
    /// The hash for these settings, without the leading `#`.
    pub fn to_hash(&self) -> String {
        format!(
            "v={HASH_VERSION}&scenario={}&level={}&seed={}&agent={}&speed={}",
            self.scenario,
            self.level.as_str(),
            self.seed,
            self.agent.as_str(),
            self.speed.as_str()
        )
    }

    /// Reads a hash (with or without `#`). Returns the settings, with defaults for anything
    /// missing or bad, and one message per problem. An empty hash is not a problem.
    pub fn from_hash(hash: &str) -> (RunSettings, Vec<String>) {
        let mut s = RunSettings::default();
        let mut problems = Vec::new();
        let hash = hash.trim_start_matches('#');
        if hash.is_empty() {
            return (s, problems);
        }
        let mut version = None;
        let mut level_given = false;
        for pair in hash.split('&').filter(|p| !p.is_empty()) {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            let value = decode(value);
            match key {
                "v" => version = Some(value),
                "scenario" => {
                    if Scenario::builtin_text(&value).is_some() {
                        s.scenario = value;
                    } else {
                        let known: Vec<&str> = Scenario::builtin_names().collect();
                        problems.push(format!(
                            "scenario {value:?} is not built in (known: {})",
                            known.join(", ")
                        ));
                    }
                }
                "level" => match Level::parse(&value) {
                    Some(l) => {
                        s.level = l;
                        level_given = true;
                    }
                    None => problems.push(format!("level {value:?} is not a level")),
                },
                "seed" => match value.parse() {
                    Ok(seed) => s.seed = seed,
                    Err(_) => problems.push(format!(
                        "seed {value:?} is not a whole number from 0 to 2^64-1"
                    )),
                },
                "agent" => match AgentChoice::parse(&value) {
                    Some(a) => s.agent = a,
                    None => problems.push(format!(
                        "agent {value:?} is not one of human, random, sop, policy"
                    )),
                },
                "speed" => match Speed::parse(&value) {
                    Some(v) => s.speed = v,
                    None => problems.push(format!(
                        "speed {value:?} is not one of slow, normal, fast, max"
                    )),
                },
                // Unknown keys are ignored: a newer page may add fields.
                _ => {}
            }
        }
        match version.as_deref() {
            Some("1") => {}
            Some(v) => problems.insert(
                0,
                format!("link version {v:?} is not supported (this page reads v=1)"),
            ),
            None => problems.insert(0, "the link has no version (v=1)".into()),
        }
        if !level_given {
            if let Ok(sc) = Scenario::builtin(&s.scenario) {
                s.level = sc.file.scenario.default_level;
            }
        }
        (s, problems)
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips() {
        let s = RunSettings {
            scenario: "enterprise".into(),
            level: Level::Expert,
            seed: u64::MAX,
            agent: AgentChoice::Sop,
            speed: Speed::Max,
        };
        let (back, problems) = RunSettings::from_hash(&format!("#{}", s.to_hash()));
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(back, s);
    }

    #[test]
    fn empty_hash_is_the_default_without_complaint() {
        assert_eq!(RunSettings::from_hash(""), (RunSettings::default(), vec![]));
        assert_eq!(
            RunSettings::from_hash("#"),
            (RunSettings::default(), vec![])
        );
    }

    #[test]
    fn bad_fields_are_named_and_defaulted() {
        let (s, problems) = RunSettings::from_hash(
            "#v=1&scenario=mars&seed=-4&agent=genius&speed=ludicrous&level=godlike&extra=1",
        );
        assert_eq!(s, RunSettings::default());
        assert_eq!(problems.len(), 5, "{problems:?}");
        assert!(problems[0].contains("scenario \"mars\""));
        assert!(problems.iter().any(|p| p.contains("seed \"-4\"")));
        assert!(problems.iter().any(|p| p.contains("agent \"genius\"")));
        assert!(problems.iter().any(|p| p.contains("speed \"ludicrous\"")));
        assert!(problems.iter().any(|p| p.contains("level \"godlike\"")));
    }

    #[test]
    fn versions_are_checked() {
        let (_, p) = RunSettings::from_hash("#v=9&seed=3");
        assert!(p[0].contains("version \"9\""));
        let (s, p) = RunSettings::from_hash("#seed=3");
        assert_eq!(s.seed, 3, "fields still apply");
        assert!(p[0].contains("no version"));
    }

    #[test]
    fn a_scenario_without_level_takes_its_default_level() {
        let (s, _) = RunSettings::from_hash("#v=1&scenario=enterprise");
        assert_eq!(s.level, Level::Intermediate);
    }

    #[test]
    fn percent_escapes_decode() {
        assert_eq!(decode("a%20b+c"), "a b c");
        assert_eq!(decode("100%"), "100%");
    }
}
