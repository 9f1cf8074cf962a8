#!/usr/bin/env python3
"""Find import circles between the modules of each crate (non-test code only).

A module is a file (`src/a.rs` or `src/a/mod.rs` is `a`, `src/a/b.rs` is `a::b`). An arrow
A -> B means code in A names an item that lives in B (`use crate::b::X`, `super::b::f()`,
`b::f()` for a child `b`), after following `pub use` re-exports to where the item is defined;
a `pub use` itself is no arrow (it only names). Test code (`#[cfg(test)]` items, `tests`
modules) and comments are skipped. Usage: scripts/check-layers.py [CRATE_DIR ...]
(default: every crates/* and the page's crate at the root). In the page, the generic layers
(shell/, play/, learning/) must name no module of envs/. Exit status 1 when a circle or such an
arrow is found.
"""
import re
import sys
from pathlib import Path


def strip(src):
    """The source without comments, string and char literals (kept as empty quotes)."""
    out, i, n = [], 0, len(src)
    while i < n:
        c = src[i]
        if src.startswith("//", i):
            j = src.find("\n", i)
            i = n if j < 0 else j
        elif src.startswith("/*", i):
            depth, i = 1, i + 2
            while i < n and depth:
                if src.startswith("/*", i):
                    depth, i = depth + 1, i + 2
                elif src.startswith("*/", i):
                    depth, i = depth - 1, i + 2
                else:
                    i += 1
        elif (m := re.match(r'b?r(#*)"', src[i:])) and (i == 0 or not (src[i - 1].isalnum() or src[i - 1] == "_")):
            end = '"' + m.group(1)
            j = src.find(end, i + m.end())
            out.append('""')
            i = n if j < 0 else j + len(end)
        elif c == '"':
            j = i + 1
            while j < n and src[j] != '"':
                j += 2 if src[j] == "\\" else 1
            out.append('""')
            i = j + 1
        elif c == "'" and (m := re.match(r"'(\\.[^']*|[^\\'])'", src[i:])):
            out.append("' '")
            i += m.end()
        else:
            out.append(c)
            i += 1
    return "".join(out)


def item_end(src, i):
    """Index just past the item starting at i: its `;` or its matching `}`."""
    depth = 0
    while i < len(src):
        if src[i] == "{":
            depth += 1
        elif src[i] == "}":
            depth -= 1
            if depth == 0:
                return i + 1
        elif src[i] == ";" and depth == 0:
            return i + 1
        i += 1
    return i


def drop_tests(src):
    """The source without `#[cfg(test)]` items; also the names of `mod x;` declared under it."""
    test_mods, out, i = set(), [], 0
    for m in re.finditer(r"#\[cfg\(test\)\]", src):
        if m.start() < i:
            continue
        out.append(src[i : m.start()])
        j = m.end()
        while (a := re.match(r"\s*#\[[^\]]*\]", src[j:])):  # further attributes
            j += a.end()
        if (d := re.match(r"\s*(?:pub(?:\([^)]*\))?\s+)?mod\s+(\w+)\s*;", src[j:])):
            test_mods.add(d.group(1))
        i = item_end(src, j)
    out.append(src[i:])
    return "".join(out), test_mods


def use_paths(tree):
    """Expand a use tree (`a::{b, c::{d, e as f}, self}`) into segment lists."""
    tree = re.sub(r"\s+", "", re.sub(r"\s+as\s+", "@", tree))

    def expand(prefix, t):
        if "{" not in t:
            parts = [p for p in t.split("::") if p]
            if parts and parts[-1] == "self":
                parts = parts[:-1]
            return [prefix + parts]
        head, rest = t.split("{", 1)
        body = rest[: rest.rfind("}")]
        base = prefix + [p for p in head.split("::") if p]
        items, depth, cur = [], 0, ""
        for ch in body:
            if ch == "," and depth == 0:
                items.append(cur)
                cur = ""
                continue
            depth += ch == "{"
            depth -= ch == "}"
            cur += ch
        items.append(cur)
        return [p for it in items if it for p in expand(base, it)]

    return expand([], tree)


class Crate:
    def __init__(self, root):
        self.root = root
        self.files = {}  # module path tuple -> cleaned source
        self.test_only = set()
        for f in sorted((root / "src").rglob("*.rs")):
            rel = f.relative_to(root / "src").with_suffix("").parts
            if rel[-1] in ("lib", "main", "mod"):
                rel = rel[:-1]
            if rel and rel[0] == "bin":
                continue
            src, test_mods = drop_tests(strip(f.read_text()))
            self.files[tuple(rel)] = src
            self.test_only |= {tuple(rel) + (t,) for t in test_mods}
        self.files = {
            m: s
            for m, s in self.files.items()
            if not any(m[: k + 1] in self.test_only for k in range(len(m)))
        }
        self.reexports = {m: {} for m in self.files}  # module -> name -> absolute path
        self.globs = {m: [] for m in self.files}
        self.defined = {m: set() for m in self.files}
        self.uses = {m: [] for m in self.files}  # (absolute path, is_pub)
        for m, src in self.files.items():
            named = []
            self.defined[m] = set(
                re.findall(r"\b(?:fn|struct|enum|trait|type|const|static|union|mod)\s+(\w+)", src)
            ) | set(re.findall(r"macro_rules!\s*(\w+)", src))
            for u in re.finditer(r"(\bpub(?:\([^)]*\))?\s+)?\buse\s+([^;]+);", src):
                is_pub = bool(u.group(1))
                for segs in use_paths(u.group(2)):
                    alias = None
                    if segs and (a := re.match(r"(\w+)@(\w+)$", segs[-1])):
                        segs = segs[:-1] + [a.group(1)]
                        alias = a.group(2)
                    path = self.absolute(m, segs)
                    if path is None:
                        continue
                    if is_pub:
                        if segs[-1] == "*":
                            self.globs[m].append(path[:-1])
                        else:
                            self.reexports[m][alias or segs[-1]] = path
                            named.append((alias or segs[-1], path))
                    else:
                        self.uses[m].append(path)
            code = re.sub(r"\buse\s+[^;]+;", "", src)
            # A re-export is no arrow, unless the module uses the item itself too.
            for word, path in named:
                if re.search(rf"\b{word}\b", code):
                    self.uses[m].append(path)
            for p in re.finditer(r"\b((?:crate|super|self)(?:::\w+)+)", code):
                path = self.absolute(m, p.group(1).split("::"))
                if path:
                    self.uses[m].append(path)
            children = {c[-1] for c in self.files if len(c) == len(m) + 1 and c[: len(m)] == m}
            for p in re.finditer(r"(?<![:\w])(\w+)((?:::\w+)+)", code):
                if p.group(1) in children:
                    self.uses[m].append(m + tuple(p.group(0).split("::")))

    def absolute(self, m, segs):
        """Segments of a path written in module m, made absolute (a tuple), or None if external."""
        if not segs:
            return None
        if segs[0] == "crate":
            return tuple(segs[1:])
        base = list(m)
        if segs[0] in ("self", "super"):
            while segs and segs[0] in ("self", "super"):
                if segs[0] == "super":
                    if not base:
                        return None
                    base.pop()
                segs = segs[1:]
            return tuple(base + segs)
        if tuple(base + [segs[0]]) in self.files:  # a child module named without `self::`
            return tuple(base + segs)
        return None

    def home(self, path, seen=0):
        """The module where the item at this absolute path is defined."""
        mod = ()
        for k in range(len(path)):
            if path[: k + 1] in self.files:
                mod = path[: k + 1]
            else:
                break
        rest = path[len(mod) :]
        if not rest or seen > 20:
            return mod
        name = rest[0]
        if name in self.reexports.get(mod, {}):
            return self.home(self.reexports[mod][name] + rest[1:], seen + 1)
        if name not in self.defined.get(mod, set()):
            for g in self.globs.get(mod, []):
                target = self.home(g + rest, seen + 1)
                if target != g or name in self.defined.get(g, set()):
                    return target
        return mod

    def edges(self):
        graph = {m: set() for m in self.files}
        for m, paths in self.uses.items():
            for p in paths:
                h = self.home(p)
                if h != m and h in graph:
                    graph[m].add(h)
        return graph


def cycles(graph):
    """Strongly connected components with more than one module (Tarjan)."""
    index, low, stack, on, out, counter = {}, {}, [], set(), [], [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    sys.setrecursionlimit(10000)
    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


def name(m):
    return "::".join(m) or "crate"


def main():
    repo = Path(__file__).resolve().parent.parent
    # By default every crate: those under crates/ and the page at the repository's root.
    roots = [Path(a).resolve() for a in sys.argv[1:]] or [
        *sorted(p for p in repo.glob("crates/*") if (p / "src").is_dir()),
        repo,
    ]
    found = 0
    for root in roots:
        crate = Crate(root)
        graph = crate.edges()
        comps = cycles(graph)
        found += len(comps)
        label = "ztgym-app (the page)" if root == repo else root.name
        print(f"{label}: {len(graph)} modules, {len(comps)} circle(s)")
        for comp in comps:
            inside = set(comp)
            print("  circle: " + ", ".join(name(m) for m in comp))
            for m in comp:
                for t in sorted(graph[m] & inside):
                    print(f"    {name(m)} -> {name(t)}")
        if root == repo:
            found += generic_reaching_environments(graph)
    return 1 if found else 0


# The page's generic layers serve every environment: they never name one (arrows go down, from
# envs/ to them).
GENERIC = ("shell", "play", "learning")


def generic_reaching_environments(graph):
    wrong = [
        (m, t)
        for m in sorted(graph)
        for t in sorted(graph[m])
        if m and m[0] in GENERIC and t and t[0] == "envs"
    ]
    for m, t in wrong:
        print(f"  generic layer names an environment: {name(m)} -> {name(t)}")
    return len(wrong)


if __name__ == "__main__":
    sys.exit(main())
