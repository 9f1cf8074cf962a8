#!/usr/bin/env bash
# Drives `ztgym serve` through the unmodified OpenEnv client (openenv-core from PyPI): every
# environment served, played to the end of episodes; state, close, error replies, concurrency,
# MCP, the schemas against the Python types, capacity, a graceful SIGTERM, and
# `openenv validate --url`. The last line is `N passed, N failed`.
#
# The Python packages go into a venv outside the repository, cached and keyed by a hash of
# python/requirements.txt, python/constraints.txt and the Python version:
#   ${XDG_CACHE_HOME:-$HOME/.cache}/ztgym/openenv-venv-<hash>   (ZTGYM_OPENENV_VENV overrides)
# It is made once (about 100 packages from PyPI) and reused after; a changed pin makes another.
set -uo pipefail

# shellcheck source=scripts/env.sh
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$ZTGYM_ROOT"

say() { printf '[openenv] %s\n' "$*"; }
fail() {
    say "error: $*"
    echo "0 passed, 1 failed"
    exit 1
}

# shellcheck source=scripts/venv.sh
source "$(dirname "${BASH_SOURCE[0]}")/venv.sh"
VENV_PATH="${ZTGYM_OPENENV_VENV:-}" cached_venv openenv python/requirements.txt -c python/constraints.txt
start=$SECONDS

say "building ztgym"
cargo build -q -p ztgym-cli || fail "cargo build -p ztgym-cli failed"
BIN="${CARGO_TARGET_DIR:-target}/debug/ztgym"

PORT="$("$VENV/bin/python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
URL="http://127.0.0.1:$PORT"
LOG="$(mktemp)"
"$BIN" serve --port "$PORT" >"$LOG" 2>&1 &
SERVER=$!
cleanup() {
    if kill -0 "$SERVER" 2>/dev/null; then kill "$SERVER" 2>/dev/null; fi
    rm -f "$LOG"
}
trap cleanup EXIT

for _ in $(seq 100); do
    "$VENV/bin/python" -c "import urllib.request; urllib.request.urlopen('$URL/health', timeout=1)" 2>/dev/null && break
    sleep 0.1
done
say "server: $(head -1 "$LOG")"

"$VENV/bin/python" python/tests/test_openenv.py --url "$URL" --bin "$BIN" | tee "$LOG.out"
status=${PIPESTATUS[0]}
read -r passed failed < <(awk '/^[0-9]+ passed, [0-9]+ failed$/ { p = $1; f = $3 } END { print p + 0, f + 0 }' "$LOG.out")
rm -f "$LOG.out"

# SIGTERM stops the server gracefully: exit code 0.
kill -TERM "$SERVER"
if wait "$SERVER"; then
    passed=$((passed + 1))
    say "ok   SIGTERM: the server stopped gracefully"
else
    failed=$((failed + 1))
    say "FAIL SIGTERM: the server exited with $?"
fi
say "took $((SECONDS - start))s"
echo "$passed passed, $failed failed"
[ "$status" -eq 0 ] && [ "$failed" -eq 0 ]
