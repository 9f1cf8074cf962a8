#!/usr/bin/env bash
# Installs whatever is missing, then runs every check and test in order, stopping at the first
# failure:
#
#   1. cargo fmt --check; no source file over 600 lines before its tests, no import circle
#      between a crate's modules (scripts/check-file-lengths.py, scripts/check-layers.py)
#   2. clippy -D warnings: the native crates, then the app for wasm32
#   3. native cargo test: simulator, CLI, and the app's plain-Rust logic
#   4. the OpenEnv server driven by the unmodified Python client (scripts/test-openenv.sh,
#      with a cached venv outside the repository), then fuzzed against its own OpenAPI
#      document by schemathesis (scripts/test-schemathesis.sh, its own cached venv)
#   5. the Python package (scripts/test-python.sh): built with maturin into a cached venv,
#      its pytest suite (Gymnasium, Rust vector envs, CLI determinism, TRL, a two-node Ray cluster)
#   6. the app's wasm-bindgen-test suite in headless Chromium
#   7. trunk build --release, then the end-to-end suite (playwright-core + Chromium) on dist/
#
# The last line is `N passed, N failed`, summed over every suite's own counts; a check or build
# step that fails (fmt, clippy, trunk) counts as one failure. Logs go to test-output/logs/.
set -uo pipefail

# shellcheck source=scripts/env.sh
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$ZTGYM_ROOT"

LOG_DIR="test-output/logs"
mkdir -p "$LOG_DIR"

passed=0
failed=0
timings=()
started_all=$SECONDS

finish() {
    local status=$1
    echo
    echo "== timings"
    printf '  %s\n' "${timings[@]}"
    printf '  total: %ss\n' "$((SECONDS - started_all))"
    echo "$passed passed, $failed failed"
    exit "$status"
}

# Counts from libtest-style lines, as printed by cargo test and wasm-bindgen-test-runner:
#   test result: ok. 5 passed; 0 failed; 0 ignored; ...
count_cargo() {
    awk '/^test result: / { for (i = 1; i <= NF; i++) { if ($(i + 1) ~ /^passed;?$/) p += $i; if ($(i + 1) ~ /^failed;?$/) f += $i } }
         END { print p + 0, f + 0 }' "$1"
}

# Counts from node's test runner (spec reporter): "ℹ pass 6" and "ℹ fail 0".
count_node() {
    awk '$2 == "pass" && $3 ~ /^[0-9]+$/ { p = $3 } $2 == "fail" && $3 ~ /^[0-9]+$/ { f = $3 }
         END { print p + 0, f + 0 }' "$1"
}

# Counts from a plain closing line "N passed, N failed" (scripts/test-openenv.sh prints one).
count_plain() {
    awk '/^[0-9]+ passed, [0-9]+ failed/ { p = $1; f = $3 } END { print p + 0, f + 0 }' "$1"
}

# run KIND NAME COMMAND...: KIND is "check" (no test counts) or a counter (count_cargo,
# count_node, count_plain).
run() {
    local kind=$1 name=$2
    shift 2
    local log="$LOG_DIR/$name.log" start=$SECONDS status
    echo
    echo "== $name: $*"
    "$@" 2>&1 | tee "$log"
    status=${PIPESTATUS[0]}
    timings+=("$name: $((SECONDS - start))s")

    local p=0 f=0
    if [ "$kind" != check ]; then
        read -r p f < <("$kind" "$log")
    fi
    passed=$((passed + p))
    if [ "$status" -ne 0 ] && [ "$f" -eq 0 ]; then
        f=1 # failed before any test could report (build error, crash)
    fi
    failed=$((failed + f))
    if [ "$status" -ne 0 ]; then
        echo "== $name FAILED (exit $status), log: $log"
        finish 1
    fi
}

run check setup scripts/setup.sh
run check fmt cargo fmt --all --check
run check file-lengths python3 scripts/check-file-lengths.py
run check layers python3 scripts/check-layers.py
run check clippy-native cargo clippy --workspace --exclude ztgym-app --all-targets -- -D warnings
run check clippy-wasm cargo clippy --target wasm32-unknown-unknown -p ztgym-app --all-targets -- -D warnings
run count_cargo test-native cargo test --workspace
run count_plain test-openenv scripts/test-openenv.sh
run count_plain test-schemathesis scripts/test-schemathesis.sh
run count_plain test-python scripts/test-python.sh
run count_cargo test-wasm-browser cargo test --target wasm32-unknown-unknown -p ztgym-app
run check trunk-build trunk build --release --offline
run count_node test-e2e node --test --test-reporter=spec e2e/*.test.mjs

finish 0
