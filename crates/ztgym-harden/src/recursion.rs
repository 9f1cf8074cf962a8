//! Rego forbids recursion (OPA refuses a policy whose rules depend on themselves, "rule is
//! recursive"), but regorus does not check it: its evaluators recurse until the stack
//! overflows, which aborts the process (the CLI) or takes the page down. So
//! [`crate::rego::Policy::load`] refuses a recursive policy before any evaluator sees it: rules are read from the text (each top-level head and the
//! lines under it), each rule's references to the package's rules collected (outside strings
//! and comments; `data.PKG.rule` too), and a cycle reported with the place of its first rule.

use std::collections::BTreeMap;

/// The first cycle among the policy's rules: the line of its first rule's head and the cycle
/// (`f -> g -> f`).
pub fn recursive_rule(text: &str) -> Option<(u32, String)> {
    let rules = read_rules(text);
    let names: Vec<&str> = rules.iter().map(|r| r.name.as_str()).collect();
    let package = package_of(text);
    // Each rule name: where it is first defined, and every rule any of its definitions uses.
    let mut graph: BTreeMap<&str, (u32, Vec<&str>)> = BTreeMap::new();
    for r in &rules {
        let entry = graph.entry(r.name.as_str()).or_insert((r.line, Vec::new()));
        for used in references(&r.body, package.as_deref()) {
            if let Some(n) = names.iter().find(|n| **n == used) {
                if !entry.1.contains(n) {
                    entry.1.push(n);
                }
            }
        }
    }
    // Depth-first, in the order the rules are written.
    let mut done: Vec<&str> = Vec::new();
    for r in &rules {
        let mut path = Vec::new();
        if let Some(cycle) = visit(r.name.as_str(), &graph, &mut path, &mut done) {
            let line = graph.get(cycle[0]).map_or(r.line, |e| e.0);
            return Some((line, cycle.join(" -> ")));
        }
    }
    None
}

fn visit<'a>(
    name: &'a str,
    graph: &BTreeMap<&'a str, (u32, Vec<&'a str>)>,
    path: &mut Vec<&'a str>,
    done: &mut Vec<&'a str>,
) -> Option<Vec<&'a str>> {
    if let Some(at) = path.iter().position(|n| *n == name) {
        let mut cycle = path[at..].to_vec();
        cycle.push(name);
        return Some(cycle);
    }
    if done.contains(&name) {
        return None;
    }
    path.push(name);
    for next in graph.get(name).map(|e| e.1.as_slice()).unwrap_or(&[]) {
        if let Some(cycle) = visit(next, graph, path, done) {
            return Some(cycle);
        }
    }
    path.pop();
    done.push(name);
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
    use crate::sre_gate::SRE_GATE;

    #[test]
    fn self_and_mutual_recursion_are_found_at_their_first_rule() {
        let text = "package p\n\nallow if f(1)\n\nf(x) if f(x)\n";
        assert_eq!(recursive_rule(text), Some((5, "f -> f".to_string())));
        let text = "package p\n\nallow if a\n\na if {\n\tb\n}\n\nb if data.p.a\n";
        assert_eq!(recursive_rule(text), Some((5, "a -> b -> a".to_string())));
    }

    #[test]
    fn the_shipped_policies_are_not_recursive() {
        assert_eq!(recursive_rule(SRE_GATE), None);
        let mut seen = 0;
        for dir in std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios"))
            .into_iter()
            .flatten()
            .flatten()
        {
            for f in std::fs::read_dir(dir.path())
                .into_iter()
                .flatten()
                .flatten()
            {
                if f.path().extension().is_some_and(|e| e == "rego") {
                    let text = std::fs::read_to_string(f.path()).unwrap();
                    assert_eq!(recursive_rule(&text), None, "{}", f.path().display());
                    seen += 1;
                }
            }
        }
        assert!(seen >= 10, "the scenarios' policies were read ({seen})");
    }

    #[test]
    fn names_in_strings_comments_and_other_paths_are_not_references() {
        let text = "package p\n\n# allow uses allow\nallow if {\n\tinput.allow\n\tx := \"allow\"\n\tdata.q.allow\n}\n";
        assert_eq!(recursive_rule(text), None);
    }
}
