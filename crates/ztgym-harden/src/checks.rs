//! A scenario file's every field checked before it plays: numbers finite and in range, CIDRs
//! parsed, names unique, every reference resolving, telemetry types known. A problem names its
//! field by path (`services[3].name`) and quotes the value (escaped and shortened, as
//! `ztgym_core::json` does for JSON files).

use crate::compliance::{CONTROL_ACTIONS, CONTROL_NEEDS};
use crate::pipeline::{PIPELINE_ACTIONS, PIPELINE_NEEDS};
use crate::scenario::file::{File, ACTIONS, TELEMETRY_TYPES};
use crate::tenant::{TENANT_ACTIONS, TENANT_NEEDS};
use crate::twin::{parse_cidr, POD_ACTIONS, WORKLOAD_NEEDS};
use crate::waf::{MAX_STRICTNESS, WAF_ACTIONS};
use serde_json::{Map, Value};
use std::collections::HashMap;
use ztgym_core::json::{index, join, quote, show, Checker};

/// The longest name (of the scenario or of a resource) and the longest description.
const NAME_MAX: usize = 200;
const DESCRIPTION_MAX: usize = 2000;
/// The largest `count_5m` a telemetry event may report, and the longest token lifetime a
/// change may set (a year, in minutes).
const COUNT_MAX: f64 = 1e6;
const TTL_MAX: u64 = 525_600;

/// Every problem of a parsed scenario file, in file order.
pub(crate) fn check(f: &File) -> Checker {
    let mut c = Checker::default();
    name(&mut c, "name", &f.name);
    if f.description.chars().count() > DESCRIPTION_MAX {
        c.problem(
            "description",
            format!("must be at most {DESCRIPTION_MAX} characters"),
        );
    }
    if f.max_cycles == 0 || f.max_cycles > 100_000 {
        c.problem(
            "max_cycles",
            format!("{} is not in 1..=100000", f.max_cycles),
        );
    }
    // The risk score is clamped to 0..=100: a target outside it is always or never met.
    in_range(&mut c, "target_risk", f.target_risk, 0.0, 100.0);
    if f.telemetry_window == 0 {
        c.problem("telemetry_window", "must be at least 1");
    }
    let d = &f.drift;
    for (k, p) in [
        ("exposure", d.exposure),
        ("attack", d.attack),
        ("creep", d.creep),
        ("posture", d.posture),
        ("signatures", d.signatures),
        ("leak", d.leak),
        ("probe", d.probe),
        ("config", d.config),
    ] {
        if !(0.0..=1.0).contains(&p) {
            c.problem(&join("drift", k), format!("{p:?} is not a probability"));
        }
    }
    for env in ["sandbox", "stage", "prod"] {
        match f.environments.get(env) {
            None => c.problem(&join("environments", env), "missing"),
            Some(s) => in_range(
                &mut c,
                &format!("environments.{env}.breakage_budget"),
                s.breakage_budget,
                0.0,
                1.0,
            ),
        }
    }
    for env in f.environments.keys() {
        if !["sandbox", "stage", "prod"].contains(&env.as_str()) {
            c.problem(
                &format!("environments.{}", key(env)),
                "not one of sandbox, stage, prod",
            );
        }
    }
    for (a, b) in &f.breakage {
        let path = format!("breakage.{}", key(a));
        if !ACTIONS.contains(&a.as_str()) {
            c.problem(&path, "not one of seed 001's seven actions");
        }
        in_range(&mut c, &path, *b, 0.0, 1.0);
    }
    kinds(&mut c, f);

    let services = names(
        &mut c,
        "services",
        f.services.iter().map(|s| s.name.as_str()),
    );
    let principals = names(
        &mut c,
        "principals",
        f.principals.iter().map(|p| p.name.as_str()),
    );
    if f.services.is_empty() || f.principals.is_empty() {
        c.problem("", "the twin needs at least one service and one principal");
    }
    for (i, s) in f.services.iter().enumerate() {
        let at = index("services", i);
        for (k, port) in s.ports.iter().enumerate() {
            if *port == 0 {
                c.problem(&index(&join(&at, "ports"), k), "0 is not a port");
            }
        }
        for (k, cidr) in s.cidrs.iter().enumerate() {
            self::cidr(&mut c, &index(&join(&at, "cidrs"), k), cidr);
        }
        if let Some(to) = &s.tighten_to {
            self::cidr(&mut c, &join(&at, "tighten_to"), to);
        }
    }
    let workloads = names(
        &mut c,
        "workloads",
        f.workloads.iter().map(|w| w.name.as_str()),
    );
    for (i, w) in f.workloads.iter().enumerate() {
        for (k, need) in w.needs.iter().enumerate() {
            // A capability it holds, or one of the settings it starts with.
            if !WORKLOAD_NEEDS.contains(&need.as_str()) && !w.capabilities.contains(need) {
                c.problem(
                    &format!("workloads[{i}].needs[{k}]"),
                    format!(
                        "{} is neither one of {} nor one of its capabilities",
                        quote(need),
                        WORKLOAD_NEEDS.join(", ")
                    ),
                );
            }
        }
    }
    let routes = names(&mut c, "waf", f.waf.iter().map(|r| r.route.as_str()));
    for (i, r) in f.waf.iter().enumerate() {
        if r.strictness > MAX_STRICTNESS || !(0.0..=10.0).contains(&r.attack) {
            c.problem(
                &index("waf", i),
                format!(
                    "strictness {} must be at most {MAX_STRICTNESS}, attack {:?} in 0..=10",
                    r.strictness, r.attack
                ),
            );
        }
        refers(
            &mut c,
            &format!("waf[{i}].service"),
            &r.service,
            &services,
            "service",
        );
    }
    let pipelines = names(
        &mut c,
        "pipelines",
        f.pipelines.iter().map(|p| p.name.as_str()),
    );
    for (i, p) in f.pipelines.iter().enumerate() {
        needs(&mut c, &index("pipelines", i), &p.needs, &PIPELINE_NEEDS);
    }
    let tenants = names(&mut c, "tenants", f.tenants.iter().map(|t| t.name.as_str()));
    for (i, t) in f.tenants.iter().enumerate() {
        let at = index("tenants", i);
        // A whole number: the tenants' risk terms are then whole, summed exactly.
        let n = t.cross_tenant_attempts;
        if !(0.0..=COUNT_MAX).contains(&n) || n.fract() != 0.0 {
            c.problem(
                &join(&at, "cross_tenant_attempts"),
                format!("{n:?} is not a count (a whole number in 0..={COUNT_MAX})"),
            );
        }
        needs(&mut c, &at, &t.needs, &TENANT_NEEDS);
    }
    let controls = names(
        &mut c,
        "controls",
        f.controls.iter().map(|x| x.name.as_str()),
    );
    for (i, x) in f.controls.iter().enumerate() {
        if x.tls_min > 3 {
            c.problem(
                &format!("controls[{i}].tls_min"),
                format!("1.{} is not a TLS version", x.tls_min),
            );
        }
        needs(&mut c, &index("controls", i), &x.needs, &CONTROL_NEEDS);
    }
    let known = Known {
        services,
        principals,
        workloads,
        routes,
        pipelines,
        tenants,
        controls,
    };
    telemetry(&mut c, f);
    for (a, p) in &f.params {
        params(&mut c, &format!("params.{}", key(a)), p, &known);
    }
    flows(&mut c, f, &known);
    c
}

/// The names of each resource kind, each with its position.
struct Known<'a> {
    services: HashMap<&'a str, usize>,
    principals: HashMap<&'a str, usize>,
    workloads: HashMap<&'a str, usize>,
    routes: HashMap<&'a str, usize>,
    pipelines: HashMap<&'a str, usize>,
    tenants: HashMap<&'a str, usize>,
    controls: HashMap<&'a str, usize>,
}

impl<'a> Known<'a> {
    /// The names a parameter or flow field refers to, and what they name.
    fn of(&self, field: &str) -> Option<(&HashMap<&'a str, usize>, &'static str)> {
        Some(match field {
            "service" => (&self.services, "service"),
            "principal" => (&self.principals, "principal"),
            "workload" => (&self.workloads, "workload"),
            "route" => (&self.routes, "WAF rule's route"),
            "pipeline" => (&self.pipelines, "pipeline"),
            "tenant" => (&self.tenants, "tenant"),
            "resource" | "control" => (&self.controls, "controlled resource"),
            _ => return None,
        })
    }
}

/// A twin holds one kind of resource beside its services and principals, and parameters go to
/// the actions it has.
fn kinds(c: &mut Checker, f: &File) {
    let present = [
        ("workloads", !f.workloads.is_empty(), &POD_ACTIONS[..]),
        ("waf", !f.waf.is_empty(), &WAF_ACTIONS[..]),
        ("pipelines", !f.pipelines.is_empty(), &PIPELINE_ACTIONS[..]),
        ("tenants", !f.tenants.is_empty(), &TENANT_ACTIONS[..]),
        ("controls", !f.controls.is_empty(), &CONTROL_ACTIONS[..]),
    ];
    let held: Vec<&str> = present.iter().filter(|k| k.1).map(|k| k.0).collect();
    if held.len() > 1 {
        c.problem(
            "",
            format!(
                "a twin has controls, tenants, pipelines, workloads or WAF rules, one kind only \
                 (found {})",
                held.join(" and ")
            ),
        );
    }
    let mut actions: Vec<&str> = ACTIONS.to_vec();
    for (_, has, more) in present {
        if has {
            actions.extend(more);
        }
    }
    for a in f.params.keys() {
        if !actions.contains(&a.as_str()) {
            c.problem(
                &format!("params.{}", key(a)),
                format!("not one of the actions ({})", actions.join(", ")),
            );
        }
    }
}

/// A table key in a path: bare when it is a plain word, else quoted (escaped, shortened).
fn key(k: &str) -> String {
    let plain = |c: char| c.is_ascii_alphanumeric() || c == '_' || c == '-';
    if !k.is_empty() && k.len() <= 64 && k.chars().all(plain) {
        k.to_string()
    } else {
        quote(k)
    }
}

/// A number in `lo..=hi` (NaN and the infinities are not).
fn in_range(c: &mut Checker, path: &str, x: f64, lo: f64, hi: f64) {
    if !(lo..=hi).contains(&x) {
        c.problem(path, format!("{x:?} is not in {lo}..={hi}"));
    }
}

/// A name: 1 to 200 characters, none of them a control character (it is shown in terminals,
/// reports and the page).
fn name(c: &mut Checker, path: &str, text: &str) -> bool {
    let problem = if text.is_empty() {
        "is empty"
    } else if text.chars().count() > NAME_MAX {
        "is longer than 200 characters"
    } else if text.chars().any(ztgym_core::text::is_unsafe) {
        "holds a control character"
    } else {
        return true;
    };
    c.problem(path, format!("{} {problem}", quote(text)));
    false
}

/// The names of a list of resources (`services[i].name`, `waf[i].route`), each a good name
/// and given once; the index of each.
fn names<'a>(
    c: &mut Checker,
    list: &str,
    items: impl Iterator<Item = &'a str>,
) -> HashMap<&'a str, usize> {
    let field = if list == "waf" { "route" } else { "name" };
    let mut seen = HashMap::new();
    for (i, n) in items.enumerate() {
        let path = format!("{list}[{i}].{field}");
        if !name(c, &path, n) {
            continue;
        }
        if let Some(first) = seen.insert(n, i) {
            seen.insert(n, first);
            c.problem(
                &path,
                format!("{} is named twice (first at {list}[{first}])", quote(n)),
            );
        }
    }
    seen
}

/// `value` names one of `known` (a `what`).
fn refers(c: &mut Checker, path: &str, value: &str, known: &HashMap<&str, usize>, what: &str) {
    if !known.contains_key(value) {
        c.problem(
            path,
            format!("{} names no {what} of the twin", quote(value)),
        );
    }
}

/// A resource's `needs`, each one of the words its kind knows.
fn needs(c: &mut Checker, at: &str, needs: &[String], known: &[&str]) {
    for (k, need) in needs.iter().enumerate() {
        if !known.contains(&need.as_str()) {
            c.problem(
                &format!("{at}.needs[{k}]"),
                format!("{} is not one of {}", quote(need), known.join(", ")),
            );
        }
    }
}

fn cidr(c: &mut Checker, path: &str, text: &str) {
    if parse_cidr(text).is_none() {
        c.problem(
            path,
            format!(
                "{} is not an IPv4 address or range (a.b.c.d or a.b.c.d/n)",
                quote(text)
            ),
        );
    }
}

/// No value anywhere in `v` came from a TOML `nan` or `inf` (read as null: TOML has no null).
fn finite(c: &mut Checker, path: &str, v: &Value) {
    match v {
        Value::Null => c.problem(path, "is not a finite number (NaN or infinite)"),
        Value::Array(a) => a
            .iter()
            .enumerate()
            .for_each(|(i, x)| finite(c, &index(path, i), x)),
        Value::Object(o) => o
            .iter()
            .for_each(|(k, x)| finite(c, &join(path, &key(k)), x)),
        _ => {}
    }
}

fn telemetry(c: &mut Checker, f: &File) {
    for (i, e) in f.telemetry.iter().enumerate() {
        let at = index("telemetry", i);
        name(c, &join(&at, "source"), &e.source);
        if !TELEMETRY_TYPES.contains(&e.kind.as_str()) {
            c.problem(
                &join(&at, "type"),
                format!(
                    "{} is not a telemetry type the twin knows ({})",
                    quote(&e.kind),
                    TELEMETRY_TYPES.join(", ")
                ),
            );
        }
        let payload = join(&at, "payload");
        for (k, v) in &e.payload {
            finite(c, &join(&payload, &key(k)), v);
        }
        // What the features read: failed authentications, anomaly scores, exposed ranges.
        number(c, &payload, &e.payload, "count_5m", COUNT_MAX);
        number(c, &payload, &e.payload, "score", 1.0);
        if let Some(v) = e.payload.get("cidr") {
            match v.as_str() {
                Some(text) => cidr(c, &join(&payload, "cidr"), text),
                None => c.problem(
                    &join(&payload, "cidr"),
                    format!("expected a string, found {}", show(v)),
                ),
            }
        }
    }
}

/// `obj.key`, when present, a number in 0..=max.
fn number(c: &mut Checker, base: &str, obj: &Map<String, Value>, key: &str, max: f64) {
    let Some(v) = obj.get(key).filter(|v| !v.is_null()) else {
        return;
    };
    match v.as_f64() {
        Some(x) if (0.0..=max).contains(&x) => {}
        Some(x) => c.problem(&join(base, key), format!("{x:?} is not in 0..={max}")),
        None => c.problem(
            &join(base, key),
            format!("expected a number, found {}", show(v)),
        ),
    }
}

/// An action's parameters: what the twin reads of them resolves (the rest is the policy's).
fn params(c: &mut Checker, at: &str, p: &Map<String, Value>, known: &Known) {
    for (k, v) in p {
        let path = join(at, &key(k));
        finite(c, &path, v);
        if let Some((names, what)) = known.of(k) {
            match v.as_str() {
                Some(text) => refers(c, &path, text, names, what),
                None => c.problem(
                    &path,
                    format!("expected a {what}'s name, found {}", show(v)),
                ),
            }
            continue;
        }
        match k.as_str() {
            "new_cidr" => match v.as_str() {
                Some(text) => cidr(c, &path, text),
                None => c.problem(&path, format!("expected a range, found {}", show(v))),
            },
            "new_ttl_mins" if !v.as_u64().is_some_and(|t| (1..=TTL_MAX).contains(&t)) => c.problem(
                &path,
                format!(
                    "{} is not a whole number of minutes in 1..={TTL_MAX}",
                    show(v)
                ),
            ),
            "permission" if !v.is_string() => {
                c.problem(&path, format!("expected a permission, found {}", show(v)))
            }
            _ => {}
        }
    }
}

fn flows(c: &mut Checker, f: &File, known: &Known) {
    let mut seen: HashMap<&str, usize> = HashMap::new();
    for (i, fl) in f.flows.iter().enumerate() {
        let at = index("flows", i);
        if name(c, &join(&at, "name"), &fl.name) {
            if let Some(first) = seen.insert(&fl.name, i) {
                seen.insert(&fl.name, first);
                c.problem(
                    &join(&at, "name"),
                    format!(
                        "{} is named twice (first at flows[{first}])",
                        quote(&fl.name)
                    ),
                );
            }
        }
        let targets = [
            ("service", &fl.service),
            ("principal", &fl.principal),
            ("workload", &fl.workload),
            ("route", &fl.route),
            ("pipeline", &fl.pipeline),
            ("tenant", &fl.tenant),
            ("control", &fl.control),
        ];
        for (field, value) in targets {
            if let (Some(v), Some((names, what))) = (value, known.of(field)) {
                refers(c, &join(&at, field), v, names, what);
            }
        }
        if targets.iter().all(|(_, v)| v.is_none()) {
            c.problem(
                &at,
                "names no target (a service, principal, workload, route, pipeline, tenant or \
                 control)",
            );
        }
        if fl.principal.is_some() != fl.permission.is_some() {
            c.problem(&at, "a principal and its permission go together");
        }
        match (&fl.from, &fl.service) {
            (Some(from), Some(_)) => cidr(c, &join(&at, "from"), from),
            (Some(_), None) => c.problem(&join(&at, "from"), "needs a service to reach"),
            _ => {}
        }
    }
}
