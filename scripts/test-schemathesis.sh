#!/usr/bin/env bash
# Fuzzes `ztgym serve` against its own OpenAPI document with schemathesis (`--checks all`: no
# server error, status codes, content types and response bodies as the document says, valid
# requests accepted and invalid ones refused), every phase: the document's examples, coverage
# of each schema's edges, then random cases. Bounded: ZTGYM_SCHEMATHESIS_EXAMPLES cases per
# operation and phase (default 60; 11-18 s on 2 cores), a fixed seed so a failure
# reproduces. The last line is `N passed, N failed`.
#
# schemathesis goes into a venv outside the repository, cached and keyed by a hash of
# python/schemathesis-requirements.txt and the Python version:
#   ${XDG_CACHE_HOME:-$HOME/.cache}/ztgym/schemathesis-venv-<hash>
set -uo pipefail

# shellcheck source=scripts/env.sh
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$ZTGYM_ROOT"

say() { printf '[schemathesis] %s\n' "$*"; }
fail() {
    say "error: $*"
    echo "0 passed, 1 failed"
    exit 1
}

EXAMPLES="${ZTGYM_SCHEMATHESIS_EXAMPLES:-60}"
# shellcheck source=scripts/venv.sh
source "$(dirname "${BASH_SOURCE[0]}")/venv.sh"
cached_venv schemathesis python/schemathesis-requirements.txt

cargo build -q -p ztgym-cli || fail "cargo build -p ztgym-cli failed"
BIN="${CARGO_TARGET_DIR:-target}/debug/ztgym"
PORT="$("$VENV/bin/python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
URL="http://127.0.0.1:$PORT"
LOG="$(mktemp)"
"$BIN" serve --port "$PORT" >"$LOG" 2>&1 &
SERVER=$!
trap 'kill "$SERVER" 2>/dev/null; rm -f "$LOG"' EXIT
for _ in $(seq 100); do
    "$VENV/bin/python" -c "import urllib.request; urllib.request.urlopen('$URL/health', timeout=1)" 2>/dev/null && break
    sleep 0.1
done

start=$SECONDS
# One worker: with two, schemathesis itself failed in one run of five here ("SystemError: AST
# constructor recursion depth mismatch" from CPython 3.11.7's ast module while hypothesis read
# a lambda's source); with one, none of six failed, and it runs faster (11-18 s).
"$VENV/bin/schemathesis" run "$URL/openapi.json" --checks all --max-examples "$EXAMPLES" \
    --seed "${ZTGYM_SCHEMATHESIS_SEED:-1}" --workers 1 --no-color
status=$?
say "$((SECONDS - start)) s"
kill -0 "$SERVER" 2>/dev/null || { say "the server died: $(tail -5 "$LOG")"; status=1; }
if [ "$status" -eq 0 ]; then echo "1 passed, 0 failed"; else echo "0 passed, 1 failed"; fi
exit "$status"
