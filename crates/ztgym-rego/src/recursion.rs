//! Rego forbids recursion (OPA refuses a policy whose rules depend on themselves, "rule is
//! recursive"), but regorus does not check it: its evaluators recurse until the stack
//! overflows, which aborts the process (the CLI) or takes the page down. So
//! [`crate::Policy::load`] refuses a recursive policy before any evaluator sees it: rules are read from the text (each top-level head and the
//! lines under it), each rule's references to the package's rules collected (outside strings
//! and comments; `data.PKG.rule` too), and a cycle reported with the place of its first rule.
//! A chain without a cycle but longer than [`crate::bounds::MAX_RULE_DEPTH`] rules is
//! refused too ([`longest_chain`]): evaluating it would still overflow the stack.

use std::collections::{BTreeMap, BTreeSet};

/// Each rule name: the line where it is first defined, and every rule its definitions use.
type Graph<'a> = BTreeMap<&'a str, (u32, Vec<&'a str>)>;

/// The first cycle among the policy's rules: the line of its first rule's head and the cycle
/// (`f -> g -> f`).
pub fn recursive_rule(text: &str) -> Option<(u32, String)> {
    let rules = read_rules(text);
    let graph = graph(&rules, package_of(text).as_deref());
    // Depth-first, in the order the rules are written.
    let mut done = BTreeSet::new();
    for r in &rules {
        if let Some(cycle) = cycle_from(r.name.as_str(), &graph, &mut done) {
            let line = graph.get(cycle[0]).map_or(r.line, |e| e.0);
            return Some((line, cycle.join(" -> ")));
        }
    }
    None
}

/// The rule starting the longest chain of rules depending on one another (the first in the
/// text's order among equals): its line, its name and the chain's length. Call on a policy
/// without cycles.
pub fn longest_chain(text: &str) -> Option<(u32, String, usize)> {
    let rules = read_rules(text);
    let graph = graph(&rules, package_of(text).as_deref());
    let mut depth: BTreeMap<&str, usize> = BTreeMap::new();
    let mut longest: Option<(u32, String, usize)> = None;
    for r in &rules {
        // Post-order with a work list: a rule's depth once its dependencies' are known.
        let mut stack = vec![r.name.as_str()];
        while let Some(&name) = stack.last() {
            if depth.contains_key(name) {
                stack.pop();
                continue;
            }
            let uses = graph.get(name).map(|e| e.1.as_slice()).unwrap_or(&[]);
            let pending: Vec<&str> = uses
                .iter()
                .copied()
                .filter(|u| !depth.contains_key(u))
                .collect();
            if pending.is_empty() {
                let below = uses.iter().filter_map(|u| depth.get(u)).max();
                depth.insert(name, 1 + below.copied().unwrap_or(0));
                stack.pop();
            } else {
                stack.extend(pending);
            }
        }
        let d = depth.get(r.name.as_str()).copied().unwrap_or(1);
        if longest.as_ref().is_none_or(|l| d > l.2) {
            longest = Some((r.line, r.name.clone(), d));
        }
    }
    longest
}

fn graph<'a>(rules: &'a [Rule], package: Option<&str>) -> Graph<'a> {
    let names: BTreeSet<&str> = rules.iter().map(|r| r.name.as_str()).collect();
    let mut graph: Graph = BTreeMap::new();
    for r in rules {
        let entry = graph.entry(r.name.as_str()).or_insert((r.line, Vec::new()));
        let arguments = arguments(&r.body);
        for used in references(&r.body, package) {
            if arguments.contains(&used) {
                continue; // a function's argument, not the rule of that name
            }
            if let Some(n) = names.get(used.as_str()) {
                if !entry.1.contains(n) {
                    entry.1.push(n);
                }
            }
        }
    }
    graph
}

/// A cycle reachable from `start`, depth-first with a work list (a chain of thousands of
/// rules must not overflow this check's own stack).
fn cycle_from<'a>(
    start: &'a str,
    graph: &Graph<'a>,
    done: &mut BTreeSet<&'a str>,
) -> Option<Vec<&'a str>> {
    if done.contains(start) {
        return None;
    }
    let mut path: Vec<(&str, usize)> = vec![(start, 0)];
    let mut on_path: BTreeSet<&str> = BTreeSet::from([start]);
    while let Some(&(name, next)) = path.last() {
        let used = graph.get(name).and_then(|e| e.1.get(next)).copied();
        if let Some(top) = path.last_mut() {
            top.1 += 1;
        }
        match used {
            None => {
                done.insert(name);
                on_path.remove(name);
                path.pop();
            }
            Some(n) if on_path.contains(n) => {
                let at = path.iter().position(|(m, _)| *m == n).unwrap_or(0);
                let mut cycle: Vec<&str> = path[at..].iter().map(|(m, _)| *m).collect();
                cycle.push(n);
                return Some(cycle);
            }
            Some(n) if !done.contains(n) => {
                on_path.insert(n);
                path.push((n, 0));
            }
            Some(_) => {}
        }
    }
    None
}

struct Rule {
    name: String,
    line: u32,
    body: String,
}

/// Top-level rules: a line starting (at its first column) with a name begins one, and the
/// lines after it, up to the next, are its body.
fn read_rules(text: &str) -> Vec<Rule> {
    let mut rules: Vec<Rule> = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let code = strip(line);
        let head = code.strip_prefix("default ").unwrap_or(&code);
        let name: String = head
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect();
        let starts = head.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_');
        if starts && name != "package" && name != "import" {
            rules.push(Rule {
                line: i as u32 + 1,
                body: head[name.len()..].to_string(),
                name,
            });
        } else if starts {
            continue;
        } else if let Some(r) = rules.last_mut() {
            r.body.push('\n');
            r.body.push_str(&code);
        }
    }
    rules
}

/// The package's path (`ztgym.sre`).
fn package_of(text: &str) -> Option<String> {
    text.lines().find_map(|l| {
        let rest = strip(l).trim().strip_prefix("package ")?.trim().to_string();
        Some(rest)
    })
}

/// A line without its comment and with its string literals emptied.
fn strip(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut quote: Option<char> = None;
    let mut escaped = false;
    for c in line.chars() {
        match quote {
            Some(q) => {
                if escaped {
                    escaped = false;
                } else if c == '\\' && q == '"' {
                    escaped = true;
                } else if c == q {
                    quote = None;
                    out.push(c);
                }
            }
            None => match c {
                '#' => break,
                '"' | '`' => {
                    quote = Some(c);
                    out.push(c);
                }
                _ => out.push(c),
            },
        }
    }
    out
}

/// The names of a function's arguments (`f(x, y) := ...`, `foo["bar"](x) := ...`): the text
/// after the rule's name, past any `[...]` or `.name` of its reference, when it opens with `(`.
fn arguments(after_name: &str) -> Vec<String> {
    let mut rest = after_name;
    loop {
        rest = rest.trim_start();
        if let Some(r) = rest.strip_prefix('[') {
            match r.find(']') {
                Some(end) => rest = &r[end + 1..],
                None => return Vec::new(),
            }
        } else if let Some(r) = rest.strip_prefix('.') {
            let end = r
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .unwrap_or(r.len());
            rest = &r[end..];
        } else {
            break;
        }
    }
    let Some(inner) = rest.strip_prefix('(').and_then(|r| r.split(')').next()) else {
        return Vec::new();
    };
    inner
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .filter(|w| w.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_'))
        .map(str::to_string)
        .collect()
}

/// The names a body may refer to as rules: the first part of each dotted path not after a
/// dot, and the part after `data.PKG.`.
fn references(body: &str, package: Option<&str>) -> Vec<String> {
    let mut refs = Vec::new();
    let mut chars = body.char_indices().peekable();
    let bytes = body.as_bytes();
    while let Some((i, c)) = chars.next() {
        if !(c.is_ascii_alphabetic() || c == '_') {
            continue;
        }
        let mut end = i + 1;
        while let Some(&(j, d)) = chars.peek() {
            if d.is_ascii_alphanumeric() || d == '_' || d == '.' {
                end = j + 1;
                chars.next();
            } else {
                break;
            }
        }
        if i > 0 && bytes[i - 1] == b'.' {
            continue;
        }
        let path = body[i..end].trim_end_matches('.');
        let name = match (path.strip_prefix("data."), package) {
            (Some(rest), Some(p)) => match rest.strip_prefix(p).and_then(|r| r.strip_prefix('.')) {
                Some(r) => r,
                None => continue,
            },
            (Some(_), None) => continue,
            _ => path,
        };
        let first = name.split('.').next().unwrap_or("");
        if !first.is_empty() {
            refs.push(first.to_string());
        }
    }
    refs
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn self_and_mutual_recursion_are_found_at_their_first_rule() {
        let text = "package p\n\nallow if f(1)\n\nf(x) if f(x)\n";
        assert_eq!(recursive_rule(text), Some((5, "f -> f".to_string())));
        let text = "package p\n\nallow if a\n\na if {\n\tb\n}\n\nb if data.p.a\n";
        assert_eq!(recursive_rule(text), Some((5, "a -> b -> a".to_string())));
    }

    #[test]
    fn a_functions_arguments_are_not_the_rules_of_their_names() {
        // OPA's conformance case "regression/function refs and package extent".
        let text = "package test\n\nfoo[\"bar\"](x) := x + 1\n\nx := foo.bar(2)\n";
        assert_eq!(recursive_rule(text), None);
        let text = "package p\n\nf(y) := y\n\ny := f(1)\n";
        assert_eq!(recursive_rule(text), None);
        let text = "package p\n\nf(a) := g(a)\n\ng(b) := f(b)\n";
        assert_eq!(recursive_rule(text), Some((3, "f -> g -> f".to_string())));
    }

    #[test]
    fn names_in_strings_comments_and_other_paths_are_not_references() {
        let text = "package p\n\n# allow uses allow\nallow if {\n\tinput.allow\n\tx := \"allow\"\n\tdata.q.allow\n}\n";
        assert_eq!(recursive_rule(text), None);
    }
}
