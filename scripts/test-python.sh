#!/usr/bin/env bash
# The `ztgym` Python package: builds it from python/ (maturin over crates/ztgym-py) into a
# cached venv and runs its pytest suite (Gymnasium checks, the Rust vector environments,
# determinism against the CLI, bad input, TRL classes, Ray on a local two-node cluster).
# The last line is `N passed, N failed`.
#
# The venv lives outside the repository, keyed by a hash of python/package-requirements.txt,
# python/constraints-package.txt and the Python version:
#   ${XDG_CACHE_HOME:-$HOME/.cache}/ztgym/package-venv-<hash>   (ZTGYM_PACKAGE_VENV overrides)
# The package itself is rebuilt and reinstalled every run (cargo rebuilds only what changed).
set -uo pipefail

# shellcheck source=scripts/env.sh
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$ZTGYM_ROOT"

say() { printf '[python] %s\n' "$*"; }
fail() {
    say "error: $*"
    echo "0 passed, 1 failed"
    exit 1
}

# shellcheck source=scripts/venv.sh
source "$(dirname "${BASH_SOURCE[0]}")/venv.sh"
VENV_PATH="${ZTGYM_PACKAGE_VENV:-}" cached_venv package python/package-requirements.txt -c python/constraints-package.txt
start=$SECONDS

# Cargo's dev profile: the test build reuses the debug artifacts `cargo test` just made (25 s
# against about 110 s for the `python` profile a user's `pip install ./python` compiles with;
# the tests take a few seconds more).
say "building and installing the package (pip install ./python, cargo profile dev)"
MATURIN_PEP517_ARGS="--profile dev" PATH="$VENV/bin:$PATH" "$VENV/bin/pip" install \
    --disable-pip-version-check -q --no-build-isolation --no-deps --force-reinstall ./python ||
    fail "pip install ./python failed"
say "installed in $((SECONDS - start))s"

LOG="$(mktemp)"
# Run from outside the source tree so `import ztgym` is the installed package, not python/ztgym.
(cd python/tests/package && "$VENV/bin/python" -m pytest -q -p no:cacheprovider \
    -W error::DeprecationWarning:ztgym "$@") | tee "$LOG"
status=${PIPESTATUS[0]}
summary="$(tail -1 "$LOG")"
rm -f "$LOG"
read -r passed failed < <(awk '{ for (i = 1; i < NF; i++) { if ($(i + 1) ~ /^passed/) p = $i; if ($(i + 1) ~ /^(failed|error)/) f += $i } }
    END { print p + 0, f + 0 }' <<<"$summary")
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi
say "took $((SECONDS - start))s"
echo "$passed passed, $failed failed"
[ "$status" -eq 0 ]
