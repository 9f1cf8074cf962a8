//! Threats from real CVEs: the built-in catalog and the import of user-supplied feeds.
//!
//! The seed gym fetched one "live" CVE with CVSS >= 7.5 at reset time; ztgym instead ships a
//! curated catalog (`data/cve-catalog.json`, embedded at build time) of real CVEs whose NVD base
//! score is at least [`MIN_CVSS`]. Each entry carries the affected product, one of five
//! [`ThreatClass`]es, a MITRE ATT&CK technique, technology tags (from [`TAG_VOCABULARY`]) that
//! scenarios match against their services, and short log indicators used to synthesize SIEM
//! alerts.
//!
//! [`import_feed`] reads a user-supplied feed in one of three formats, detected from its content:
//!
//! * an NVD CVE API 2.0 response (`{"vulnerabilities": [{"cve": {...}}]}`);
//! * a ztgym catalog (the format of the shipped file, `"format": "ztgym-cve-catalog"`);
//! * a plain-text list, one CVE per line: `CVE-ID,score,product,tag1;tag2[,class]`, with `#`
//!   comment lines and blank lines allowed.
//!
//! Entries below [`MIN_CVSS`] are dropped and counted; entries without a score or without any
//! known technology tag are dropped with a reason naming them. Anything structurally wrong
//! (bad JSON, wrong types, malformed or duplicate ids, scores outside `[0, 10]`, NaN) is a
//! [`FeedError`] whose location is a JSON path such as `vulnerabilities[3].cve.metrics` or a
//! line such as `line 7`. Array indices in JSON paths start at 0; line numbers start at 1.
//!
//! How imported entries are filled in, since feeds do not carry everything a threat needs:
//!
//! * **Score (NVD):** CVSS v3.1, else v3.0, else v4.0; within a version NVD's own metric
//!   (`source: nvd@nist.gov`), else the `Primary` one, else the first. `score_source` is `"nvd"`
//!   when NVD's metric was used and `"cna"` otherwise. (Current NVD records sometimes mark the
//!   CNA's metric `Primary` and NVD's `Secondary`, so the source, not the type, comes first.)
//! * **Tags and product (NVD):** from the CPE criteria in `configurations` (e.g.
//!   `cpe:2.3:a:apache:log4j` gives `log4j` + `java`), plus `vpn` when the description says
//!   VPN; without configurations, from whole-word keywords in the English description.
//! * **Class (NVD):** from the CWEs (78/89/94/917… injection or, without the word "inject",
//!   rce; 22/200… data exposure; 287/306/288… auth bypass; 269… privilege escalation), else
//!   from description keywords, else `rce`.
//! * **Lists:** the class defaults to `rce`, the score is taken as an NVD score.
//! * **All formats:** unknown tags are ignored when at least one tag is known; the technique
//!   defaults to T1068 for privilege escalation and T1190 otherwise; entries without
//!   indicators get one generic indicator for their class.
//!
//! Everything here is deterministic: entries keep their order from the file, and no function
//! panics on any input.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::collections::BTreeMap;
use std::fmt;
use std::sync::OnceLock;

/// The seed's threshold: only CVEs with a CVSS base score of at least 7.5 become threats.
pub const MIN_CVSS: f64 = 7.5;

/// The `format` value of a ztgym catalog file.
pub const CATALOG_FORMAT: &str = "ztgym-cve-catalog";

/// The catalog file version this build reads and ships.
pub const CATALOG_VERSION: u64 = 1;

/// The closed vocabulary of technology tags. Scenario services and catalog entries use the
/// same words, so a threat fits a service when they share a tag.
pub const TAG_VOCABULARY: [&str; 41] = [
    "linux",
    "windows",
    "openssh",
    "nginx",
    "apache-httpd",
    "java",
    "log4j",
    "spring",
    "tomcat",
    "struts",
    "nodejs",
    "php",
    "python",
    "dotnet",
    "postgres",
    "mysql",
    "redis",
    "elasticsearch",
    "kubernetes",
    "docker",
    "vpn",
    "citrix",
    "fortinet",
    "panos",
    "ivanti",
    "exchange",
    "sharepoint",
    "confluence",
    "jenkins",
    "gitlab",
    "teamcity",
    "vmware",
    "active-directory",
    "ldap",
    "moveit",
    "smb",
    "f5",
    "kafka",
    "rabbitmq",
    "grafana",
    "openssl",
];

/// Whether `tag` belongs to [`TAG_VOCABULARY`].
pub fn is_known_tag(tag: &str) -> bool {
    TAG_VOCABULARY.contains(&tag)
}

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
    /// Technology tags from [`TAG_VOCABULARY`].
    pub tags: Vec<String>,
    /// 1 to 3 short strings that appear in logs of an exploitation attempt.
    pub indicators: Vec<String>,
}

/// A validated, ordered set of CVEs (see [`CveCatalog::from_entries`] for the rules).
/// Platform and runtime tags. A CVE in a named product (MySQL, Log4j, Spring) needs that
/// product on the service; one in the platform itself (pkexec on Linux) fits any service on it.
pub const PLATFORM_TAGS: [&str; 7] = [
    "linux", "windows", "java", "nodejs", "python", "php", "dotnet",
];

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

#[derive(Clone, Debug, PartialEq)]
pub struct CveCatalog {
    entries: Vec<Cve>,
}

static BUILTIN: OnceLock<CveCatalog> = OnceLock::new();
const BUILTIN_TEXT: &str = include_str!("../../data/cve-catalog.json");

impl CveCatalog {
    /// The catalog shipped with ztgym, parsed once and cached.
    pub fn builtin() -> &'static CveCatalog {
        BUILTIN.get_or_init(|| match import_feed("built-in catalog", BUILTIN_TEXT) {
            // The shipped file is data of this crate, not user input; a unit test checks that
            // it parses with nothing dropped, so this arm is unreachable in a tested build.
            Ok(import) => import.catalog,
            Err(e) => panic!("the embedded CVE catalog is invalid: {e}"),
        })
    }

    /// Builds a catalog from entries, checking every rule the simulator relies on: valid and
    /// unique ids, a finite score in `[MIN_CVSS, 10]`, `score_source` `"nvd"` or `"cna"`, a
    /// non-empty product, a well-formed technique, 1+ known and distinct tags, 1 to 3
    /// non-empty indicators, and at least one entry.
    pub fn from_entries(entries: Vec<Cve>) -> Result<Self, FeedError> {
        validate_entries("catalog", &entries)?;
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

/// The result of [`import_feed`]: the usable entries and an account of what was left out.
#[derive(Clone, Debug, PartialEq)]
pub struct FeedImport {
    /// The entries kept, in feed order.
    pub catalog: CveCatalog,
    /// How many entries were kept (equals `catalog.len()`).
    pub kept: usize,
    /// How many entries were dropped because their score is below [`MIN_CVSS`].
    pub dropped_low_score: usize,
    /// Entries dropped for lack of a score or of any known tag, each with a reason naming it.
    pub dropped_unusable: Vec<String>,
}

/// A feed or catalog that cannot be read, with where and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FeedError {
    /// The feed's name (usually its file name).
    pub source: String,
    /// A JSON path (`vulnerabilities[3].cve.metrics`), a line (`line 7`) or `file`.
    pub location: String,
    /// What is wrong, in plain words.
    pub problem: String,
}

impl fmt::Display for FeedError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}: {}", self.source, self.location, self.problem)
    }
}

impl std::error::Error for FeedError {}

/// Reads a feed, auto-detecting its format (see the module documentation), and keeps the
/// entries with a CVSS base score of at least [`MIN_CVSS`]. `name` is used in error messages.
pub fn import_feed(name: &str, text: &str) -> Result<FeedImport, FeedError> {
    let ctx = Ctx { source: name };
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let trimmed = text.trim_start();
    if trimmed.is_empty() {
        return Err(ctx.err("file", "the file is empty"));
    }
    let parsed = if trimmed.starts_with('{') || trimmed.starts_with('[') {
        parse_json_feed(&ctx, text)?
    } else {
        parse_list_feed(&ctx, text)?
    };
    finish_import(&ctx, parsed)
}

// ---------------------------------------------------------------------------------------------
// Shared plumbing

struct Ctx<'a> {
    source: &'a str,
}

impl Ctx<'_> {
    fn err(&self, location: impl Into<String>, problem: impl Into<String>) -> FeedError {
        FeedError {
            source: self.source.to_string(),
            location: location.into(),
            problem: problem.into(),
        }
    }
}

/// One feed entry after parsing, before the score filter.
enum Parsed {
    Entry(Box<Cve>),
    LowScore,
    Unusable(String),
}

struct ParsedFeed {
    items: Vec<Parsed>,
    /// Where the entries live, for the "nothing usable" error.
    whole: &'static str,
}

fn finish_import(ctx: &Ctx<'_>, parsed: ParsedFeed) -> Result<FeedImport, FeedError> {
    let mut entries = Vec::new();
    let mut dropped_low_score = 0;
    let mut dropped_unusable = Vec::new();
    for item in parsed.items {
        match item {
            Parsed::Entry(cve) => entries.push(*cve),
            Parsed::LowScore => dropped_low_score += 1,
            Parsed::Unusable(reason) => dropped_unusable.push(reason),
        }
    }
    if entries.is_empty() {
        return Err(ctx.err(
            parsed.whole,
            format!(
                "no entries with CVSS >= {MIN_CVSS} ({dropped_low_score} below the threshold, {} unusable)",
                dropped_unusable.len()
            ),
        ));
    }
    validate_entries(ctx.source, &entries)?;
    Ok(FeedImport {
        kept: entries.len(),
        catalog: CveCatalog { entries },
        dropped_low_score,
        dropped_unusable,
    })
}

/// Checks the catalog invariants; locations are `entries[i].field` in the given list.
fn validate_entries(source: &str, entries: &[Cve]) -> Result<(), FeedError> {
    let ctx = Ctx { source };
    if entries.is_empty() {
        return Err(ctx.err("entries", "the catalog has no entries"));
    }
    let mut seen: BTreeMap<&str, usize> = BTreeMap::new();
    for (i, c) in entries.iter().enumerate() {
        let at = |field: &str| format!("entries[{i}].{field}");
        if !is_valid_cve_id(&c.id) {
            return Err(ctx.err(at("id"), format!("malformed CVE id {}", quote(&c.id))));
        }
        if let Some(first) = seen.insert(c.id.as_str(), i) {
            return Err(ctx.err(
                at("id"),
                format!(
                    "duplicate CVE id {} (first at entries[{first}])",
                    quote(&c.id)
                ),
            ));
        }
        check_score(&ctx, &at("cvss"), c.cvss)?;
        if c.cvss < MIN_CVSS {
            return Err(ctx.err(
                at("cvss"),
                format!("CVSS {} is below the threshold {MIN_CVSS}", c.cvss),
            ));
        }
        if c.score_source != "nvd" && c.score_source != "cna" {
            return Err(ctx.err(
                at("score_source"),
                format!(
                    "expected \"nvd\" or \"cna\", found {}",
                    quote(&c.score_source)
                ),
            ));
        }
        if c.product.trim().is_empty() {
            return Err(ctx.err(at("product"), "the product is empty"));
        }
        if !is_valid_technique(&c.technique) {
            return Err(ctx.err(
                at("technique"),
                format!("malformed ATT&CK technique id {}", quote(&c.technique)),
            ));
        }
        if c.tags.is_empty() {
            return Err(ctx.err(at("tags"), "no technology tags"));
        }
        for (j, tag) in c.tags.iter().enumerate() {
            if !is_known_tag(tag) {
                return Err(ctx.err(
                    format!("entries[{i}].tags[{j}]"),
                    format!("unknown technology tag {}", quote(tag)),
                ));
            }
            if c.tags[..j].contains(tag) {
                return Err(ctx.err(
                    format!("entries[{i}].tags[{j}]"),
                    format!("duplicate tag {}", quote(tag)),
                ));
            }
        }
        check_indicators(&ctx, &at("indicators"), &c.indicators)?;
    }
    Ok(())
}

fn check_score(ctx: &Ctx<'_>, location: &str, score: f64) -> Result<(), FeedError> {
    if score.is_nan() {
        return Err(ctx.err(location, "the CVSS base score is not a number (NaN)"));
    }
    if !(0.0..=10.0).contains(&score) {
        // Scientific notation keeps absurd values (1e308) readable.
        let shown = if score.abs() < 1e6 {
            score.to_string()
        } else {
            format!("{score:e}")
        };
        return Err(ctx.err(
            location,
            format!("CVSS base score {shown} is outside [0, 10]"),
        ));
    }
    Ok(())
}

fn check_indicators(ctx: &Ctx<'_>, location: &str, indicators: &[String]) -> Result<(), FeedError> {
    if indicators.is_empty() || indicators.len() > 3 {
        return Err(ctx.err(
            location,
            format!("expected 1 to 3 indicators, found {}", indicators.len()),
        ));
    }
    if let Some(j) = indicators.iter().position(|s| s.trim().is_empty()) {
        return Err(ctx.err(format!("{location}[{j}]"), "the indicator is empty"));
    }
    Ok(())
}

/// Debug-quotes a value for a message, cut to 40 characters so a huge field stays readable.
fn quote(s: &str) -> String {
    const MAX: usize = 40;
    if s.chars().count() <= MAX {
        format!("{s:?}")
    } else {
        let cut: String = s.chars().take(MAX).collect();
        format!("{:?}", format!("{cut}…"))
    }
}

/// Describes a JSON value for "expected X, found Y" messages.
fn describe(v: &Value) -> String {
    match v {
        Value::Null => "null".to_string(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => format!("the number {n}"),
        Value::String(s) => quote(s),
        Value::Array(_) => "an array".to_string(),
        Value::Object(_) => "an object".to_string(),
    }
}

/// Feed ids are compared and stored upper-case (`cve-2021-44228` is accepted).
/// The `id` of a JSON feed item: present, a well-formed CVE id, and not seen before.
fn item_id(
    ctx: &Ctx<'_>,
    obj: &Map<String, Value>,
    item: &str,
    path: &str,
    seen: &mut BTreeMap<String, String>,
) -> Result<String, FeedError> {
    let raw = as_str(ctx, required(ctx, obj, "id", path)?, path, "the CVE id")?;
    let id = normalize_id(raw);
    if !is_valid_cve_id(&id) {
        return Err(ctx.err(path, format!("malformed CVE id {}", quote(raw))));
    }
    check_duplicate(ctx, seen, &id, item, path)?;
    Ok(id)
}

fn normalize_id(id: &str) -> String {
    id.trim().to_ascii_uppercase()
}

/// Default technique for imported entries: privilege escalation is T1068, anything reached
/// from outside is T1190 (Exploit Public-Facing Application).
fn default_technique(class: ThreatClass) -> &'static str {
    match class {
        ThreatClass::PrivilegeEscalation => "T1068",
        _ => "T1190",
    }
}

/// Feeds carry no log indicators, so imported entries get a generic one for their class.
fn default_indicators(class: ThreatClass) -> Vec<String> {
    let s = match class {
        ThreatClass::Rce => "/bin/sh -c",
        ThreatClass::AuthBypass => "admin session without login",
        ThreatClass::Injection => "%27%20OR%201%3D1",
        ThreatClass::PrivilegeEscalation => "uid=0(root)",
        ThreatClass::DataExposure => "../../etc/passwd",
    };
    vec![s.to_string()]
}

/// Keeps the known tags (deduplicated, in order); the unknown ones are returned separately.
fn split_tags<'a>(tags: impl IntoIterator<Item = &'a str>) -> (Vec<String>, Vec<String>) {
    let mut known: Vec<String> = Vec::new();
    let mut unknown = Vec::new();
    for t in tags {
        let t = t.trim();
        if t.is_empty() {
            continue;
        }
        if is_known_tag(t) {
            if !known.iter().any(|k| k == t) {
                known.push(t.to_string());
            }
        } else {
            unknown.push(t.to_string());
        }
    }
    (known, unknown)
}

/// Records an id and fails on a repeat.
fn check_duplicate(
    ctx: &Ctx<'_>,
    seen: &mut BTreeMap<String, String>,
    id: &str,
    location: &str,
    id_location: &str,
) -> Result<(), FeedError> {
    if let Some(first) = seen.get(id) {
        return Err(ctx.err(
            id_location,
            format!("duplicate CVE id {} (first seen at {first})", quote(id)),
        ));
    }
    seen.insert(id.to_string(), location.to_string());
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// JSON helpers

fn as_object<'v>(
    ctx: &Ctx<'_>,
    v: &'v Value,
    location: &str,
) -> Result<&'v Map<String, Value>, FeedError> {
    v.as_object().ok_or_else(|| {
        ctx.err(
            location,
            format!("expected an object, found {}", describe(v)),
        )
    })
}

fn as_array<'v>(ctx: &Ctx<'_>, v: &'v Value, location: &str) -> Result<&'v [Value], FeedError> {
    v.as_array().map(|a| a.as_slice()).ok_or_else(|| {
        ctx.err(
            location,
            format!("expected an array, found {}", describe(v)),
        )
    })
}

fn as_str<'v>(
    ctx: &Ctx<'_>,
    v: &'v Value,
    location: &str,
    what: &str,
) -> Result<&'v str, FeedError> {
    v.as_str().ok_or_else(|| {
        ctx.err(
            location,
            format!("expected a string for {what}, found {}", describe(v)),
        )
    })
}

fn as_score(ctx: &Ctx<'_>, v: &Value, location: &str) -> Result<f64, FeedError> {
    let score = v.as_f64().ok_or_else(|| {
        ctx.err(
            location,
            format!(
                "expected a number for the CVSS base score, found {}",
                describe(v)
            ),
        )
    })?;
    check_score(ctx, location, score)?;
    Ok(score)
}

/// A present, non-null field.
fn field<'v>(obj: &'v Map<String, Value>, key: &str) -> Option<&'v Value> {
    obj.get(key).filter(|v| !v.is_null())
}

fn required<'v>(
    ctx: &Ctx<'_>,
    obj: &'v Map<String, Value>,
    key: &str,
    location: &str,
) -> Result<&'v Value, FeedError> {
    field(obj, key).ok_or_else(|| ctx.err(location, format!("missing field \"{key}\"")))
}

fn parse_json_feed(ctx: &Ctx<'_>, text: &str) -> Result<ParsedFeed, FeedError> {
    let root: Value = serde_json::from_str(text).map_err(|e| json_syntax_error(ctx, &e))?;
    let Some(obj) = root.as_object() else {
        return Err(ctx.err(
            "$",
            format!(
                "expected a JSON object (an NVD CVE API 2.0 response or a ztgym catalog), found {}",
                describe(&root)
            ),
        ));
    };
    if obj.contains_key("vulnerabilities") {
        parse_nvd(ctx, obj)
    } else if obj.contains_key("format") || obj.contains_key("entries") {
        parse_catalog(ctx, obj)
    } else {
        Err(ctx.err(
            "$",
            "JSON is neither an NVD CVE API 2.0 feed (no \"vulnerabilities\" array) nor a ztgym catalog (no \"format\": \"ztgym-cve-catalog\")",
        ))
    }
}

/// Turns a serde_json syntax error into "line L, column C" and a message without position.
fn json_syntax_error(ctx: &Ctx<'_>, e: &serde_json::Error) -> FeedError {
    let location = format!("line {}, column {}", e.line(), e.column());
    let full = e.to_string();
    let suffix = format!(" at line {} column {}", e.line(), e.column());
    let message = full.strip_suffix(&suffix).unwrap_or(&full);
    let problem = if e.is_eof() {
        format!("truncated JSON: {message}")
    } else {
        format!("malformed JSON: {message}")
    };
    ctx.err(location, problem)
}

// ---------------------------------------------------------------------------------------------
// ztgym catalog format

fn parse_catalog(ctx: &Ctx<'_>, obj: &Map<String, Value>) -> Result<ParsedFeed, FeedError> {
    let format = required(ctx, obj, "format", "format")?;
    let format = as_str(ctx, format, "format", "the catalog format")?;
    if format != CATALOG_FORMAT {
        return Err(ctx.err(
            "format",
            format!("expected \"{CATALOG_FORMAT}\", found {}", quote(format)),
        ));
    }
    let version = required(ctx, obj, "version", "version")?;
    if version.as_u64() != Some(CATALOG_VERSION) {
        let found = match version {
            Value::Number(n) => n.to_string(),
            other => describe(other),
        };
        return Err(ctx.err(
            "version",
            format!(
                "unsupported catalog version {found} (this build reads version {CATALOG_VERSION})"
            ),
        ));
    }
    parse_items(ctx, obj, "entries", parse_catalog_entry)
}

/// Parses one item of a feed's array: context, value, index, ids seen so far.
type ItemParser =
    fn(&Ctx<'_>, &Value, usize, &mut BTreeMap<String, String>) -> Result<Parsed, FeedError>;

/// The parsed items of the JSON array under `key`, ids checked for duplicates across items.
fn parse_items(
    ctx: &Ctx<'_>,
    obj: &Map<String, Value>,
    key: &'static str,
    parse_item: ItemParser,
) -> Result<ParsedFeed, FeedError> {
    let list = as_array(ctx, required(ctx, obj, key, key)?, key)?;
    let mut seen = BTreeMap::new();
    let mut items = Vec::with_capacity(list.len());
    for (i, v) in list.iter().enumerate() {
        items.push(parse_item(ctx, v, i, &mut seen)?);
    }
    Ok(ParsedFeed { items, whole: key })
}

fn parse_catalog_entry(
    ctx: &Ctx<'_>,
    v: &Value,
    i: usize,
    seen: &mut BTreeMap<String, String>,
) -> Result<Parsed, FeedError> {
    let here = format!("entries[{i}]");
    let at = |f: &str| format!("{here}.{f}");
    let e = as_object(ctx, v, &here)?;

    let id = item_id(ctx, e, &here, &at("id"), seen)?;

    let Some(score) = field(e, "cvss") else {
        return Ok(Parsed::Unusable(format!(
            "{id} ({here}): no CVSS base score"
        )));
    };
    let cvss = as_score(ctx, score, &at("cvss"))?;

    let score_source = match field(e, "score_source") {
        Some(v) => as_str(ctx, v, &at("score_source"), "the score source")?.to_string(),
        None => "nvd".to_string(),
    };
    if score_source != "nvd" && score_source != "cna" {
        return Err(ctx.err(
            at("score_source"),
            format!(
                "expected \"nvd\" or \"cna\", found {}",
                quote(&score_source)
            ),
        ));
    }
    let product = as_str(
        ctx,
        required(ctx, e, "product", &at("product"))?,
        &at("product"),
        "the product",
    )?
    .trim()
    .to_string();
    if product.is_empty() {
        return Err(ctx.err(at("product"), "the product is empty"));
    }
    let name = match field(e, "name") {
        Some(v) => Some(as_str(ctx, v, &at("name"), "the name")?.to_string()),
        None => None,
    };
    let class_text = as_str(
        ctx,
        required(ctx, e, "class", &at("class"))?,
        &at("class"),
        "the threat class",
    )?;
    let class = ThreatClass::from_name(class_text)
        .ok_or_else(|| ctx.err(at("class"), unknown_class(class_text)))?;
    let technique = match field(e, "technique") {
        Some(v) => as_str(ctx, v, &at("technique"), "the ATT&CK technique")?.to_string(),
        None => default_technique(class).to_string(),
    };
    if !is_valid_technique(&technique) {
        return Err(ctx.err(
            at("technique"),
            format!("malformed ATT&CK technique id {}", quote(&technique)),
        ));
    }
    let tag_values = as_array(ctx, required(ctx, e, "tags", &at("tags"))?, &at("tags"))?;
    let mut tag_texts = Vec::with_capacity(tag_values.len());
    for (j, t) in tag_values.iter().enumerate() {
        tag_texts.push(as_str(ctx, t, &format!("{here}.tags[{j}]"), "a tag")?);
    }
    let indicators = match field(e, "indicators") {
        Some(v) => {
            let list = as_array(ctx, v, &at("indicators"))?;
            let mut out = Vec::with_capacity(list.len());
            for (j, s) in list.iter().enumerate() {
                let loc = format!("{here}.indicators[{j}]");
                out.push(as_str(ctx, s, &loc, "an indicator")?.to_string());
            }
            out
        }
        None => Vec::new(),
    };
    let indicators = if indicators.is_empty() {
        default_indicators(class)
    } else {
        check_indicators(ctx, &at("indicators"), &indicators)?;
        indicators
    };

    if cvss < MIN_CVSS {
        return Ok(Parsed::LowScore);
    }
    let (tags, unknown) = split_tags(tag_texts);
    if tags.is_empty() {
        return Ok(Parsed::Unusable(format!(
            "{id} ({here}): no known technology tag among {}",
            quote(&unknown.join(";"))
        )));
    }
    Ok(Parsed::Entry(Box::new(Cve {
        id,
        cvss,
        score_source,
        product,
        name,
        class,
        technique,
        tags,
        indicators,
    })))
}

fn unknown_class(text: &str) -> String {
    format!(
        "unknown threat class {} (expected one of rce, auth_bypass, injection, privilege_escalation, data_exposure)",
        quote(text)
    )
}

// ---------------------------------------------------------------------------------------------
// NVD CVE API 2.0

fn parse_nvd(ctx: &Ctx<'_>, obj: &Map<String, Value>) -> Result<ParsedFeed, FeedError> {
    parse_items(ctx, obj, "vulnerabilities", parse_nvd_item)
}

fn parse_nvd_item(
    ctx: &Ctx<'_>,
    v: &Value,
    i: usize,
    seen: &mut BTreeMap<String, String>,
) -> Result<Parsed, FeedError> {
    let item_loc = format!("vulnerabilities[{i}]");
    let item = as_object(ctx, v, &item_loc)?;
    let here = format!("{item_loc}.cve");
    let at = |f: &str| format!("{here}.{f}");
    let cve = as_object(ctx, required(ctx, item, "cve", &here)?, &here)?;

    let id = item_id(ctx, cve, &item_loc, &at("id"), seen)?;

    let description = english_description(ctx, cve, &here)?;
    let Some((cvss, score_source)) = nvd_score(ctx, cve, &here)? else {
        return Ok(Parsed::Unusable(format!(
            "{id} ({item_loc}): no CVSS v3.1, v3.0 or v4.0 base score in cve.metrics"
        )));
    };
    if cvss < MIN_CVSS {
        return Ok(Parsed::LowScore);
    }

    let cwes = nvd_cwes(ctx, cve, &here)?;
    let cpes = nvd_cpes(ctx, cve, &here)?;
    let lower = description.to_lowercase();

    let mut tag_words: Vec<&'static str> = Vec::new();
    for cpe in &cpes {
        tag_words.extend(cpe.tags.iter().copied());
    }
    if tag_words.is_empty() {
        // No analysed configuration yet (e.g. "Awaiting Analysis"): fall back on the text.
        tag_words = description_tags(&lower);
    } else if contains_word(&lower, "vpn") {
        tag_words.push("vpn");
    }
    let (tags, _) = split_tags(tag_words);
    if tags.is_empty() {
        return Ok(Parsed::Unusable(format!(
            "{id} ({item_loc}): no CPE or description keyword maps to a known technology tag"
        )));
    }

    let class = guess_class(&cwes, &lower);
    Ok(Parsed::Entry(Box::new(Cve {
        id,
        cvss,
        score_source,
        product: product_name(&cpes, &description),
        name: None,
        class,
        technique: default_technique(class).to_string(),
        tags,
        indicators: default_indicators(class),
    })))
}

fn english_description(
    ctx: &Ctx<'_>,
    cve: &Map<String, Value>,
    here: &str,
) -> Result<String, FeedError> {
    let Some(list) = field(cve, "descriptions") else {
        return Ok(String::new());
    };
    let loc = format!("{here}.descriptions");
    for (j, d) in as_array(ctx, list, &loc)?.iter().enumerate() {
        let dloc = format!("{loc}[{j}]");
        let d = as_object(ctx, d, &dloc)?;
        let lang = field(d, "lang").and_then(Value::as_str).unwrap_or("");
        if lang == "en" {
            let value = required(ctx, d, "value", &format!("{dloc}.value"))?;
            return Ok(
                as_str(ctx, value, &format!("{dloc}.value"), "the description")?.to_string(),
            );
        }
    }
    Ok(String::new())
}

/// Picks the base score: v3.1, then v3.0, then v4.0; within a version NVD's own metric
/// (`nvd@nist.gov`) first, then the `Primary` one, then the first listed. NVD's current data
/// marks some CNA metrics `Primary` and NVD's own `Secondary` (e.g. CVE-2021-26855), and for
/// some records only a CNA metric exists, so the source decides `score_source`.
fn nvd_score(
    ctx: &Ctx<'_>,
    cve: &Map<String, Value>,
    here: &str,
) -> Result<Option<(f64, String)>, FeedError> {
    let Some(metrics) = field(cve, "metrics") else {
        return Ok(None);
    };
    let mloc = format!("{here}.metrics");
    let metrics = as_object(ctx, metrics, &mloc)?;
    for key in ["cvssMetricV31", "cvssMetricV30", "cvssMetricV40"] {
        let Some(list) = field(metrics, key) else {
            continue;
        };
        let kloc = format!("{mloc}.{key}");
        let list = as_array(ctx, list, &kloc)?;
        let mut objects = Vec::with_capacity(list.len());
        for (j, m) in list.iter().enumerate() {
            objects.push((j, as_object(ctx, m, &format!("{kloc}[{j}]"))?));
        }
        let text = |m: &Map<String, Value>, k: &str| {
            field(m, k)
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string()
        };
        let chosen = objects
            .iter()
            .find(|(_, m)| text(m, "source") == "nvd@nist.gov")
            .or_else(|| objects.iter().find(|(_, m)| text(m, "type") == "Primary"))
            .or_else(|| objects.first());
        let Some((j, m)) = chosen else {
            continue;
        };
        let jloc = format!("{kloc}[{j}]");
        let data = as_object(
            ctx,
            required(ctx, m, "cvssData", &format!("{jloc}.cvssData"))?,
            &format!("{jloc}.cvssData"),
        )?;
        let sloc = format!("{jloc}.cvssData.baseScore");
        let score = as_score(ctx, required(ctx, data, "baseScore", &sloc)?, &sloc)?;
        let source = if text(m, "source") == "nvd@nist.gov" {
            "nvd"
        } else {
            "cna"
        };
        return Ok(Some((score, source.to_string())));
    }
    Ok(None)
}

/// The numeric CWE ids listed under `weaknesses` (NVD-CWE-noinfo and the like are skipped).
fn nvd_cwes(ctx: &Ctx<'_>, cve: &Map<String, Value>, here: &str) -> Result<Vec<u32>, FeedError> {
    let mut out = Vec::new();
    let Some(list) = field(cve, "weaknesses") else {
        return Ok(out);
    };
    let loc = format!("{here}.weaknesses");
    for (j, w) in as_array(ctx, list, &loc)?.iter().enumerate() {
        let wloc = format!("{loc}[{j}]");
        let w = as_object(ctx, w, &wloc)?;
        let Some(descs) = field(w, "description") else {
            continue;
        };
        for d in as_array(ctx, descs, &format!("{wloc}.description"))? {
            let value = d.get("value").and_then(Value::as_str).unwrap_or("");
            if let Some(n) = value.strip_prefix("CWE-").and_then(|n| n.parse().ok()) {
                if !out.contains(&n) {
                    out.push(n);
                }
            }
        }
    }
    Ok(out)
}

/// One CPE match criterion reduced to what the importer uses.
struct CpeInfo {
    vendor: String,
    product: String,
    vulnerable: bool,
    tags: Vec<&'static str>,
}

fn nvd_cpes(
    ctx: &Ctx<'_>,
    cve: &Map<String, Value>,
    here: &str,
) -> Result<Vec<CpeInfo>, FeedError> {
    let mut out = Vec::new();
    let Some(configs) = field(cve, "configurations") else {
        return Ok(out);
    };
    let cloc = format!("{here}.configurations");
    for (a, config) in as_array(ctx, configs, &cloc)?.iter().enumerate() {
        let aloc = format!("{cloc}[{a}]");
        let config = as_object(ctx, config, &aloc)?;
        let Some(nodes) = field(config, "nodes") else {
            continue;
        };
        for (b, node) in as_array(ctx, nodes, &format!("{aloc}.nodes"))?
            .iter()
            .enumerate()
        {
            let bloc = format!("{aloc}.nodes[{b}]");
            let node = as_object(ctx, node, &bloc)?;
            let Some(matches) = field(node, "cpeMatch") else {
                continue;
            };
            for (c, m) in as_array(ctx, matches, &format!("{bloc}.cpeMatch"))?
                .iter()
                .enumerate()
            {
                let mloc = format!("{bloc}.cpeMatch[{c}]");
                let m = as_object(ctx, m, &mloc)?;
                let criteria = as_str(
                    ctx,
                    required(ctx, m, "criteria", &format!("{mloc}.criteria"))?,
                    &format!("{mloc}.criteria"),
                    "the CPE criteria",
                )?;
                let vulnerable = field(m, "vulnerable").and_then(Value::as_bool) != Some(false);
                if let Some(info) = parse_cpe(criteria, vulnerable) {
                    out.push(info);
                }
            }
        }
    }
    Ok(out)
}

/// `cpe:2.3:part:vendor:product:version:update:edition:language:sw_edition:target_sw:...`
fn parse_cpe(criteria: &str, vulnerable: bool) -> Option<CpeInfo> {
    let parts: Vec<&str> = criteria.split(':').collect();
    if parts.len() < 5 || parts[0] != "cpe" {
        return None;
    }
    let vendor = parts[3].to_ascii_lowercase();
    let product = parts[4].to_ascii_lowercase();
    let target_sw = parts.get(10).copied().unwrap_or("*");
    let mut tags = cpe_tags(&vendor, &product);
    match target_sw {
        "node.js" => tags.push("nodejs"),
        "python" => tags.push("python"),
        _ => {}
    }
    Some(CpeInfo {
        vendor,
        product,
        vulnerable,
        tags,
    })
}

/// (vendor, product prefix, tags); the first matching row wins, `""` matches any product.
const CPE_TAG_RULES: &[(&str, &str, &[&str])] = &[
    ("apache", "log4j", &["log4j", "java"]),
    ("apache", "struts", &["struts", "java"]),
    ("apache", "tomcat", &["tomcat", "java"]),
    ("apache", "http_server", &["apache-httpd"]),
    ("apache", "kafka", &["kafka", "java"]),
    ("apache", "activemq", &["java"]),
    ("vmware", "spring", &["spring", "java"]),
    ("pivotal_software", "spring", &["spring", "java"]),
    ("pivotal_software", "rabbitmq", &["rabbitmq"]),
    ("broadcom", "rabbitmq", &["rabbitmq"]),
    ("vmware", "rabbitmq", &["rabbitmq"]),
    ("vmware", "", &["vmware"]),
    ("linux", "linux_kernel", &["linux"]),
    ("canonical", "ubuntu_linux", &["linux"]),
    ("debian", "debian_linux", &["linux"]),
    ("redhat", "enterprise_linux", &["linux"]),
    ("fedoraproject", "fedora", &["linux"]),
    ("opensuse", "leap", &["linux"]),
    ("suse", "linux_enterprise", &["linux"]),
    ("polkit_project", "polkit", &["linux"]),
    ("sudo_project", "sudo", &["linux"]),
    ("microsoft", "exchange_server", &["exchange", "windows"]),
    ("microsoft", "sharepoint", &["sharepoint", "windows"]),
    ("microsoft", "server_message_block", &["smb", "windows"]),
    ("microsoft", ".net", &["dotnet"]),
    ("microsoft", "asp.net", &["dotnet"]),
    (
        "microsoft",
        "active_directory",
        &["active-directory", "windows"],
    ),
    ("microsoft", "windows", &["windows"]),
    ("openbsd", "openssh", &["openssh"]),
    ("kubernetes", "ingress-nginx", &["kubernetes", "nginx"]),
    ("kubernetes", "", &["kubernetes"]),
    ("f5", "nginx", &["nginx"]),
    ("nginx", "nginx", &["nginx"]),
    ("f5", "big-ip", &["f5"]),
    ("nodejs", "node.js", &["nodejs"]),
    ("php", "php", &["php"]),
    ("python", "", &["python"]),
    ("pyyaml", "pyyaml", &["python"]),
    ("djangoproject", "django", &["python"]),
    ("palletsprojects", "", &["python"]),
    ("postgresql", "postgresql", &["postgres"]),
    ("oracle", "mysql", &["mysql"]),
    ("mysql", "mysql", &["mysql"]),
    ("mariadb", "mariadb", &["mysql"]),
    ("redis", "redis", &["redis"]),
    ("elastic", "elasticsearch", &["elasticsearch", "java"]),
    ("elastic", "kibana", &["elasticsearch", "nodejs"]),
    ("docker", "", &["docker"]),
    ("mobyproject", "moby", &["docker"]),
    ("linuxfoundation", "runc", &["docker", "linux"]),
    ("opencontainers", "runc", &["docker", "linux"]),
    ("citrix", "", &["citrix"]),
    ("fortinet", "", &["fortinet"]),
    ("paloaltonetworks", "pan-os", &["panos"]),
    ("ivanti", "connect_secure", &["ivanti", "vpn"]),
    ("ivanti", "", &["ivanti"]),
    ("pulsesecure", "", &["ivanti", "vpn"]),
    ("atlassian", "confluence", &["confluence", "java"]),
    ("jenkins", "jenkins", &["jenkins", "java"]),
    ("gitlab", "gitlab", &["gitlab"]),
    ("jetbrains", "teamcity", &["teamcity", "java"]),
    ("progress", "moveit", &["moveit"]),
    ("grafana", "grafana", &["grafana"]),
    ("openssl", "openssl", &["openssl"]),
    ("openldap", "openldap", &["ldap"]),
    ("oracle", "jdk", &["java"]),
    ("oracle", "jre", &["java"]),
    ("oracle", "openjdk", &["java"]),
    ("samba", "samba", &["smb", "linux"]),
];

fn cpe_tags(vendor: &str, product: &str) -> Vec<&'static str> {
    CPE_TAG_RULES
        .iter()
        .find(|(v, p, _)| *v == vendor && product.starts_with(p))
        .map(|(_, _, tags)| tags.to_vec())
        .unwrap_or_default()
}

/// Keywords looked up as whole words in a lower-cased description, when no CPE is available.
const DESCRIPTION_TAG_RULES: &[(&str, &[&str])] = &[
    ("log4j", &["log4j", "java"]),
    ("log4j2", &["log4j", "java"]),
    ("spring framework", &["spring", "java"]),
    ("spring cloud", &["spring", "java"]),
    ("spring boot", &["spring", "java"]),
    ("tomcat", &["tomcat", "java"]),
    ("struts", &["struts", "java"]),
    ("java", &["java"]),
    ("node.js", &["nodejs"]),
    ("php", &["php"]),
    ("python", &["python"]),
    ("django", &["python"]),
    ("postgresql", &["postgres"]),
    ("mysql", &["mysql"]),
    ("mariadb", &["mysql"]),
    ("redis", &["redis"]),
    ("elasticsearch", &["elasticsearch"]),
    ("kibana", &["elasticsearch"]),
    ("kubernetes", &["kubernetes"]),
    ("docker", &["docker"]),
    ("runc", &["docker"]),
    ("nginx", &["nginx"]),
    ("ingress-nginx", &["nginx", "kubernetes"]),
    ("apache http server", &["apache-httpd"]),
    ("openssh", &["openssh"]),
    ("sshd", &["openssh"]),
    ("openssl", &["openssl"]),
    ("citrix", &["citrix"]),
    ("netscaler", &["citrix"]),
    ("fortios", &["fortinet"]),
    ("fortinet", &["fortinet"]),
    ("fortigate", &["fortinet"]),
    ("pan-os", &["panos"]),
    ("globalprotect", &["panos", "vpn"]),
    ("ivanti", &["ivanti"]),
    ("pulse secure", &["ivanti", "vpn"]),
    ("exchange server", &["exchange", "windows"]),
    ("sharepoint", &["sharepoint"]),
    ("confluence", &["confluence", "java"]),
    ("jenkins", &["jenkins"]),
    ("gitlab", &["gitlab"]),
    ("teamcity", &["teamcity"]),
    ("vmware", &["vmware"]),
    ("vcenter", &["vmware"]),
    ("active directory", &["active-directory"]),
    ("ldap", &["ldap"]),
    ("moveit", &["moveit"]),
    ("smb", &["smb"]),
    ("smbv1", &["smb"]),
    ("big-ip", &["f5"]),
    ("kafka", &["kafka"]),
    ("rabbitmq", &["rabbitmq"]),
    ("grafana", &["grafana"]),
    ("windows", &["windows"]),
    ("linux", &["linux"]),
    ("vpn", &["vpn"]),
    (".net", &["dotnet"]),
    ("asp.net", &["dotnet"]),
];

fn description_tags(lower: &str) -> Vec<&'static str> {
    let mut out = Vec::new();
    for (word, tags) in DESCRIPTION_TAG_RULES {
        if contains_word(lower, word) {
            out.extend(tags.iter().copied());
        }
    }
    out
}

/// Whether `needle` occurs in `hay` with no letter or digit right before or after it, so that
/// "java" does not match "javascript".
fn contains_word(hay: &str, needle: &str) -> bool {
    if needle.is_empty() {
        return false;
    }
    let mut start = 0;
    while let Some(pos) = hay[start..].find(needle) {
        let begin = start + pos;
        let end = begin + needle.len();
        let before = hay[..begin].chars().next_back();
        let after = hay[end..].chars().next();
        let boundary = |c: Option<char>| c.is_none_or(|c| !c.is_alphanumeric());
        if boundary(before) && boundary(after) {
            return true;
        }
        // Advance past the first character of this match (char boundary safe).
        start = begin + hay[begin..].chars().next().map_or(1, char::len_utf8);
    }
    false
}

/// CWE sets per class; checked in this order over all of an entry's CWEs.
const INJECTION_CWES: &[u32] = &[74, 77, 78, 88, 89, 94, 917, 1336];
const DATA_EXPOSURE_CWES: &[u32] = &[22, 23, 35, 36, 200, 201, 538, 552];
const AUTH_BYPASS_CWES: &[u32] = &[287, 288, 290, 306, 640, 798, 1390];
const PRIV_ESC_CWES: &[u32] = &[250, 266, 268, 269, 270];

/// Guesses the class from the CWEs, then from description keywords; remote code execution when
/// nothing matches. Injection CWEs become `rce` unless the CWE is SQL injection or the text
/// says "inject" (Log4Shell's CWE-917 reads as code execution, Spring Cloud Gateway's as code
/// injection).
fn guess_class(cwes: &[u32], lower: &str) -> ThreatClass {
    let any = |set: &[u32]| cwes.iter().any(|c| set.contains(c));
    if any(INJECTION_CWES) {
        return if cwes.contains(&89) || lower.contains("inject") {
            ThreatClass::Injection
        } else {
            ThreatClass::Rce
        };
    }
    if any(DATA_EXPOSURE_CWES) {
        return ThreatClass::DataExposure;
    }
    if any(AUTH_BYPASS_CWES) {
        return ThreatClass::AuthBypass;
    }
    if any(PRIV_ESC_CWES) {
        return ThreatClass::PrivilegeEscalation;
    }
    let has = |words: &[&str]| words.iter().any(|w| lower.contains(w));
    if has(&["injection", "inject "]) {
        ThreatClass::Injection
    } else if has(&[
        "authentication bypass",
        "bypass authentication",
        "bypassing authentication",
        "bypass the authentication",
    ]) {
        ThreatClass::AuthBypass
    } else if has(&[
        "privilege escalation",
        "escalate privileges",
        "escalate their privileges",
        "elevation of privilege",
        "container escape",
    ]) {
        ThreatClass::PrivilegeEscalation
    } else if has(&[
        "path traversal",
        "directory traversal",
        "information disclosure",
        "sensitive information",
        "read arbitrary files",
        "arbitrary file read",
    ]) {
        ThreatClass::DataExposure
    } else {
        ThreatClass::Rce
    }
}

/// The product: the most frequent vulnerable CPE that maps to a tag (ties: first listed), else
/// the most frequent vulnerable CPE, else the start of the description.
fn product_name(cpes: &[CpeInfo], description: &str) -> String {
    if let Some(c) = most_frequent_cpe(cpes, true).or_else(|| most_frequent_cpe(cpes, false)) {
        return pretty_product(&c.vendor, &c.product);
    }
    let text: String = description.split_whitespace().collect::<Vec<_>>().join(" ");
    if text.is_empty() {
        return "unknown product".to_string();
    }
    let short: String = text.chars().take(60).collect();
    if short.len() < text.len() {
        format!("{short}…")
    } else {
        short
    }
}

/// The vulnerable (vendor, product) pair listed most often, optionally only among those that
/// map to a tag; ties go to the first listed.
fn most_frequent_cpe(cpes: &[CpeInfo], want_tags: bool) -> Option<&CpeInfo> {
    let mut best: Option<(&CpeInfo, usize)> = None;
    for (i, c) in cpes.iter().enumerate() {
        if !c.vulnerable || (want_tags && c.tags.is_empty()) {
            continue;
        }
        let same = |o: &CpeInfo| o.vulnerable && o.vendor == c.vendor && o.product == c.product;
        if cpes[..i].iter().any(same) {
            continue; // already counted at its first occurrence
        }
        let count = cpes.iter().filter(|o| same(o)).count();
        if best.is_none_or(|(_, n)| count > n) {
            best = Some((c, count));
        }
    }
    best.map(|(c, _)| c)
}

fn pretty_product(vendor: &str, product: &str) -> String {
    let words = |s: &str| -> String {
        s.replace('\\', "")
            .split('_')
            .filter(|w| !w.is_empty())
            .map(|w| {
                let mut chars = w.chars();
                match chars.next() {
                    Some(first) => first.to_uppercase().chain(chars).collect::<String>(),
                    None => String::new(),
                }
            })
            .collect::<Vec<_>>()
            .join(" ")
    };
    if product.starts_with(vendor) {
        words(product)
    } else {
        format!("{} {}", words(vendor), words(product))
    }
}

// ---------------------------------------------------------------------------------------------
// Plain-text list: `CVE-ID,score,product,tag1;tag2[,class]`

const LIST_EXAMPLE: &str = "CVE-2021-44228,10.0,Apache Log4j 2,java;log4j[,rce]";

fn parse_list_feed(ctx: &Ctx<'_>, text: &str) -> Result<ParsedFeed, FeedError> {
    let mut seen = BTreeMap::new();
    let mut items = Vec::new();
    let mut first = true;
    for (n, raw) in text.lines().enumerate() {
        let line_no = n + 1;
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let loc = format!("line {line_no}");
        let looks_like_entry = line
            .get(..4)
            .is_some_and(|p| p.eq_ignore_ascii_case("cve-"));
        if first && !looks_like_entry {
            // The first entry decides the format: anything else is not a feed we know.
            return Err(ctx.err(
                loc,
                format!(
                    "not JSON and not a CVE list: expected a line like \"{LIST_EXAMPLE}\", found {}",
                    quote(line)
                ),
            ));
        }
        first = false;
        items.push(parse_list_line(ctx, line, &loc, &mut seen)?);
    }
    if first {
        return Err(ctx.err(
            "file",
            "the file has no entries (only comments and blank lines)",
        ));
    }
    Ok(ParsedFeed {
        items,
        whole: "file",
    })
}

fn parse_list_line(
    ctx: &Ctx<'_>,
    line: &str,
    loc: &str,
    seen: &mut BTreeMap<String, String>,
) -> Result<Parsed, FeedError> {
    let fields: Vec<&str> = line.split(',').map(str::trim).collect();
    if fields.len() != 4 && fields.len() != 5 {
        return Err(ctx.err(
            loc,
            format!(
                "expected 4 or 5 comma-separated fields (\"{LIST_EXAMPLE}\"), found {}",
                fields.len()
            ),
        ));
    }
    let id = normalize_id(fields[0]);
    if !is_valid_cve_id(&id) {
        return Err(ctx.err(loc, format!("malformed CVE id {}", quote(fields[0]))));
    }
    check_duplicate(ctx, seen, &id, loc, loc)?;

    let class = match fields.get(4) {
        Some(text) if !text.is_empty() => ThreatClass::from_name(&text.to_ascii_lowercase())
            .ok_or_else(|| ctx.err(loc, unknown_class(text)))?,
        // No class column: a remote code execution threat, the most common case.
        _ => ThreatClass::Rce,
    };
    let product = fields[2];
    if product.is_empty() {
        return Err(ctx.err(loc, format!("the product of {id} is empty")));
    }
    if fields[1].is_empty() {
        return Ok(Parsed::Unusable(format!(
            "{id} ({loc}): no CVSS base score"
        )));
    }
    let cvss: f64 = fields[1].parse().map_err(|_| {
        ctx.err(
            loc,
            format!(
                "expected a number for the CVSS base score, found {}",
                quote(fields[1])
            ),
        )
    })?;
    check_score(ctx, loc, cvss)?;
    if cvss < MIN_CVSS {
        return Ok(Parsed::LowScore);
    }
    let (tags, unknown) = split_tags(fields[3].split(';'));
    if tags.is_empty() {
        return Ok(Parsed::Unusable(format!(
            "{id} ({loc}): no known technology tag among {}",
            quote(&unknown.join(";"))
        )));
    }
    Ok(Parsed::Entry(Box::new(Cve {
        id,
        cvss,
        // A list gives no source; its scores are taken as NVD base scores.
        score_source: "nvd".to_string(),
        product: product.to_string(),
        name: None,
        class,
        technique: default_technique(class).to_string(),
        tags,
        indicators: default_indicators(class),
    })))
}

#[cfg(test)]
mod tests {
    use super::*;

    const NVD_SAMPLE: &str = include_str!("../../tests/fixtures/feeds/nvd-sample.json");
    const NVD_TRUNCATED: &str = include_str!("../../tests/fixtures/feeds/nvd-truncated.json");
    const LIST_SAMPLE: &str = include_str!("../../tests/fixtures/feeds/list-sample.txt");
    const LIST_BAD: &str = include_str!("../../tests/fixtures/feeds/list-bad.txt");
    const CATALOG_SMALL: &str = include_str!("../../tests/fixtures/feeds/catalog-small.json");

    fn err_of(name: &str, text: &str) -> FeedError {
        match import_feed(name, text) {
            Ok(import) => panic!("expected an error, got {} entries", import.kept),
            Err(e) => e,
        }
    }

    fn ok_of(name: &str, text: &str) -> FeedImport {
        match import_feed(name, text) {
            Ok(import) => import,
            Err(e) => panic!("unexpected error: {e}"),
        }
    }

    /// A one-entry NVD feed around the given `cve` object body.
    fn nvd_one(cve_body: &str) -> String {
        format!("{{\"vulnerabilities\":[{{\"cve\":{{{cve_body}}}}}]}}")
    }

    fn sample_cve() -> Cve {
        Cve {
            id: "CVE-2021-44228".into(),
            cvss: 10.0,
            score_source: "nvd".into(),
            product: "Apache Log4j 2".into(),
            name: Some("Log4Shell".into()),
            class: ThreatClass::Rce,
            technique: "T1190".into(),
            tags: vec!["java".into(), "log4j".into()],
            indicators: vec!["${jndi:ldap://".into()],
        }
    }

    // --- the shipped catalog -----------------------------------------------------------------

    #[test]
    fn builtin_parses_with_nothing_dropped() {
        let import = ok_of("built-in catalog", BUILTIN_TEXT);
        assert_eq!(import.dropped_low_score, 0);
        assert!(
            import.dropped_unusable.is_empty(),
            "{:?}",
            import.dropped_unusable
        );
        let raw: Value = serde_json::from_str(BUILTIN_TEXT).unwrap();
        let in_file = raw["entries"].as_array().unwrap().len();
        assert_eq!(import.kept, in_file);
        assert_eq!(CveCatalog::builtin().len(), in_file);
        assert!(CveCatalog::builtin().len() >= 44);
    }

    #[test]
    fn builtin_entries_follow_the_rules() {
        let cat = CveCatalog::builtin();
        let mut ids = std::collections::BTreeSet::new();
        for c in cat.entries() {
            assert!(is_valid_cve_id(&c.id), "{}", c.id);
            assert!(ids.insert(c.id.clone()), "duplicate {}", c.id);
            assert!((MIN_CVSS..=10.0).contains(&c.cvss), "{} {}", c.id, c.cvss);
            assert!(
                c.score_source == "nvd" || c.score_source == "cna",
                "{}",
                c.id
            );
            assert!(!c.product.trim().is_empty(), "{}", c.id);
            assert!(is_valid_technique(&c.technique), "{} {}", c.id, c.technique);
            assert!(!c.tags.is_empty(), "{}", c.id);
            assert!(
                c.tags.iter().all(|t| is_known_tag(t)),
                "{} {:?}",
                c.id,
                c.tags
            );
            assert!((1..=3).contains(&c.indicators.len()), "{}", c.id);
            assert!(
                c.indicators.iter().all(|s| !s.trim().is_empty()),
                "{}",
                c.id
            );
            if let Some(name) = &c.name {
                assert!(!name.trim().is_empty(), "{}", c.id);
            }
        }
    }

    #[test]
    fn builtin_covers_every_class_at_least_five_times() {
        let cat = CveCatalog::builtin();
        for class in ThreatClass::ALL {
            let n = cat.by_class(class).count();
            assert!(n >= 5, "{class} has only {n} entries");
        }
    }

    #[test]
    fn builtin_covers_every_tag_and_the_core_tags_three_times() {
        let cat = CveCatalog::builtin();
        let count = |tag: &str| {
            cat.entries()
                .iter()
                .filter(|c| c.tags.iter().any(|t| t == tag))
                .count()
        };
        for tag in TAG_VOCABULARY {
            assert!(count(tag) >= 1, "tag {tag} is not covered");
        }
        for tag in [
            "linux",
            "java",
            "nginx",
            "postgres",
            "nodejs",
            "kubernetes",
            "vpn",
            "active-directory",
            "windows",
            "python",
        ] {
            assert!(count(tag) >= 3, "tag {tag} has only {} entries", count(tag));
        }
    }

    #[test]
    fn builtin_keeps_file_order_and_is_cached() {
        let cat = CveCatalog::builtin();
        assert_eq!(cat.entries()[0].id, "CVE-2021-44228");
        assert!(std::ptr::eq(cat, CveCatalog::builtin()));
        let raw: Value = serde_json::from_str(BUILTIN_TEXT).unwrap();
        let file_ids: Vec<&str> = raw["entries"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["id"].as_str().unwrap())
            .collect();
        let ids: Vec<&str> = cat.entries().iter().map(|c| c.id.as_str()).collect();
        assert_eq!(ids, file_ids);
    }

    #[test]
    fn builtin_spot_checks() {
        let cat = CveCatalog::builtin();
        let log4shell = cat.get("CVE-2021-44228").unwrap();
        assert_eq!(log4shell.cvss, 10.0);
        assert_eq!(log4shell.name.as_deref(), Some("Log4Shell"));
        assert_eq!(log4shell.class, ThreatClass::Rce);
        let bleed = cat.get("CVE-2023-4966").unwrap();
        assert_eq!(bleed.cvss, 7.5);
        assert_eq!(bleed.class, ThreatClass::DataExposure);
        assert!(cat.get("CVE-1999-0001").is_none());
    }

    #[test]
    fn builtin_file_format_header() {
        let raw: Value = serde_json::from_str(BUILTIN_TEXT).unwrap();
        assert_eq!(raw["format"], CATALOG_FORMAT);
        assert_eq!(raw["version"], CATALOG_VERSION);
    }

    // --- ThreatClass and catalog API -----------------------------------------------------------

    #[test]
    fn threat_class_names_and_indices() {
        for (i, class) in ThreatClass::ALL.into_iter().enumerate() {
            assert_eq!(class.index(), i);
            assert_eq!(ThreatClass::from_name(class.as_str()), Some(class));
            let json = serde_json::to_string(&class).unwrap();
            assert_eq!(json, format!("\"{}\"", class.as_str()));
            let back: ThreatClass = serde_json::from_str(&json).unwrap();
            assert_eq!(back, class);
            assert_eq!(class.to_string(), class.as_str());
        }
        assert_eq!(ThreatClass::from_name("RCE"), None);
        assert_eq!(
            ThreatClass::PrivilegeEscalation.as_str(),
            "privilege_escalation"
        );
    }

    #[test]
    fn matching_returns_entries_sharing_a_tag_in_order() {
        let cat = CveCatalog::builtin();
        let hits: Vec<&Cve> = cat.matching(&["postgres"]).collect();
        assert!(hits.len() >= 3);
        assert!(hits.iter().all(|c| c.tags.iter().any(|t| t == "postgres")));
        let both: Vec<&str> = cat
            .matching(&["redis", "grafana"])
            .map(|c| c.id.as_str())
            .collect();
        assert_eq!(both, ["CVE-2022-0543", "CVE-2021-43798"]);
        assert_eq!(cat.matching(&[]).count(), 0);
        assert_eq!(cat.matching(&["cobol"]).count(), 0);
    }

    #[test]
    fn cve_serde_round_trip() {
        let cve = sample_cve();
        let json = serde_json::to_string(&cve).unwrap();
        assert!(json.contains("\"class\":\"rce\""));
        let back: Cve = serde_json::from_str(&json).unwrap();
        assert_eq!(back, cve);
    }

    #[test]
    fn from_entries_accepts_a_valid_list() {
        let cat = CveCatalog::from_entries(vec![sample_cve()]).unwrap();
        assert_eq!(cat.len(), 1);
        assert!(!cat.is_empty());
        assert_eq!(cat.get("CVE-2021-44228").unwrap().product, "Apache Log4j 2");
    }

    #[test]
    fn from_entries_rejects_each_broken_rule() {
        let check = |mutate: &dyn Fn(&mut Vec<Cve>), location: &str, problem: &str| {
            let mut entries = vec![sample_cve()];
            mutate(&mut entries);
            let e = CveCatalog::from_entries(entries).unwrap_err();
            assert_eq!(e.source, "catalog");
            assert_eq!(e.location, location, "{e}");
            assert_eq!(e.problem, problem, "{e}");
        };
        check(&|v| v.clear(), "entries", "the catalog has no entries");
        check(
            &|v| v[0].id = "CVE-21-1".into(),
            "entries[0].id",
            "malformed CVE id \"CVE-21-1\"",
        );
        check(
            &|v| v.push(v[0].clone()),
            "entries[1].id",
            "duplicate CVE id \"CVE-2021-44228\" (first at entries[0])",
        );
        check(
            &|v| v[0].cvss = f64::NAN,
            "entries[0].cvss",
            "the CVSS base score is not a number (NaN)",
        );
        check(
            &|v| v[0].cvss = 10.5,
            "entries[0].cvss",
            "CVSS base score 10.5 is outside [0, 10]",
        );
        check(
            &|v| v[0].cvss = 5.0,
            "entries[0].cvss",
            "CVSS 5 is below the threshold 7.5",
        );
        check(
            &|v| v[0].score_source = "vendor".into(),
            "entries[0].score_source",
            "expected \"nvd\" or \"cna\", found \"vendor\"",
        );
        check(
            &|v| v[0].product = " ".into(),
            "entries[0].product",
            "the product is empty",
        );
        check(
            &|v| v[0].technique = "X1190".into(),
            "entries[0].technique",
            "malformed ATT&CK technique id \"X1190\"",
        );
        check(
            &|v| v[0].tags.clear(),
            "entries[0].tags",
            "no technology tags",
        );
        check(
            &|v| v[0].tags.push("cobol".into()),
            "entries[0].tags[2]",
            "unknown technology tag \"cobol\"",
        );
        check(
            &|v| v[0].tags.push("java".into()),
            "entries[0].tags[2]",
            "duplicate tag \"java\"",
        );
        check(
            &|v| v[0].indicators.clear(),
            "entries[0].indicators",
            "expected 1 to 3 indicators, found 0",
        );
        check(
            &|v| v[0].indicators = vec!["a".into(); 4],
            "entries[0].indicators",
            "expected 1 to 3 indicators, found 4",
        );
        check(
            &|v| v[0].indicators = vec![" ".into()],
            "entries[0].indicators[0]",
            "the indicator is empty",
        );
    }

    #[test]
    fn id_and_technique_shapes() {
        assert!(is_valid_cve_id("CVE-2021-44228"));
        assert!(is_valid_cve_id("CVE-2018-1002105"));
        assert!(is_valid_cve_id("CVE-2014-0160"));
        for bad in [
            "CVE-21-1",
            "CVE-2021-123",
            "cve-2021-44228",
            "CVE-2021-4422x",
            "CVE-20211-4422",
            "CVE-2021",
            "",
        ] {
            assert!(!is_valid_cve_id(bad), "{bad}");
        }
        assert!(is_valid_technique("T1190"));
        assert!(is_valid_technique("T1505.003"));
        for bad in ["T119", "T1505.3", "t1190", "T1190.", "1190"] {
            assert!(!is_valid_technique(bad), "{bad}");
        }
    }

    #[test]
    fn feed_error_display() {
        let e = FeedError {
            source: "feed.json".into(),
            location: "line 7".into(),
            problem: "oops".into(),
        };
        assert_eq!(e.to_string(), "feed.json: line 7: oops");
        let boxed: Box<dyn std::error::Error> = Box::new(e);
        assert_eq!(boxed.to_string(), "feed.json: line 7: oops");
    }

    // --- NVD 2.0 ---------------------------------------------------------------------------------

    #[test]
    fn nvd_sample_keeps_drops_and_explains() {
        let import = ok_of("nvd-sample.json", NVD_SAMPLE);
        let ids: Vec<&str> = import
            .catalog
            .entries()
            .iter()
            .map(|c| c.id.as_str())
            .collect();
        assert_eq!(ids, ["CVE-2021-44228", "CVE-2023-4966", "CVE-2024-3400"]);
        assert_eq!(import.kept, 3);
        assert_eq!(import.dropped_low_score, 1);
        assert_eq!(
            import.dropped_unusable,
            ["CVE-2025-0282 (vulnerabilities[4]): no CVSS v3.1, v3.0 or v4.0 base score in cve.metrics"]
        );
    }

    #[test]
    fn nvd_log4shell_from_cpe_and_cwe() {
        let import = ok_of("nvd-sample.json", NVD_SAMPLE);
        let c = import.catalog.get("CVE-2021-44228").unwrap();
        assert_eq!(c.cvss, 10.0);
        assert_eq!(c.score_source, "nvd");
        assert_eq!(c.tags, ["log4j", "java"]);
        assert_eq!(c.product, "Apache Log4j");
        // CWE-917 without the word "inject" in the text reads as code execution.
        assert_eq!(c.class, ThreatClass::Rce);
        assert_eq!(c.technique, "T1190");
        assert_eq!(c.name, None);
        assert_eq!(c.indicators.len(), 1);
    }

    #[test]
    fn nvd_prefers_nvd_metric_over_cna_primary() {
        // Citrix Bleed: the CNA says 9.4, NVD says 7.5; NVD's own score wins.
        let import = ok_of("nvd-sample.json", NVD_SAMPLE);
        let c = import.catalog.get("CVE-2023-4966").unwrap();
        assert_eq!(c.cvss, 7.5);
        assert_eq!(c.score_source, "nvd");
        assert_eq!(c.tags, ["citrix", "vpn"]);
        assert_eq!(c.class, ThreatClass::DataExposure);
    }

    #[test]
    fn nvd_cna_only_and_description_tags() {
        // PAN-OS: awaiting analysis, so only the CNA score and no configurations.
        let import = ok_of("nvd-sample.json", NVD_SAMPLE);
        let c = import.catalog.get("CVE-2024-3400").unwrap();
        assert_eq!(c.cvss, 10.0);
        assert_eq!(c.score_source, "cna");
        assert_eq!(c.tags, ["panos", "vpn"]);
        assert_eq!(c.class, ThreatClass::Injection);
        assert!(c.product.starts_with("A command injection vulnerability"));
    }

    #[test]
    fn nvd_primary_before_secondary_without_nvd_metric() {
        let feed = nvd_one(
            r#""id":"CVE-2024-0001","metrics":{"cvssMetricV31":[
                {"source":"a@cna.example","type":"Secondary","cvssData":{"baseScore":7.0}},
                {"source":"b@cna.example","type":"Primary","cvssData":{"baseScore":8.5}}]},
               "configurations":[{"nodes":[{"cpeMatch":[{"vulnerable":true,"criteria":"cpe:2.3:a:redis:redis:7.0:*:*:*:*:*:*:*"}]}]}]"#,
        );
        let c = ok_of("f", &feed).catalog.entries()[0].clone();
        assert_eq!(c.cvss, 8.5);
        assert_eq!(c.score_source, "cna");
        assert_eq!(c.tags, ["redis"]);
        assert_eq!(c.product, "Redis");
    }

    #[test]
    fn nvd_version_order_v31_then_v30_then_v40() {
        let metrics = |body: &str| {
            nvd_one(&format!(
                r#""id":"CVE-2024-0002","descriptions":[{{"lang":"en","value":"Flaw in nginx."}}],"metrics":{{{body}}}"#
            ))
        };
        let v30_v40 = metrics(
            r#""cvssMetricV40":[{"source":"nvd@nist.gov","type":"Primary","cvssData":{"baseScore":9.3}}],
               "cvssMetricV30":[{"source":"nvd@nist.gov","type":"Primary","cvssData":{"baseScore":8.1}}]"#,
        );
        assert_eq!(ok_of("f", &v30_v40).catalog.entries()[0].cvss, 8.1);
        let v40_only = metrics(
            r#""cvssMetricV40":[{"source":"x@cna","type":"Secondary","cvssData":{"baseScore":9.3}}]"#,
        );
        let c = ok_of("f", &v40_only).catalog.entries()[0].clone();
        assert_eq!((c.cvss, c.score_source.as_str()), (9.3, "cna"));
        assert_eq!(c.tags, ["nginx"]);
        let all = metrics(
            r#""cvssMetricV40":[{"cvssData":{"baseScore":9.3}}],"cvssMetricV30":[{"cvssData":{"baseScore":8.1}}],
               "cvssMetricV31":[{"cvssData":{"baseScore":7.7}}],"cvssMetricV2":[{"cvssData":{"baseScore":10.0}}]"#,
        );
        assert_eq!(ok_of("f", &all).catalog.entries()[0].cvss, 7.7);
    }

    #[test]
    fn nvd_only_v2_is_unusable() {
        let feed = nvd_one(
            r#""id":"CVE-2010-1234","metrics":{"cvssMetricV2":[{"cvssData":{"baseScore":10.0}}]}"#,
        );
        let e = err_of("old.json", &feed);
        assert_eq!(e.location, "vulnerabilities");
        assert_eq!(
            e.problem,
            "no entries with CVSS >= 7.5 (0 below the threshold, 1 unusable)"
        );
    }

    #[test]
    fn nvd_without_known_tag_is_unusable() {
        let feed = format!(
            "{{\"vulnerabilities\":[{},{}]}}",
            r#"{"cve":{"id":"CVE-2024-0003","descriptions":[{"lang":"en","value":"A flaw in FooBar."}],
               "metrics":{"cvssMetricV31":[{"source":"nvd@nist.gov","type":"Primary","cvssData":{"baseScore":9.8}}]}}}"#,
            r#"{"cve":{"id":"CVE-2024-0004","descriptions":[{"lang":"en","value":"SQL injection in GitLab."}],
               "metrics":{"cvssMetricV31":[{"source":"nvd@nist.gov","type":"Primary","cvssData":{"baseScore":8.8}}]}}}"#
        );
        let import = ok_of("f", &feed);
        assert_eq!(import.kept, 1);
        assert_eq!(
            import.dropped_unusable,
            ["CVE-2024-0003 (vulnerabilities[0]): no CPE or description keyword maps to a known technology tag"]
        );
        let c = &import.catalog.entries()[0];
        assert_eq!(c.tags, ["gitlab"]);
        assert_eq!(c.class, ThreatClass::Injection);
    }

    #[test]
    fn nvd_class_guesses() {
        let class = |cwes: &[u32], text: &str| guess_class(cwes, &text.to_lowercase());
        assert_eq!(class(&[89], "whatever"), ThreatClass::Injection);
        assert_eq!(class(&[78], "OS command injection"), ThreatClass::Injection);
        assert_eq!(class(&[94], "remote code execution"), ThreatClass::Rce);
        assert_eq!(class(&[22], ""), ThreatClass::DataExposure);
        assert_eq!(class(&[200], ""), ThreatClass::DataExposure);
        assert_eq!(class(&[287], ""), ThreatClass::AuthBypass);
        assert_eq!(class(&[306], ""), ThreatClass::AuthBypass);
        assert_eq!(class(&[288], ""), ThreatClass::AuthBypass);
        assert_eq!(class(&[269], ""), ThreatClass::PrivilegeEscalation);
        assert_eq!(
            class(&[787, 125], "A local privilege escalation in pkexec"),
            ThreatClass::PrivilegeEscalation
        );
        assert_eq!(
            class(&[], "Sensitive information disclosure"),
            ThreatClass::DataExposure
        );
        assert_eq!(
            class(&[], "An authentication bypass vulnerability"),
            ThreatClass::AuthBypass
        );
        assert_eq!(class(&[787], "heap overflow"), ThreatClass::Rce);
    }

    #[test]
    fn nvd_cpe_tag_mapping() {
        let tags = |c: &str| parse_cpe(c, true).map(|i| i.tags).unwrap_or_default();
        assert_eq!(
            tags("cpe:2.3:a:apache:log4j:2.0:*:*:*:*:*:*:*"),
            ["log4j", "java"]
        );
        assert_eq!(
            tags("cpe:2.3:a:vmware:spring_framework:*:*:*:*:*:*:*:*"),
            ["spring", "java"]
        );
        assert_eq!(
            tags("cpe:2.3:a:vmware:vcenter_server:7.0:*:*:*:*:*:*:*"),
            ["vmware"]
        );
        assert_eq!(
            tags("cpe:2.3:o:microsoft:windows_server_2019:-:*:*:*:*:*:*:*"),
            ["windows"]
        );
        assert_eq!(
            tags("cpe:2.3:a:kubernetes:ingress-nginx:*:*:*:*:*:*:*:*"),
            ["kubernetes", "nginx"]
        );
        assert_eq!(
            tags("cpe:2.3:a:ejs:ejs:3.1.6:*:*:*:*:node.js:*:*"),
            ["nodejs"]
        );
        assert_eq!(
            tags("cpe:2.3:a:postgresql:postgresql:15.0:*:*:*:*:*:*:*"),
            ["postgres"]
        );
        assert!(tags("cpe:2.3:h:siemens:acuson_p300:-:*:*:*:*:*:*:*").is_empty());
        assert!(parse_cpe("not a cpe", true).is_none());
    }

    #[test]
    fn product_prefers_tagged_then_frequent_cpe() {
        let cpes: Vec<CpeInfo> = [
            "cpe:2.3:o:siemens:acuson_firmware:1:*:*:*:*:*:*:*",
            "cpe:2.3:o:siemens:acuson_firmware:2:*:*:*:*:*:*:*",
            "cpe:2.3:a:microsoft:server_message_block:1.0:*:*:*:*:*:*:*",
        ]
        .iter()
        .filter_map(|c| parse_cpe(c, true))
        .collect();
        assert_eq!(product_name(&cpes, ""), "Microsoft Server Message Block");
        assert_eq!(product_name(&cpes[..2], ""), "Siemens Acuson Firmware");
        assert_eq!(product_name(&[], ""), "unknown product");
        assert_eq!(pretty_product("gitlab", "gitlab"), "Gitlab");
    }

    #[test]
    fn word_matching_respects_boundaries() {
        assert!(contains_word("runs on java 17", "java"));
        assert!(!contains_word("a javascript bug", "java"));
        assert!(contains_word("fortios ssl-vpn", "vpn"));
        assert!(contains_word("node.js", "node.js"));
        assert!(!contains_word("smbus driver", "smb"));
        assert!(contains_word("é vpn é", "vpn"));
        assert!(!contains_word("abc", ""));
    }

    #[test]
    fn nvd_truncated_reports_line_and_column() {
        let e = err_of("nvd-truncated.json", NVD_TRUNCATED);
        assert_eq!(e.source, "nvd-truncated.json");
        assert_eq!(e.location, "line 229, column 69");
        assert_eq!(e.problem, "truncated JSON: EOF while parsing a string");
    }

    #[test]
    fn nvd_malformed_json_reports_position() {
        let e = err_of("f", "{\"vulnerabilities\": [1,]}");
        assert_eq!(e.location, "line 1, column 24");
        assert_eq!(e.problem, "malformed JSON: trailing comma");
    }

    #[test]
    fn nvd_wrong_types_name_the_path() {
        let cases: [(&str, &str, &str); 9] = [
            (
                r#"{"vulnerabilities":{}}"#,
                "vulnerabilities",
                "expected an array, found an object",
            ),
            (
                r#"{"vulnerabilities":[3]}"#,
                "vulnerabilities[0]",
                "expected an object, found the number 3",
            ),
            (
                r#"{"vulnerabilities":[{}]}"#,
                "vulnerabilities[0].cve",
                "missing field \"cve\"",
            ),
            (
                r#"{"vulnerabilities":[{"cve":{"id":7}}]}"#,
                "vulnerabilities[0].cve.id",
                "expected a string for the CVE id, found the number 7",
            ),
            (
                r#"{"vulnerabilities":[{"cve":{"id":"CVE-21-1"}}]}"#,
                "vulnerabilities[0].cve.id",
                "malformed CVE id \"CVE-21-1\"",
            ),
            (
                r#"{"vulnerabilities":[{"cve":{"id":"CVE-2024-0001","metrics":[]}}]}"#,
                "vulnerabilities[0].cve.metrics",
                "expected an object, found an array",
            ),
            (
                r#"{"vulnerabilities":[{"cve":{"id":"CVE-2024-0001","metrics":{"cvssMetricV31":[{"cvssData":{"baseScore":"high"}}]}}}]}"#,
                "vulnerabilities[0].cve.metrics.cvssMetricV31[0].cvssData.baseScore",
                "expected a number for the CVSS base score, found \"high\"",
            ),
            (
                r#"{"vulnerabilities":[{"cve":{"id":"CVE-2024-0001","metrics":{"cvssMetricV31":[{"cvssData":{"baseScore":12.5}}]}}}]}"#,
                "vulnerabilities[0].cve.metrics.cvssMetricV31[0].cvssData.baseScore",
                "CVSS base score 12.5 is outside [0, 10]",
            ),
            (
                r#"{"vulnerabilities":[{"cve":{"id":"CVE-2024-0001","metrics":{"cvssMetricV31":[{"cvssData":{}}]}}}]}"#,
                "vulnerabilities[0].cve.metrics.cvssMetricV31[0].cvssData.baseScore",
                "missing field \"baseScore\"",
            ),
        ];
        for (text, location, problem) in cases {
            let e = err_of("f", text);
            assert_eq!(
                (e.location.as_str(), e.problem.as_str()),
                (location, problem),
                "{text}"
            );
        }
    }

    #[test]
    fn nvd_duplicate_ids_are_an_error() {
        let one = r#"{"cve":{"id":"CVE-2024-0005"}}"#;
        let e = err_of("f", &format!("{{\"vulnerabilities\":[{one},{one}]}}"));
        assert_eq!(e.location, "vulnerabilities[1].cve.id");
        assert_eq!(
            e.problem,
            "duplicate CVE id \"CVE-2024-0005\" (first seen at vulnerabilities[0])"
        );
    }

    #[test]
    fn nvd_all_low_scores_is_an_error() {
        let feed = nvd_one(
            r#""id":"CVE-2021-44832","metrics":{"cvssMetricV31":[{"source":"nvd@nist.gov","cvssData":{"baseScore":6.6}}]}"#,
        );
        let e = err_of("low.json", &feed);
        assert_eq!(e.to_string(), "low.json: vulnerabilities: no entries with CVSS >= 7.5 (1 below the threshold, 0 unusable)");
    }

    #[test]
    fn json_of_unknown_shape_is_an_error() {
        let e = err_of("f", "[1, 2]");
        assert_eq!(e.location, "$");
        assert!(e.problem.starts_with("expected a JSON object"), "{e}");
        let e = err_of("f", "{\"hello\": 1}");
        assert_eq!(e.location, "$");
        assert!(e.problem.starts_with("JSON is neither an NVD"), "{e}");
    }

    // --- ztgym catalog format -------------------------------------------------------------------

    #[test]
    fn catalog_fixture_imports() {
        let import = ok_of("catalog-small.json", CATALOG_SMALL);
        assert_eq!(import.kept, 2);
        assert_eq!(import.dropped_low_score, 1);
        assert_eq!(
            import.dropped_unusable,
            ["CVE-2024-9999 (entries[3]): no known technology tag among \"cobol;mainframe\""]
        );
        let c = import.catalog.get("CVE-2021-44228").unwrap();
        assert_eq!(c, CveCatalog::builtin().get("CVE-2021-44228").unwrap());
        // Missing technique and indicators get class defaults; a missing source means NVD.
        let g = import.catalog.get("CVE-2023-22515").unwrap();
        assert_eq!(g.technique, "T1190");
        assert_eq!(g.indicators, ["admin session without login"]);
        assert_eq!(g.score_source, "nvd");
    }

    #[test]
    fn catalog_errors_name_the_field() {
        let entry = |body: &str| {
            format!("{{\"format\":\"ztgym-cve-catalog\",\"version\":1,\"entries\":[{{{body}}}]}}")
        };
        let base = r#""id":"CVE-2021-44228","product":"Log4j","class":"rce","tags":["java"]"#;
        let cases: Vec<(String, &str, &str)> = vec![
            (
                "{\"format\":\"other\",\"version\":1,\"entries\":[]}".into(),
                "format",
                "expected \"ztgym-cve-catalog\", found \"other\"",
            ),
            (
                "{\"format\":\"ztgym-cve-catalog\",\"version\":2,\"entries\":[]}".into(),
                "version",
                "unsupported catalog version 2 (this build reads version 1)",
            ),
            ("{\"format\":\"ztgym-cve-catalog\",\"version\":1}".into(), "entries", "missing field \"entries\""),
            (
                entry(&format!("{base},\"cvss\":\"high\"")),
                "entries[0].cvss",
                "expected a number for the CVSS base score, found \"high\"",
            ),
            (
                entry(r#""id":"CVE-21-1","cvss":9.0,"product":"x","class":"rce","tags":["java"]"#),
                "entries[0].id",
                "malformed CVE id \"CVE-21-1\"",
            ),
            (
                entry(&format!("{base},\"cvss\":9.0,\"class\":\"worm\"").replace("\"class\":\"rce\",", "")),
                "entries[0].class",
                "unknown threat class \"worm\" (expected one of rce, auth_bypass, injection, privilege_escalation, data_exposure)",
            ),
            (
                entry(&format!("{base},\"cvss\":9.0,\"technique\":\"T19\"")),
                "entries[0].technique",
                "malformed ATT&CK technique id \"T19\"",
            ),
            (
                entry(&format!("{base},\"cvss\":9.0,\"indicators\":[\"a\",\"b\",\"c\",\"d\"]")),
                "entries[0].indicators",
                "expected 1 to 3 indicators, found 4",
            ),
            (
                entry(&format!("{base},\"cvss\":9.0,\"score_source\":\"vendor\"")),
                "entries[0].score_source",
                "expected \"nvd\" or \"cna\", found \"vendor\"",
            ),
            (entry(&format!("{base},\"cvss\":-1")), "entries[0].cvss", "CVSS base score -1 is outside [0, 10]"),
            (
                entry(&format!("{base},\"cvss\":9.0,\"tags\":\"java\"").replace("\"tags\":[\"java\"],", "")),
                "entries[0].tags",
                "expected an array, found \"java\"",
            ),
        ];
        for (text, location, problem) in cases {
            let e = err_of("cat.json", &text);
            assert_eq!(
                (e.location.as_str(), e.problem.as_str()),
                (location, problem),
                "{text}"
            );
        }
    }

    #[test]
    fn catalog_duplicate_ids_are_an_error() {
        let one =
            r#"{"id":"CVE-2021-44228","cvss":10.0,"product":"x","class":"rce","tags":["java"]}"#;
        let text =
            format!("{{\"format\":\"ztgym-cve-catalog\",\"version\":1,\"entries\":[{one},{one}]}}");
        let e = err_of("cat.json", &text);
        assert_eq!(e.location, "entries[1].id");
        assert_eq!(
            e.problem,
            "duplicate CVE id \"CVE-2021-44228\" (first seen at entries[0])"
        );
    }

    // --- plain-text list ---------------------------------------------------------------------------

    #[test]
    fn list_sample_imports() {
        let import = ok_of("list-sample.txt", LIST_SAMPLE);
        let ids: Vec<&str> = import
            .catalog
            .entries()
            .iter()
            .map(|c| c.id.as_str())
            .collect();
        assert_eq!(
            ids,
            [
                "CVE-2021-44228",
                "CVE-2023-4966",
                "CVE-2021-4034",
                "CVE-2024-3400"
            ]
        );
        assert_eq!(import.dropped_low_score, 1);
        assert_eq!(
            import.dropped_unusable,
            [
                "CVE-2025-0282 (line 12): no CVSS base score",
                "CVE-2024-9999 (line 13): no known technology tag among \"cobol\"",
            ]
        );
        let pwnkit = import.catalog.get("CVE-2021-4034").unwrap();
        assert_eq!(pwnkit.class, ThreatClass::PrivilegeEscalation);
        assert_eq!(pwnkit.technique, "T1068");
        let bleed = import.catalog.get("CVE-2023-4966").unwrap();
        assert_eq!(bleed.class, ThreatClass::DataExposure);
        assert_eq!(bleed.tags, ["citrix", "vpn"]);
        let log4shell = import.catalog.get("CVE-2021-44228").unwrap();
        assert_eq!(log4shell.class, ThreatClass::Rce);
        assert_eq!(log4shell.product, "Apache Log4j 2");
        let panos = import.catalog.get("CVE-2024-3400").unwrap();
        // Lower-case id and class are accepted; unknown tags next to a known one are ignored.
        assert_eq!(panos.class, ThreatClass::Injection);
        assert_eq!(panos.tags, ["panos"]);
    }

    #[test]
    fn list_bad_reports_the_line() {
        let e = err_of("list-bad.txt", LIST_BAD);
        assert_eq!(
            e.to_string(),
            "list-bad.txt: line 7: expected a number for the CVSS base score, found \"high\""
        );
    }

    #[test]
    fn list_line_errors() {
        let cases: [(&str, &str, &str); 9] = [
            ("CVE-21-1,9.8,x,linux", "line 1", "malformed CVE id \"CVE-21-1\""),
            ("CVE-2021-44228,9.8,x", "line 1", "expected 4 or 5 comma-separated fields (\"CVE-2021-44228,10.0,Apache Log4j 2,java;log4j[,rce]\"), found 3"),
            ("CVE-2021-44228,NaN,x,linux", "line 1", "the CVSS base score is not a number (NaN)"),
            ("CVE-2021-44228,11,x,linux", "line 1", "CVSS base score 11 is outside [0, 10]"),
            ("CVE-2021-44228,inf,x,linux", "line 1", "CVSS base score inf is outside [0, 10]"),
            ("CVE-2021-44228,1e300,x,linux", "line 1", "CVSS base score 1e300 is outside [0, 10]"),
            ("CVE-2021-44228,9.8,x,linux,worm", "line 1", "unknown threat class \"worm\" (expected one of rce, auth_bypass, injection, privilege_escalation, data_exposure)"),
            ("CVE-2021-44228,9.8,,linux", "line 1", "the product of CVE-2021-44228 is empty"),
            ("# header\n\nCVE-2021-44228,9.8,x,linux\ncve-2021-44228,9.8,x,linux", "line 4", "duplicate CVE id \"CVE-2021-44228\" (first seen at line 3)"),
        ];
        for (text, location, problem) in cases {
            let e = err_of("l.txt", text);
            assert_eq!(
                (e.location.as_str(), e.problem.as_str()),
                (location, problem),
                "{text}"
            );
        }
    }

    #[test]
    fn list_detection_and_empty_files() {
        let e = err_of("notes.txt", "hello world\nCVE-2021-44228,9.8,x,linux");
        assert_eq!(e.location, "line 1");
        assert_eq!(
            e.problem,
            "not JSON and not a CVE list: expected a line like \"CVE-2021-44228,10.0,Apache Log4j 2,java;log4j[,rce]\", found \"hello world\""
        );
        assert_eq!(
            err_of("e.txt", "").to_string(),
            "e.txt: file: the file is empty"
        );
        assert_eq!(err_of("e.txt", " \n\t\n").location, "file");
        assert_eq!(
            err_of("c.txt", "# only a comment\n\n").to_string(),
            "c.txt: file: the file has no entries (only comments and blank lines)"
        );
        let e = err_of("low.txt", "CVE-2021-44832,6.6,Apache Log4j 2,java");
        assert_eq!(
            e.to_string(),
            "low.txt: file: no entries with CVSS >= 7.5 (1 below the threshold, 0 unusable)"
        );
    }

    #[test]
    fn list_accepts_bom_and_crlf() {
        let import = ok_of(
            "w.txt",
            "\u{feff}# exported\r\nCVE-2021-44228,10.0,Apache Log4j 2,java;log4j,rce\r\n",
        );
        assert_eq!(import.kept, 1);
        assert_eq!(import.catalog.entries()[0].tags, ["java", "log4j"]);
    }

    // --- robustness ------------------------------------------------------------------------------

    #[test]
    fn no_panic_on_odd_inputs() {
        let inputs = [
            "{",
            "[",
            "}",
            "{\"vulnerabilities\":null}",
            "{\"vulnerabilities\":[{\"cve\":{\"id\":\"CVE-2024-0001\",\"metrics\":{\"cvssMetricV31\":[]}}}]}",
            "{\"vulnerabilities\":[{\"cve\":{\"id\":\"CVE-2024-0001\",\"configurations\":[{\"nodes\":[{\"cpeMatch\":[{\"criteria\":\"cpe\"}]}]}]}}]}",
            "{\"format\":\"ztgym-cve-catalog\",\"version\":1,\"entries\":[null, 1, \"x\"]}",
            "CVE-",
            "CVE-2021-44228,,,,",
            "CVE-2021-44228,9.8,é,linux;;;,",
            "\u{feff}",
            "CVE-2021-44228,1e400,x,linux",
            "{\"vulnerabilities\":[{\"cve\":{\"id\":\"CVE-2024-0001\",\"descriptions\":[{\"lang\":\"en\",\"value\":\"éé vpn ßß\"}],\"metrics\":{\"cvssMetricV31\":[{\"cvssData\":{\"baseScore\":1e308}}]}}}]}",
        ];
        for text in inputs {
            let _ = import_feed("odd", text);
        }
        let deep = "[".repeat(10_000);
        assert!(import_feed("deep", &deep).is_err());
        let long = format!("CVE-2021-44228,{}x,x,linux", "9".repeat(500));
        let e = err_of("long", &long);
        assert!(e.problem.ends_with("…\""), "{e}");
    }

    #[test]
    fn import_is_deterministic() {
        assert_eq!(import_feed("a", NVD_SAMPLE), import_feed("a", NVD_SAMPLE));
        assert_eq!(import_feed("a", LIST_SAMPLE), import_feed("a", LIST_SAMPLE));
    }
}
