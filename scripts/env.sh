# shellcheck shell=bash
# Sourced by the other scripts: where the project is and where its tools are.

ZTGYM_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export ZTGYM_ROOT

# wasm-opt from the npm `binaryen` package comes first, ahead of any older system wasm-opt
# (Debian's binaryen 108 produces wasm that fails to load). Then cargo-installed tools.
export PATH="$ZTGYM_ROOT/node_modules/.bin:${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"

# Debian's browser and driver (apt packages chromium and chromium-driver).
export CHROMIUM="${CHROMIUM:-/usr/bin/chromium}"
export CHROMEDRIVER="${CHROMEDRIVER:-/usr/bin/chromedriver}"
