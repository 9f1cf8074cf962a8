//! An arena in a share link, beside the environment's own fields:
//! `arena=random,sop,bundled:classic-q,policy:1&arena_seeds=0-19&arena_policies=1eJw...`.
//! Built-in agents and policies bundled with the page ride by name; a policy loaded or trained
//! in the page rides in `arena_policies` (the labels and texts as JSON, deflated and in URL-safe
//! base64 by the Rego panel's packing, [`crate::rego::link`]) under [`MAX_POLICIES_CHARS`], or
//! the link is refused with the reason. The environment's settings leave every `arena*` field
//! to the arena ([`is_arena_field`]).

use super::job::MAX_AGENTS;
use super::seeds::{format_seeds, parse_seeds};
use crate::rego::link::{policy_from_link, policy_to_link};

/// The field naming the agents; its presence makes a link an arena's.
pub const AGENTS_FIELD: &str = "arena";
const SEEDS_FIELD: &str = "arena_seeds";
const POLICIES_FIELD: &str = "arena_policies";

/// The longest packed policies a link carries: a link of about 16 KB still pastes into chat
/// and issue trackers; a bigger policy is shared as its file.
pub const MAX_POLICIES_CHARS: usize = 16 * 1024;

/// Whether a link field is the arena's (the environment's settings skip it).
pub fn is_arena_field(key: &str) -> bool {
    key == AGENTS_FIELD || key.starts_with("arena_")
}

/// An agent as a link names it.
#[derive(Clone, Debug, PartialEq)]
pub enum LinkAgent {
    /// A built-in agent, by name.
    Builtin(String),
    /// A policy bundled with the page, by its link name (`classic-q`).
    Bundled(String),
    /// A policy carried in the link: its label and text.
    Policy { label: String, text: String },
}

/// An arena as a link carries it.
#[derive(Clone, Debug, PartialEq)]
pub struct ArenaLink {
    pub agents: Vec<LinkAgent>,
    pub seeds: Vec<u64>,
}

impl ArenaLink {
    /// The link's arena fields, or why the arena cannot ride in a link.
    pub fn fields(&self) -> Result<Vec<(&'static str, String)>, String> {
        let mut names = Vec::new();
        let mut carried: Vec<(&str, &str)> = Vec::new();
        for a in &self.agents {
            names.push(match a {
                LinkAgent::Builtin(name) => name.clone(),
                LinkAgent::Bundled(name) => format!("bundled:{name}"),
                LinkAgent::Policy { label, text } => {
                    carried.push((label, text));
                    format!("policy:{}", carried.len())
                }
            });
        }
        let mut fields = vec![
            (AGENTS_FIELD, names.join(",")),
            (SEEDS_FIELD, format_seeds(&self.seeds)),
        ];
        if !carried.is_empty() {
            let json = serde_json::to_string(&carried).map_err(|e| e.to_string())?;
            let labels: Vec<&str> = carried.iter().map(|(l, _)| *l).collect();
            let packed =
                policy_to_link(&json)
                    .ok()
                    .filter(|p| p.len() <= MAX_POLICIES_CHARS)
                    .ok_or_else(|| {
                        format!(
                        "the loaded {} ({}) too big for a link: more than {MAX_POLICIES_CHARS} \
                         characters packed. Share the policy file with the link instead, or \
                         leave it out of the arena",
                        if labels.len() == 1 { "policy is" } else { "policies are" },
                        ztgym::core::text::shorten(&labels.join(", "), 120)
                    )
                    })?;
            fields.push((POLICIES_FIELD, packed));
        }
        Ok(fields)
    }

    /// The arena a link's fields carry: `None` without an `arena=` field; otherwise the arena
    /// or what is wrong with it.
    pub fn read(fields: &[(String, String)]) -> Option<Result<ArenaLink, String>> {
        let get = |key: &str| {
            fields
                .iter()
                .find(|(k, _)| k == key)
                .map(|(_, v)| v.as_str())
        };
        let names = get(AGENTS_FIELD)?;
        Some(read_arena(names, get(SEEDS_FIELD), get(POLICIES_FIELD)))
    }
}

fn read_arena(names: &str, seeds: Option<&str>, packed: Option<&str>) -> Result<ArenaLink, String> {
    let seeds = parse_seeds(seeds.unwrap_or("0-19")).map_err(|e| format!("arena link: {e}"))?;
    let mut carried: Option<Vec<(String, String)>> = None;
    let mut agents = Vec::new();
    for name in names.split(',').filter(|n| !n.is_empty()) {
        if agents.len() == MAX_AGENTS {
            return Err(format!("arena link: more than {MAX_AGENTS} agents"));
        }
        agents.push(if let Some(b) = name.strip_prefix("bundled:") {
            LinkAgent::Bundled(b.to_string())
        } else if let Some(i) = name.strip_prefix("policy:") {
            if carried.is_none() {
                carried = Some(unpack(packed)?);
            }
            let list = carried.as_ref().map_or(&[][..], |c| c.as_slice());
            let (label, text) = i
                .parse::<usize>()
                .ok()
                .and_then(|i| i.checked_sub(1))
                .and_then(|i| list.get(i))
                .ok_or_else(|| {
                    format!(
                        "arena link: agent {} names no policy the link carries ({} carried)",
                        shown(name),
                        list.len()
                    )
                })?;
            LinkAgent::Policy {
                label: label.clone(),
                text: text.clone(),
            }
        } else {
            LinkAgent::Builtin(name.to_string())
        });
    }
    Ok(ArenaLink { agents, seeds })
}

fn unpack(packed: Option<&str>) -> Result<Vec<(String, String)>, String> {
    let packed = packed.ok_or("arena link: it names a policy but carries none (arena_policies)")?;
    if packed.len() > MAX_POLICIES_CHARS {
        return Err(format!(
            "arena link: the policies are {} characters, more than the {MAX_POLICIES_CHARS} read",
            packed.len()
        ));
    }
    let json = policy_from_link(packed).map_err(|e| format!("arena link: {e}"))?;
    serde_json::from_str(&json).map_err(|_| {
        "arena link: the policies it carries do not read (was the link changed?)".into()
    })
}

fn shown(text: &str) -> String {
    format!("\"{}\"", ztgym::core::text::shorten(text, 40))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn as_strings(fields: &[(&str, String)]) -> Vec<(String, String)> {
        fields
            .iter()
            .map(|(k, v)| (k.to_string(), v.clone()))
            .collect()
    }

    #[test]
    fn an_arena_round_trips_through_its_link_fields() {
        let policy = crate::envs::sre::bundled_policies::find("classic-q")
            .unwrap()
            .1;
        let arena = ArenaLink {
            agents: vec![
                LinkAgent::Builtin("random".into()),
                LinkAgent::Bundled("classic-q-lagrangian".into()),
                LinkAgent::Policy {
                    label: "mine <b>.json".into(),
                    text: policy.into(),
                },
            ],
            seeds: (0..20).chain([42]).collect(),
        };
        let fields = arena.fields().unwrap();
        assert_eq!(
            fields[0],
            (
                "arena",
                "random,bundled:classic-q-lagrangian,policy:1".into()
            )
        );
        assert_eq!(fields[1], ("arena_seeds", "0-19,42".into()));
        assert!(
            fields[2].1.len() < policy.len() / 2,
            "packed: {}",
            fields[2].1.len()
        );
        assert!(fields.iter().all(|(k, _)| is_arena_field(k)));
        assert!(!is_arena_field("agent") && !is_arena_field("arenas"));
        // Through the page's hash and back.
        let hash = crate::shell::url_hash::write("sre", &fields);
        let link = crate::shell::url_hash::Link::parse(&hash);
        assert_eq!(ArenaLink::read(&link.fields), Some(Ok(arena)));
        assert_eq!(ArenaLink::read(&[]), None);
    }

    #[test]
    fn too_big_and_damaged_links_are_refused_with_the_reason() {
        // A policy that does not compress below the cap.
        let mut x: u64 = 7;
        let noise: String = (0..40_000)
            .map(|_| {
                x = x
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                char::from(b'a' + (x >> 59) as u8)
            })
            .collect();
        let arena = ArenaLink {
            agents: vec![LinkAgent::Policy {
                label: "big.json".into(),
                text: noise,
            }],
            seeds: vec![1],
        };
        let e = arena.fields().unwrap_err();
        assert!(e.contains("big.json") && e.contains("16384"), "{e}");
        let read = |pairs: &[(&str, &str)]| {
            let fields: Vec<(String, String)> = pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect();
            ArenaLink::read(&fields).unwrap()
        };
        assert!(read(&[("arena", "random,policy:1")])
            .unwrap_err()
            .contains("carries none"));
        assert!(read(&[("arena", "policy:1"), ("arena_policies", "1abc")])
            .unwrap_err()
            .starts_with("arena link: "));
        let ok = ArenaLink {
            agents: vec![LinkAgent::Policy {
                label: "a".into(),
                text: "{}".into(),
            }],
            seeds: vec![3],
        };
        let mut fields = as_strings(&ok.fields().unwrap());
        fields[0].1 = "policy:2".into();
        assert!(ArenaLink::read(&fields)
            .unwrap()
            .unwrap_err()
            .contains("1 carried"));
        assert!(read(&[("arena", "a,b"), ("arena_seeds", "0-999")])
            .unwrap_err()
            .contains("at most 200"));
        assert!(read(&[("arena", "a,b,c,d,e,f,g")])
            .unwrap_err()
            .contains("more than 6"));
        let long = "A".repeat(MAX_POLICIES_CHARS + 1);
        assert!(read(&[("arena", "policy:1"), ("arena_policies", &long)])
            .unwrap_err()
            .contains("characters"));
        // No seeds: the first twenty.
        assert_eq!(read(&[("arena", "random,sop")]).unwrap().seeds.len(), 20);
    }
}
