//! What a catalog entry is (a [`Cve`] of one [`ThreatClass`]), the rules every entry obeys, and
//! the validated, ordered [`CveCatalog`], the shipped one included.

use super::error::FeedError;
use super::tags::{is_known_tag, PLATFORM_TAGS};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;
use ztgym_core::json::{index, join, quote, Problem};

/// The seed's threshold: only CVEs with a CVSS base score of at least 7.5 become threats.
pub const MIN_CVSS: f64 = 7.5;

/// Whether `id` has the shape `CVE-YYYY-NNNN…` (four-digit year, at least four digits after).
pub fn is_valid_cve_id(id: &str) -> bool {
    let Some(rest) = id.strip_prefix("CVE-") else {
        return false;
    };
    let Some((year, number)) = rest.split_once('-') else {
        return false;
    };
    year.len() == 4
        && year.bytes().all(|b| b.is_ascii_digit())
        && number.len() >= 4
        && number.bytes().all(|b| b.is_ascii_digit())
}

/// Whether `technique` has the shape of a MITRE ATT&CK technique id (`T1190`, `T1505.003`).
pub fn is_valid_technique(technique: &str) -> bool {
    let Some(rest) = technique.strip_prefix('T') else {
        return false;
    };
    let (main, sub) = match rest.split_once('.') {
        Some((main, sub)) => (main, Some(sub)),
        None => (rest, None),
    };
    let digits = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_digit());
    digits(main, 4) && sub.is_none_or(|s| digits(s, 3))
}

/// The five threat types the curriculum tracks mastery for.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum ThreatClass {
    /// Remote code execution.
    Rce,
    /// Authentication bypass or credential theft.
    AuthBypass,
    /// SQL, command or template injection.
    Injection,
    /// Local privilege escalation or container escape.
    PrivilegeEscalation,
    /// File read, path traversal or memory disclosure (e.g. Citrix Bleed).
    DataExposure,
}

impl ThreatClass {
    /// All classes, in [`ThreatClass::index`] order.
    pub const ALL: [ThreatClass; 5] = [
        ThreatClass::Rce,
        ThreatClass::AuthBypass,
        ThreatClass::Injection,
        ThreatClass::PrivilegeEscalation,
        ThreatClass::DataExposure,
    ];

    /// The snake_case name used in JSON and in feed files.
    pub fn as_str(self) -> &'static str {
        match self {
            ThreatClass::Rce => "rce",
            ThreatClass::AuthBypass => "auth_bypass",
            ThreatClass::Injection => "injection",
            ThreatClass::PrivilegeEscalation => "privilege_escalation",
            ThreatClass::DataExposure => "data_exposure",
        }
    }

    /// A stable index in `0..5`, for per-class arrays such as curriculum mastery.
    pub fn index(self) -> usize {
        match self {
            ThreatClass::Rce => 0,
            ThreatClass::AuthBypass => 1,
            ThreatClass::Injection => 2,
            ThreatClass::PrivilegeEscalation => 3,
            ThreatClass::DataExposure => 4,
        }
    }

    /// Parses the snake_case name; `None` for anything else.
    pub fn from_name(name: &str) -> Option<ThreatClass> {
        ThreatClass::ALL.into_iter().find(|c| c.as_str() == name)
    }
}

impl fmt::Display for ThreatClass {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One real CVE as a threat the simulator can draw.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct Cve {
    /// The CVE id, e.g. `CVE-2021-44228`.
    pub id: String,
    /// The CVSS v3.x (or v4.0 for imported feeds without v3) base score.
    pub cvss: f64,
    /// Who assigned the score: `"nvd"` (NVD's own assessment) or `"cna"` (the CNA's, where NVD
    /// shows only that one).
    pub score_source: String,
    /// The affected product.
    pub product: String,
    /// A common name such as "Log4Shell", if the CVE has one.
    #[serde(default)]
    pub name: Option<String>,
    /// The threat class.
    pub class: ThreatClass,
    /// The MITRE ATT&CK technique the exploitation fits, e.g. `T1190`.
    pub technique: String,
    /// Technology tags from [`TAG_VOCABULARY`](super::TAG_VOCABULARY).
    pub tags: Vec<String>,
    /// 1 to 3 short strings that appear in logs of an exploitation attempt.
    pub indicators: Vec<String>,
}

impl Cve {
    /// Whether this CVE can be exploited on a service with `service_tags`: it must share a
    /// product tag with the service when it has one, else a platform tag.
    pub fn fits<S: AsRef<str>>(&self, service_tags: &[S]) -> bool {
        let on_service = |t: &&String| service_tags.iter().any(|s| s.as_ref() == t.as_str());
        let is_product = |t: &&String| !PLATFORM_TAGS.contains(&t.as_str());
        if self.tags.iter().any(|t| is_product(&t)) {
            self.tags.iter().filter(is_product).any(|t| on_service(&t))
        } else {
            self.tags.iter().any(|t| on_service(&t))
        }
    }
}

/// A validated, ordered set of CVEs (see [`CveCatalog::from_entries`] for the rules).
#[derive(Clone, Debug, PartialEq)]
pub struct CveCatalog {
    entries: Vec<Cve>,
}

impl CveCatalog {
    /// Builds a catalog from entries, checking every rule the simulator relies on: valid and
    /// unique ids, a finite score in `[MIN_CVSS, 10]`, `score_source` `"nvd"` or `"cna"`, a
    /// non-empty product, a well-formed technique, 1+ known and distinct tags, 1 to 3
    /// non-empty indicators, and at least one entry.
    pub fn from_entries(entries: Vec<Cve>) -> Result<Self, FeedError> {
        Self::checked(entries).map_err(|p| FeedError::new("catalog", p))
    }

    /// [`CveCatalog::from_entries`] with the problem at `entries[i].field` of the list.
    pub(super) fn checked(entries: Vec<Cve>) -> Result<Self, Problem> {
        validate_entries(&entries)?;
        Ok(CveCatalog { entries })
    }

    /// All entries, in file order.
    pub fn entries(&self) -> &[Cve] {
        &self.entries
    }

    /// The entry with this id, if any.
    pub fn get(&self, id: &str) -> Option<&Cve> {
        self.entries.iter().find(|c| c.id == id)
    }

    /// The entries that fit a service with `tags` (see [`Cve::fits`]), in catalog order.
    pub fn matching<'a>(&'a self, tags: &'a [&'a str]) -> impl Iterator<Item = &'a Cve> + 'a {
        self.entries.iter().filter(move |c| c.fits(tags))
    }

    /// The entries of one threat class, in catalog order.
    pub fn by_class(&self, class: ThreatClass) -> impl Iterator<Item = &Cve> + '_ {
        self.entries.iter().filter(move |c| c.class == class)
    }

    /// The number of entries.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether the catalog is empty (never true for a catalog built by this module).
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

/// Checks the catalog invariants; locations are `entries[i].field` in the given list.
fn validate_entries(entries: &[Cve]) -> Result<(), Problem> {
    if entries.is_empty() {
        return Err(Problem::new("entries", "the catalog has no entries"));
    }
    let mut seen: BTreeMap<&str, usize> = BTreeMap::new();
    for (i, c) in entries.iter().enumerate() {
        let here = index("entries", i);
        let at = |field: &str| join(&here, field);
        if !is_valid_cve_id(&c.id) {
            return Err(Problem::new(
                at("id"),
                format!("malformed CVE id {}", quote(&c.id)),
            ));
        }
        if let Some(first) = seen.insert(c.id.as_str(), i) {
            return Err(Problem::new(
                at("id"),
                format!(
                    "duplicate CVE id {} (first at {})",
                    quote(&c.id),
                    index("entries", first)
                ),
            ));
        }
        check_score(&at("cvss"), c.cvss)?;
        if c.cvss < MIN_CVSS {
            return Err(Problem::new(
                at("cvss"),
                format!("CVSS {} is below the threshold {MIN_CVSS}", c.cvss),
            ));
        }
        check_score_source(&at("score_source"), &c.score_source)?;
        if c.product.trim().is_empty() {
            return Err(Problem::new(at("product"), "the product is empty"));
        }
        check_technique(&at("technique"), &c.technique)?;
        if c.tags.is_empty() {
            return Err(Problem::new(at("tags"), "no technology tags"));
        }
        for (j, tag) in c.tags.iter().enumerate() {
            if !is_known_tag(tag) {
                return Err(Problem::new(
                    index(&at("tags"), j),
                    format!("unknown technology tag {}", quote(tag)),
                ));
            }
            if c.tags[..j].contains(tag) {
                return Err(Problem::new(
                    index(&at("tags"), j),
                    format!("duplicate tag {}", quote(tag)),
                ));
            }
        }
        check_indicators(&at("indicators"), &c.indicators)?;
    }
    Ok(())
}

/// A base score is a number in `[0, 10]`.
pub(super) fn check_score(location: &str, score: f64) -> Result<(), Problem> {
    if score.is_nan() {
        return Err(Problem::new(
            location,
            "the CVSS base score is not a number (NaN)",
        ));
    }
    if !(0.0..=10.0).contains(&score) {
        // Scientific notation keeps absurd values (1e308) readable.
        let shown = if score.abs() < 1e6 {
            score.to_string()
        } else {
            format!("{score:e}")
        };
        return Err(Problem::new(
            location,
            format!("CVSS base score {shown} is outside [0, 10]"),
        ));
    }
    Ok(())
}

/// A score source is `"nvd"` or `"cna"`.
pub(super) fn check_score_source(location: &str, source: &str) -> Result<(), Problem> {
    if source != "nvd" && source != "cna" {
        return Err(Problem::new(
            location,
            format!("expected \"nvd\" or \"cna\", found {}", quote(source)),
        ));
    }
    Ok(())
}

/// A technique has the shape of an ATT&CK technique id.
pub(super) fn check_technique(location: &str, technique: &str) -> Result<(), Problem> {
    if !is_valid_technique(technique) {
        return Err(Problem::new(
            location,
            format!("malformed ATT&CK technique id {}", quote(technique)),
        ));
    }
    Ok(())
}

/// 1 to 3 indicators, none of them blank.
pub(super) fn check_indicators(location: &str, indicators: &[String]) -> Result<(), Problem> {
    if indicators.is_empty() || indicators.len() > 3 {
        return Err(Problem::new(
            location,
            format!("expected 1 to 3 indicators, found {}", indicators.len()),
        ));
    }
    if let Some(j) = indicators.iter().position(|s| s.trim().is_empty()) {
        return Err(Problem::new(index(location, j), "the indicator is empty"));
    }
    Ok(())
}

#[cfg(test)]
mod tests;
