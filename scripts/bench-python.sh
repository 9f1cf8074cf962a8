#!/usr/bin/env bash
# The Python speed benchmark (python/benchmarks/bench_python.py): ztgym's Rust vector
# environments beside Gymnasium's SyncVectorEnv and NASim, in one process. Not part of the
# test command. Its venv (gymnasium, NASim and their pins, python/benchmarks/requirements.txt)
# is cached outside the repository like the test venvs:
#   ${XDG_CACHE_HOME:-$HOME/.cache}/ztgym/bench-venv-<hash>
# Arguments go to the script: --quick, --seconds S, --repeats N, --json.
set -uo pipefail

# shellcheck source=scripts/env.sh
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$ZTGYM_ROOT"

say() { printf '[bench-python] %s\n' "$*" >&2; }
fail() {
    say "error: $*"
    exit 1
}

# shellcheck source=scripts/venv.sh
source "$(dirname "${BASH_SOURCE[0]}")/venv.sh"
VENV_PATH="" cached_venv bench python/benchmarks/requirements.txt
say "building and installing the package (maturin, profile python)"
"$VENV/bin/pip" install --disable-pip-version-check -q "maturin==1.16.0" || fail "pip install maturin failed"
PATH="$VENV/bin:$PATH" "$VENV/bin/pip" install --disable-pip-version-check -q \
    --no-build-isolation --no-deps --force-reinstall ./python || fail "pip install ./python failed"
cd python/benchmarks && exec "$VENV/bin/python" bench_python.py "$@"
