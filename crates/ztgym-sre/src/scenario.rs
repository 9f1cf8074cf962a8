//! Scenarios: the estate an episode runs on, read from TOML and checked before use.
//!
//! A scenario names its services (tier, technology tags, protection, dependencies, share of
//! uptime), may override any constant of [`Rules`], and may weight the threat classes. The
//! built-in ones live in `data/scenarios/`; a new scenario is a file, not code.

use crate::curriculum::Level;
use crate::cve::{is_known_tag, CveCatalog, ThreatClass, TAG_VOCABULARY};
use crate::rules::Rules;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;

// Where the service layout and the page name it.
pub use crate::rules::MAX_SERVICES;

const BUILTIN: [(&str, &str); 3] = [
    ("classic", include_str!("../data/scenarios/classic.toml")),
    (
        "enterprise",
        include_str!("../data/scenarios/enterprise.toml"),
    ),
    (
        "multitenant",
        include_str!("../data/scenarios/multitenant.toml"),
    ),
];

/// The longest scenario name, service id or tier, in characters.
pub const MAX_ID_CHARS: usize = 64;
/// The longest scenario title, in characters.
pub const MAX_TITLE_CHARS: usize = 200;
/// The longest scenario description, in characters.
pub const MAX_DESCRIPTION_CHARS: usize = 4000;

/// A scenario as written in its file.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScenarioFile {
    /// Name, title, description and default level.
    pub scenario: Meta,
    /// Overrides of the reward and cost constants.
    #[serde(default)]
    pub rules: Rules,
    /// Relative weights of the threat classes (all 1 when absent).
    #[serde(default)]
    pub threat_mix: BTreeMap<ThreatClass, f64>,
    /// The services, in display order.
    #[serde(rename = "service")]
    pub services: Vec<Service>,
}

/// What a scenario is called and how it starts.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Meta {
    /// Short id: lowercase letters, digits, `_` and `-`.
    pub name: String,
    /// One line for people.
    pub title: String,
    /// A paragraph for people.
    #[serde(default)]
    pub description: String,
    /// The level used when none is asked for.
    #[serde(default = "default_level")]
    pub default_level: Level,
}

fn default_level() -> Level {
    Level::Warmup
}

/// One service of the estate.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Service {
    /// Id used in actions, alerts and tickets.
    pub id: String,
    /// Free-form tier (edge, identity, app, data...), used for layout and text.
    #[serde(default)]
    pub tier: String,
    /// Technology tags; threats are drawn from CVEs sharing a tag.
    pub tags: Vec<String>,
    /// Protected nodes must never be acted on by privileged actions.
    #[serde(default)]
    pub protected: bool,
    /// Services this one needs: if any is down, this one is offline.
    #[serde(default)]
    pub depends_on: Vec<String>,
    /// Uptime points lost while this service is down.
    #[serde(default = "default_weight")]
    pub uptime_weight: f64,
}

fn default_weight() -> f64 {
    10.0
}

/// A checked scenario with its dependency graph resolved to indices.
#[derive(Clone, Debug)]
pub struct Scenario {
    /// The file as read.
    pub file: ScenarioFile,
    /// Service ids, shared with observations and alerts without copying.
    pub names: Vec<Arc<str>>,
    /// For each service, the indices it depends on.
    pub upstream: Vec<Vec<usize>>,
    /// For each service, the indices that depend on it.
    pub downstream: Vec<Vec<usize>>,
    /// Services in an order where each comes after everything it depends on.
    pub topo_order: Vec<usize>,
    /// For each service, its blast radius (see [`Scenario::blast_radius`]).
    radii: Vec<Vec<usize>>,
}

/// A problem with a scenario file, naming the file, the field and what is wrong.
#[derive(Clone, Debug, PartialEq)]
pub struct ScenarioError {
    /// The file (or built-in name) read.
    pub file: String,
    /// Where in it: a field path such as `service[2].depends_on`, or a line and column.
    pub field: String,
    /// What is wrong.
    pub problem: String,
}

impl fmt::Display for ScenarioError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}: {}", self.file, self.field, self.problem)
    }
}

impl std::error::Error for ScenarioError {}

impl Scenario {
    /// Names of the built-in scenarios.
    pub fn builtin_names() -> impl Iterator<Item = &'static str> {
        BUILTIN.iter().map(|(n, _)| *n)
    }

    /// The TOML text of a built-in scenario.
    pub fn builtin_text(name: &str) -> Option<&'static str> {
        BUILTIN.iter().find(|(n, _)| *n == name).map(|(_, t)| *t)
    }

    /// A built-in scenario by name.
    pub fn builtin(name: &str) -> Result<Scenario, ScenarioError> {
        match Self::builtin_text(name) {
            Some(text) => Self::parse(&format!("{name}.toml"), text),
            None => Err(ScenarioError {
                file: name.into(),
                field: "name".into(),
                problem: format!(
                    "no built-in scenario of that name (known: {})",
                    Self::builtin_names().collect::<Vec<_>>().join(", ")
                ),
            }),
        }
    }

    /// Parses and checks scenario TOML; `file` names it in errors.
    pub fn parse(file: &str, text: &str) -> Result<Scenario, ScenarioError> {
        // A byte order mark is not TOML, but editors write one: accept it.
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let parsed: ScenarioFile = toml::from_str(text).map_err(|e| {
            let field = match e.span() {
                Some(span) => line_col(text, span.start),
                None => "file".into(),
            };
            ScenarioError {
                file: file.into(),
                field,
                problem: e.message().trim().to_string(),
            }
        })?;
        Self::from_file(file, parsed)
    }

    /// Checks a scenario already read into memory.
    pub fn from_file(file: &str, parsed: ScenarioFile) -> Result<Scenario, ScenarioError> {
        let err = |field: String, problem: String| ScenarioError {
            file: file.into(),
            field,
            problem,
        };
        let meta = &parsed.scenario;
        for (field, text, max) in [
            ("scenario.name", meta.name.as_str(), MAX_ID_CHARS),
            ("scenario.title", meta.title.as_str(), MAX_TITLE_CHARS),
            (
                "scenario.description",
                meta.description.as_str(),
                MAX_DESCRIPTION_CHARS,
            ),
        ] {
            let n = text.chars().count();
            if n > max {
                return Err(err(
                    field.into(),
                    format!("must be at most {max} characters, found {n}"),
                ));
            }
        }
        if !is_id(&meta.name) {
            return Err(err(
                "scenario.name".into(),
                format!(
                    "{:?} must be lowercase letters, digits, '_' or '-'",
                    meta.name
                ),
            ));
        }
        let n = parsed.services.len();
        if !(2..=MAX_SERVICES).contains(&n) {
            return Err(err(
                "service".into(),
                format!("needs 2 to {MAX_SERVICES} services, found {n}"),
            ));
        }
        let mut index = BTreeMap::new();
        for (i, s) in parsed.services.iter().enumerate() {
            if !is_id(&s.id) {
                return Err(err(
                    format!("service[{i}].id"),
                    format!("{:?} must be lowercase letters, digits, '_' or '-'", s.id),
                ));
            }
            if index.insert(s.id.as_str(), i).is_some() {
                return Err(err(
                    format!("service[{i}].id"),
                    format!("duplicate service id {:?}", s.id),
                ));
            }
            if s.id.chars().count() > MAX_ID_CHARS || s.tier.chars().count() > MAX_ID_CHARS {
                return Err(err(
                    format!("service[{i}]"),
                    format!("id and tier must be at most {MAX_ID_CHARS} characters"),
                ));
            }
            if s.tags.len() > MAX_SERVICES || s.depends_on.len() > MAX_SERVICES {
                return Err(err(
                    format!("service[{i}]"),
                    format!("at most {MAX_SERVICES} tags and {MAX_SERVICES} dependencies"),
                ));
            }
            if s.tags.is_empty() {
                return Err(err(
                    format!("service[{i}].tags"),
                    "needs at least one technology tag".into(),
                ));
            }
            if !(s.uptime_weight.is_finite() && (0.0..=100.0).contains(&s.uptime_weight)) {
                return Err(err(
                    format!("service[{i}].uptime_weight"),
                    format!("must be a number in [0, 100], found {}", s.uptime_weight),
                ));
            }
        }
        let mut upstream = vec![Vec::new(); n];
        let mut downstream = vec![Vec::new(); n];
        for (i, s) in parsed.services.iter().enumerate() {
            for (t, tag) in s.tags.iter().enumerate() {
                if !is_known_tag(tag) {
                    return Err(err(
                        format!("service[{i}].tags[{t}]"),
                        format!(
                            "unknown technology tag {tag:?} (known: {})",
                            TAG_VOCABULARY.join(", ")
                        ),
                    ));
                }
            }
            for (d, dep) in s.depends_on.iter().enumerate() {
                let field = format!("service[{i}].depends_on[{d}]");
                match index.get(dep.as_str()) {
                    None => return Err(err(field, format!("unknown service {dep:?}"))),
                    Some(&j) if j == i => {
                        return Err(err(field, "a service cannot depend on itself".into()))
                    }
                    Some(&j) => {
                        upstream[i].push(j);
                        downstream[j].push(i);
                    }
                }
            }
        }
        let topo_order = topological_order(&upstream).ok_or_else(|| {
            err(
                "service.depends_on".into(),
                "the dependencies form a cycle".into(),
            )
        })?;
        if parsed.services.iter().all(|s| s.protected) {
            return Err(err(
                "service".into(),
                "at least one service must be unprotected".into(),
            ));
        }
        let catalog = CveCatalog::builtin();
        let targetable = parsed.services.iter().any(|s| {
            !s.protected
                && catalog
                    .matching(&s.tags.iter().map(String::as_str).collect::<Vec<_>>())
                    .next()
                    .is_some()
        });
        if !targetable {
            return Err(err(
                "service".into(),
                "no unprotected service shares a tag with any CVE in the catalog, so no threat can be drawn".into(),
            ));
        }
        if let Some((field, problem)) = parsed.rules.problems().into_iter().next() {
            return Err(err(format!("rules.{field}"), problem));
        }
        for (class, w) in &parsed.threat_mix {
            if !(w.is_finite() && *w >= 0.0) {
                return Err(err(
                    format!("threat_mix.{}", class.as_str()),
                    format!("must be a weight >= 0, found {w}"),
                ));
            }
        }
        if !parsed.threat_mix.is_empty() && parsed.threat_mix.values().all(|w| *w == 0.0) {
            return Err(err(
                "threat_mix".into(),
                "at least one class needs a weight above 0".into(),
            ));
        }
        let names = parsed
            .services
            .iter()
            .map(|s| Arc::from(s.id.as_str()))
            .collect();
        let radii = (0..downstream.len())
            .map(|i| blast_radius(&downstream, i))
            .collect();
        Ok(Scenario {
            file: parsed,
            names,
            upstream,
            downstream,
            topo_order,
            radii,
        })
    }

    /// The scenario's short name.
    pub fn name(&self) -> &str {
        &self.file.scenario.name
    }

    /// The reward and cost constants.
    pub fn rules(&self) -> &Rules {
        &self.file.rules
    }

    /// The services.
    pub fn services(&self) -> &[Service] {
        &self.file.services
    }

    /// Index of a service id.
    pub fn index_of(&self, id: &str) -> Option<usize> {
        self.names.iter().position(|n| &**n == id)
    }

    /// Weight of a threat class in this scenario's mix.
    pub fn class_weight(&self, class: ThreatClass) -> f64 {
        if self.file.threat_mix.is_empty() {
            1.0
        } else {
            self.file.threat_mix.get(&class).copied().unwrap_or(0.0)
        }
    }

    /// Every service that goes offline, directly or not, if `node` goes down (its blast radius).
    pub fn blast_radius(&self, node: usize) -> Vec<usize> {
        self.radius(node).to_vec()
    }

    /// [`Scenario::blast_radius`], computed once when the scenario was read.
    pub fn radius(&self, node: usize) -> &[usize] {
        &self.radii[node]
    }
}

/// Every service downstream of `node`, directly or not, in index order.
fn blast_radius(downstream: &[Vec<usize>], node: usize) -> Vec<usize> {
    let mut seen = vec![false; downstream.len()];
    let mut stack = vec![node];
    let mut out = Vec::new();
    while let Some(n) = stack.pop() {
        for &d in &downstream[n] {
            if !seen[d] {
                seen[d] = true;
                out.push(d);
                stack.push(d);
            }
        }
    }
    out.sort_unstable();
    out
}

fn is_id(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 64
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'-')
}

fn line_col(text: &str, offset: usize) -> String {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    format!("line {line}, column {col}")
}

/// Kahn's algorithm; `None` when the graph has a cycle.
fn topological_order(upstream: &[Vec<usize>]) -> Option<Vec<usize>> {
    let n = upstream.len();
    let mut remaining: Vec<usize> = upstream.iter().map(Vec::len).collect();
    let mut order: Vec<usize> = (0..n).filter(|&i| remaining[i] == 0).collect();
    let mut head = 0;
    while head < order.len() {
        let done = order[head];
        head += 1;
        for (i, ups) in upstream.iter().enumerate() {
            let hits = ups.iter().filter(|&&u| u == done).count();
            if hits > 0 {
                remaining[i] -= hits;
                if remaining[i] == 0 {
                    order.push(i);
                }
            }
        }
    }
    (order.len() == n).then_some(order)
}
