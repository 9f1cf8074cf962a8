#!/usr/bin/env python3
"""Fail when a Rust source file has more than 600 lines before its tests.

A file past that size has grown more than one job (issue 20). Counted: the lines before a
file's first `#[cfg(test)]`; skipped: integration tests (`tests/`), examples and benches.
Usage: scripts/check-file-lengths.py [LIMIT]. Exit status 1 when a file is over the limit.
"""
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LIMIT = int(sys.argv[1]) if len(sys.argv) > 1 else 600
SKIPPED = ("tests", "examples", "benches")


def lines_before_tests(path):
    n = 0
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("#[cfg(test)]"):
            break
        n += 1
    return n


def main():
    files = subprocess.run(
        ["git", "ls-files", "*.rs"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    long = []
    for name in files:
        if any(part in SKIPPED for part in Path(name).parts[:-1]):
            continue
        n = lines_before_tests(ROOT / name)
        if n > LIMIT:
            long.append((n, name))
    for n, name in sorted(long, reverse=True):
        print(f"{name}: {n} lines before its tests (limit {LIMIT})")
    print(f"{len(files)} Rust files, {len(long)} over {LIMIT} lines")
    return 1 if long else 0


if __name__ == "__main__":
    sys.exit(main())
