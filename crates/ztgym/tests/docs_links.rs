//! Every link between the docs resolves: each relative Markdown link and image in README.md and
//! docs/src/**/*.md names a file that exists, each `#anchor` a heading of its target (slugs as
//! GitHub and mdBook make them), links in the book stay inside docs/src (the only folder mdBook
//! serves), and docs/src/SUMMARY.md lists every chapter and only chapters that exist. External
//! links (http, https, mailto) are not checked. Building the book itself is not part of the test
//! command; this test is.

use std::collections::{BTreeSet, HashMap};
use std::fs;
use std::path::{Component, Path, PathBuf};

const BOOK_SRC: &str = "docs/src";
const SUMMARY: &str = "docs/src/SUMMARY.md";

/// The repository's root, two folders above this crate.
fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The Markdown files checked, relative to `root`: README.md and the book's sources.
fn markdown_files(root: &Path) -> Vec<PathBuf> {
    let mut files = vec![PathBuf::from("README.md")];
    let mut folders = vec![PathBuf::from(BOOK_SRC)];
    while let Some(folder) = folders.pop() {
        let entries = fs::read_dir(root.join(&folder))
            .unwrap_or_else(|e| panic!("{}: {e}", folder.display()));
        for entry in entries {
            let path = folder.join(entry.expect("a folder entry").file_name());
            if root.join(&path).is_dir() {
                folders.push(path);
            } else if path.extension().is_some_and(|x| x == "md") {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

/// A file's text with fenced code blocks and inline code spans blanked out (newlines kept, so
/// offsets still give line numbers): links and headings are never read inside code.
fn without_code(text: &str) -> String {
    let mut prose = String::with_capacity(text.len());
    let mut in_fence = false;
    for line in text.split_inclusive('\n') {
        let fence = line.trim_start().starts_with("```");
        if fence || in_fence {
            prose.extend(line.chars().map(|c| if c == '\n' { '\n' } else { ' ' }));
        } else {
            prose.push_str(line);
        }
        if fence {
            in_fence = !in_fence;
        }
    }
    blank_code_spans(&prose)
}

/// Blanks every code span: a run of backticks up to the next run of the same length (a span
/// may cross lines within a paragraph); a run with no partner is left as text.
fn blank_code_spans(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = chars.clone();
    let run_at = |i: usize| chars[i..].iter().take_while(|&&c| c == '`').count();
    let mut i = 0;
    while i < chars.len() {
        if chars[i] != '`' {
            i += 1;
            continue;
        }
        let run = run_at(i);
        let mut j = i + run;
        let mut close = None;
        while j < chars.len() {
            if chars[j] == '`' {
                let other = run_at(j);
                if other == run {
                    close = Some(j);
                    break;
                }
                j += other;
            } else {
                j += 1;
            }
        }
        match close {
            Some(j) => {
                for c in &mut out[i..j + run] {
                    if *c != '\n' {
                        *c = ' ';
                    }
                }
                i = j + run;
            }
            None => i += run,
        }
    }
    out.into_iter().collect()
}

/// A heading's anchor as GitHub and mdBook write it: lowercase, whitespace to '-', letters,
/// digits, '-' and '_' kept, every other character dropped.
fn slug(heading: &str) -> String {
    heading
        .trim()
        .chars()
        .filter_map(|c| {
            if c.is_whitespace() {
                Some('-')
            } else if c.is_alphanumeric() || c == '-' || c == '_' {
                Some(c.to_ascii_lowercase())
            } else {
                None
            }
        })
        .collect()
}

/// The anchors of a file's headings, a repeated one numbered as GitHub and mdBook number it
/// (`x`, `x-1`, `x-2`). Backticks are dropped, their text kept.
fn anchors(text: &str) -> BTreeSet<String> {
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut anchors = BTreeSet::new();
    let mut in_fence = false;
    for line in text.lines() {
        if line.trim_start().starts_with("```") {
            in_fence = !in_fence;
            continue;
        }
        let hashes = line.chars().take_while(|&c| c == '#').count();
        if in_fence || !(1..=6).contains(&hashes) || !line[hashes..].starts_with(' ') {
            continue;
        }
        let base = slug(&line[hashes..].replace('`', ""));
        let count = seen.entry(base.clone()).or_insert(0);
        anchors.insert(match *count {
            0 => base,
            n => format!("{base}-{n}"),
        });
        *count += 1;
    }
    anchors
}

/// Every inline link's and image's target in a file, with its line number.
fn links(text: &str) -> Vec<(usize, String)> {
    let prose = without_code(text);
    let mut found = Vec::new();
    let mut rest = prose.as_str();
    let mut offset = 0;
    while let Some(at) = rest.find("](") {
        let start = at + 2;
        let Some(len) = rest[start..].find(')') else {
            break;
        };
        let inner = rest[start..start + len].trim();
        // `[x](target "title")`, `[x](<target>)`
        let target = inner.split_whitespace().next().unwrap_or("");
        let target = target.trim_start_matches('<').trim_end_matches('>');
        let line = prose[..offset + at].matches('\n').count() + 1;
        found.push((line, target.to_string()));
        offset += start + len;
        rest = &rest[start + len..];
    }
    found
}

fn is_external(target: &str) -> bool {
    ["http://", "https://", "mailto:"]
        .iter()
        .any(|scheme| target.starts_with(scheme))
}

/// `a/b/../c` as `a/c`; `None` when it climbs out of the repository.
fn normalize(path: &Path) -> Option<PathBuf> {
    let mut parts: Vec<Component> = Vec::new();
    for part in path.components() {
        match part {
            Component::CurDir => {}
            Component::ParentDir => {
                parts.pop()?;
            }
            other => parts.push(other),
        }
    }
    Some(parts.iter().collect())
}

/// Every problem with the links of the docs under `root`, one line each.
fn problems(root: &Path) -> Vec<String> {
    let files = markdown_files(root);
    let texts: HashMap<PathBuf, String> = files
        .iter()
        .map(|f| {
            let text =
                fs::read_to_string(root.join(f)).unwrap_or_else(|e| panic!("{}: {e}", f.display()));
            (f.clone(), text)
        })
        .collect();
    let mut problems = Vec::new();
    for file in &files {
        let folder = file.parent().unwrap_or(Path::new(""));
        for (line, target) in links(&texts[file]) {
            let at = format!("{}:{line}: ({target})", file.display());
            if target.is_empty() {
                problems.push(format!("{at}: an empty link"));
                continue;
            }
            if is_external(&target) {
                continue;
            }
            let (path, anchor) = match target.split_once('#') {
                Some((path, anchor)) => (path, Some(anchor)),
                None => (target.as_str(), None),
            };
            let linked = if path.is_empty() {
                Some(file.clone())
            } else {
                normalize(&folder.join(path))
            };
            let Some(linked) = linked else {
                problems.push(format!("{at}: climbs out of the repository"));
                continue;
            };
            if file.starts_with(BOOK_SRC) && !linked.starts_with(BOOK_SRC) {
                problems.push(format!("{at}: the book links outside {BOOK_SRC}"));
                continue;
            }
            if !root.join(&linked).exists() {
                problems.push(format!("{at}: no such file {}", linked.display()));
                continue;
            }
            if let Some(anchor) = anchor {
                let text = texts.get(&linked).cloned().or_else(|| {
                    let is_md = linked.extension().is_some_and(|x| x == "md");
                    is_md.then(|| fs::read_to_string(root.join(&linked)).unwrap_or_default())
                });
                match text {
                    Some(text) if anchors(&text).contains(anchor) => {}
                    Some(_) => problems.push(format!(
                        "{at}: no heading #{anchor} in {}",
                        linked.display()
                    )),
                    None => {
                        problems.push(format!("{at}: an anchor into a file that is not Markdown"))
                    }
                }
            }
        }
    }
    problems.extend(summary_problems(&files, &texts));
    problems
}

/// SUMMARY.md lists every chapter once, and nothing else.
fn summary_problems(files: &[PathBuf], texts: &HashMap<PathBuf, String>) -> Vec<String> {
    let summary = PathBuf::from(SUMMARY);
    let Some(text) = texts.get(&summary) else {
        return vec![format!("{SUMMARY}: missing")];
    };
    let mut problems = Vec::new();
    let mut listed = BTreeSet::new();
    for (line, target) in links(text) {
        if target.contains('#') || is_external(&target) {
            problems.push(format!(
                "{SUMMARY}:{line}: ({target}): an entry must be a chapter file"
            ));
        } else if let Some(path) = normalize(&Path::new(BOOK_SRC).join(&target)) {
            if !listed.insert(path) {
                problems.push(format!("{SUMMARY}:{line}: ({target}): listed twice"));
            }
        }
    }
    for file in files {
        if file.starts_with(BOOK_SRC) && *file != summary && !listed.contains(file) {
            problems.push(format!(
                "{}: a chapter {SUMMARY} does not list",
                file.display()
            ));
        }
    }
    problems
}

#[test]
fn every_link_of_the_readme_and_the_book_resolves() {
    let problems = problems(&repo_root());
    assert!(
        problems.is_empty(),
        "broken links:\n{}",
        problems.join("\n")
    );
}

#[test]
fn slugs_are_those_of_github_and_mdbook() {
    assert_eq!(
        slug("Use case 2: pod security (harden)"),
        "use-case-2-pod-security-harden"
    );
    assert_eq!(
        slug("What was fixed from the seed (each marked FIX in triage.toml)"),
        "what-was-fixed-from-the-seed-each-marked-fix-in-triagetoml"
    );
    assert_eq!(
        slug("The page's size and first render"),
        "the-pages-size-and-first-render"
    );
    assert_eq!(slug("no_approved_ticket, -20"), "no_approved_ticket--20");
    let text = "# A\n## `Code` b\n```\n# not a heading\n```\n## A\n";
    let expected: BTreeSet<String> = ["a", "code-b", "a-1"].map(String::from).into();
    assert_eq!(anchors(text), expected);
}

#[test]
fn links_inside_code_are_not_links() {
    let text = "[a](x.md) `[b](y.md)` ``[c](`z`)`` and\n```\n[d](w.md)\n```\n![e](i.png \"t\")\n`a\nspan [f](v.md)`";
    let found: Vec<String> = links(text).into_iter().map(|(_, t)| t).collect();
    assert_eq!(found, ["x.md", "i.png"]);
    assert_eq!(links(text)[1].0, 5);
}

/// The checker is able to fail: a small book with one of each mistake.
#[test]
fn broken_links_anchors_and_summary_entries_are_each_reported() {
    let root = std::env::temp_dir().join(format!("ztgym-docs-links-{}", std::process::id()));
    let _ = fs::remove_dir_all(&root);
    fs::create_dir_all(root.join("docs/src/part")).unwrap();
    let write = |path: &str, text: &str| fs::write(root.join(path), text).unwrap();
    write(
        "README.md",
        "[ok](docs/src/a.md#title) [gone](docs/src/gone.md) [web](https://example.org/x)",
    );
    write(
        "docs/src/SUMMARY.md",
        "- [A](a.md)\n- [Missing](missing.md)\n",
    );
    write(
        "docs/src/a.md",
        "# Title\n\n[up](../../README.md) [anchor](#no-such) [part](part/b.md#b) ![img](img.png)",
    );
    write("docs/src/part/b.md", "# B\n");
    let found = problems(&root);
    fs::remove_dir_all(&root).unwrap();
    let expected = [
        "README.md:1: (docs/src/gone.md): no such file docs/src/gone.md",
        "docs/src/a.md:3: (../../README.md): the book links outside docs/src",
        "docs/src/a.md:3: (#no-such): no heading #no-such in docs/src/a.md",
        "docs/src/a.md:3: (img.png): no such file docs/src/img.png",
        "docs/src/SUMMARY.md:2: (missing.md): no such file docs/src/missing.md",
        "docs/src/part/b.md: a chapter docs/src/SUMMARY.md does not list",
    ];
    for problem in expected {
        assert!(
            found.iter().any(|f| f == problem),
            "not reported: {problem}\nfound:\n{}",
            found.join("\n")
        );
    }
    assert_eq!(found.len(), expected.len(), "found:\n{}", found.join("\n"));
}
