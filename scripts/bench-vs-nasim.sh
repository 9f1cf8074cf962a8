#!/usr/bin/env bash
# Side-by-side benchmark: ztgym's simulator against NASim (Network Attack Simulator, PyPI
# `nasim`) on its `tiny` scenario with a uniformly random agent, in one invocation.
#
#   scripts/bench-vs-nasim.sh [--steps N] [--nasim-steps M] [--runs R] [--seed S] [--no-build]
#
#   --steps N        steps per ztgym run (default 2000000)
#   --nasim-steps M  steps per NASim run (default 200000; NASim is about 10x slower, so its
#                    runs take about as long as ztgym's)
#   --runs R         rounds (default 3). Each round runs, one after the other (each single-threaded),
#                    ztgym classic random, classic sop, enterprise random, enterprise sop, then
#                    NASim tiny random, so load on the shared machine falls on both alike.
#                    The table shows the best of the R rounds (the least disturbed) and the
#                    median of wall-clock steps/s, as `ztgym bench` reports them, and the best
#                    steps per CPU second (user + system time of the stepping process), which
#                    other work on the machine disturbs far less; the ratio is given for each.
#   --seed S         seed for both simulators (default 0)
#   --no-build       skip `cargo build --release -p ztgym-cli` (use the binary already built)
#
# NASim comes from PyPI at pinned versions (scripts/nasim-requirements.txt) into a venv at
# .cache/nasim-venv (git-ignored). It is made only when missing or when the pins change
# (a stamp file holds the pins it was made from), so a second run starts at once; making
# it takes about a minute. Set PYTHON to choose the interpreter (default python3; the pins
# were chosen for Python 3.11).
set -euo pipefail

# shellcheck source=scripts/env.sh
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$ZTGYM_ROOT"

say() { printf '[bench-vs-nasim] %s\n' "$*" >&2; }
die() {
    printf '[bench-vs-nasim] error: %s\n' "$*" >&2
    exit 1
}

STEPS=2000000
NASIM_STEPS=200000
RUNS=3
SEED=0
BUILD=1
positive() { [[ "$2" =~ ^[1-9][0-9]*$ ]] || die "$1 needs a positive integer, got '$2'"; }
while [ $# -gt 0 ]; do
    case "$1" in
        --steps) [ $# -ge 2 ] || die "--steps needs a value"; positive "$1" "$2"; STEPS="$2"; shift 2 ;;
        --nasim-steps) [ $# -ge 2 ] || die "--nasim-steps needs a value"; positive "$1" "$2"; NASIM_STEPS="$2"; shift 2 ;;
        --runs) [ $# -ge 2 ] || die "--runs needs a value"; positive "$1" "$2"; RUNS="$2"; shift 2 ;;
        --seed) [ $# -ge 2 ] || die "--seed needs a value"; [[ "$2" =~ ^[0-9]+$ ]] || die "--seed needs a non-negative integer, got '$2'"; SEED="$2"; shift 2 ;;
        --no-build) BUILD=0; shift ;;
        -h | --help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
        *) die "unknown argument '$1' (see --help)" ;;
    esac
done

# ---- the NASim venv -------------------------------------------------------------------------
VENV="$ZTGYM_ROOT/.cache/nasim-venv"
REQUIREMENTS="$ZTGYM_ROOT/scripts/nasim-requirements.txt"
STAMP="$VENV/.ztgym-requirements"
PYTHON="${PYTHON:-python3}"
[ -f "$REQUIREMENTS" ] || die "missing $REQUIREMENTS"

if [ -x "$VENV/bin/python" ] && [ -f "$STAMP" ] && cmp -s "$REQUIREMENTS" "$STAMP"; then
    say "NASim venv present: $VENV"
else
    command -v "$PYTHON" >/dev/null 2>&1 || die "'$PYTHON' not found: install Python 3.11 or set PYTHON"
    "$PYTHON" -c 'import venv, ensurepip' 2>/dev/null ||
        die "'$PYTHON' lacks venv/ensurepip (on Debian: apt-get install python3-venv)"
    py_version="$("$PYTHON" -c 'import sys; print("%d.%d" % sys.version_info[:2])')"
    [ "$py_version" = "3.11" ] ||
        say "warning: the pins were chosen on Python 3.11; '$PYTHON' is $py_version"
    say "making the NASim venv at $VENV (Python $py_version, pins from $REQUIREMENTS)"
    rm -rf "$VENV"
    started=$SECONDS
    "$PYTHON" -m venv "$VENV" || die "could not make a venv at $VENV"
    if ! "$VENV/bin/pip" install --quiet --disable-pip-version-check -r "$REQUIREMENTS"; then
        rm -rf "$VENV"
        die "pip install -r $REQUIREMENTS failed (this needs PyPI; see pip's message above)"
    fi
    "$VENV/bin/python" -c 'import nasim' || die "nasim does not import in the new venv $VENV"
    cp "$REQUIREMENTS" "$STAMP"
    say "NASim venv made in $((SECONDS - started)) s"
fi

# ---- ztgym ----------------------------------------------------------------------------------
ZTGYM="$ZTGYM_ROOT/target/release/ztgym"
if [ "$BUILD" = 1 ]; then
    command -v cargo >/dev/null 2>&1 || die "cargo not found"
    say "cargo build --release -p ztgym-cli"
    cargo build --release -p ztgym-cli >&2 || die "cargo build --release -p ztgym-cli failed"
fi
[ -x "$ZTGYM" ] || die "$ZTGYM not found: build it (or drop --no-build)"

# ---- the runs -------------------------------------------------------------------------------
RESULTS="$(mktemp "${TMPDIR:-/tmp}/bench-vs-nasim.XXXXXX")"
trap 'rm -f "$RESULTS"' EXIT

# Prints the steps_per_second of the JSON object on stdin (whole steps/s); fails without one.
steps_per_second() {
    "$VENV/bin/python" -c 'import json, sys; print(int(json.loads(sys.stdin.read())["steps_per_second"]))' 2>/dev/null
}

# One ztgym bench; its JSON line goes to the results.
ztgym_bench() {
    local out
    out="$("$VENV/bin/python" "$ZTGYM_ROOT/scripts/nasim_bench.py" measure -- \
        "$ZTGYM" bench --scenario "$1" --agent "$2" --steps "$STEPS" --seed "$SEED" --json)" ||
        die "ztgym bench --scenario $1 --agent $2 failed"
    local speed
    speed="$(printf '%s' "$out" | steps_per_second)" ||
        die "ztgym bench --scenario $1 --agent $2 printed no steps_per_second: $out"
    printf '%s\n' "$out" >>"$RESULTS"
    say "  ztgym $1 $2: $speed steps/s"
}

say "load before the runs: $(uptime)"
for round in $(seq 1 "$RUNS"); do
    say "round $round of $RUNS"
    ztgym_bench classic random
    ztgym_bench classic sop
    ztgym_bench enterprise random
    ztgym_bench enterprise sop
    # OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE, where a machine sets them, slow a current numpy:
    # unset here, for this command alone.
    out="$(env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE "$VENV/bin/python" \
        "$ZTGYM_ROOT/scripts/nasim_bench.py" --steps "$NASIM_STEPS" --runs 1 --seed "$SEED")" ||
        die "scripts/nasim_bench.py failed (if nasim no longer imports, delete $VENV to make it anew)"
    speed="$(printf '%s' "$out" | steps_per_second)" ||
        die "scripts/nasim_bench.py printed no steps_per_second: $out"
    printf '%s\n' "$out" >>"$RESULTS"
    say "  nasim tiny random: $speed steps/s"
done
say "load after the runs: $(uptime)"

echo
echo "ztgym $STEPS steps a run, NASim $NASIM_STEPS steps a run, $RUNS rounds, seed $SEED," \
    "$(nproc) cores, $(date -u '+%Y-%m-%d %H:%M UTC')"
"$VENV/bin/python" "$ZTGYM_ROOT/scripts/nasim_bench.py" summarize "$RESULTS"
