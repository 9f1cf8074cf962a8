#!/usr/bin/env bash
# Installs whatever this project needs and is missing, at the versions it needs. Idempotent:
# when everything is present it only checks versions and takes a few seconds.
#
#   wasm32-unknown-unknown target, rustfmt, clippy   rustup
#   trunk 0.21.14                                    cargo install --locked (0.22 needs a newer rustc)
#   wasm-bindgen-cli = the Cargo.lock version        cargo install (trunk and the test runner need it)
#   chromium, chromium-driver                        apt-get (Debian's, same version for both)
#   playwright-core, binaryen (wasm-opt >= 116)      npm ci from the committed package-lock.json
set -euo pipefail

# shellcheck source=scripts/env.sh
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$ZTGYM_ROOT"

TRUNK_VERSION="0.21.14"
WASM_OPT_MIN_VERSION=116

say() { printf '[setup] %s\n' "$*"; }
die() {
    printf '[setup] error: %s\n' "$*" >&2
    exit 1
}

# `tool --version` prints "<name> <version> ...": the second word.
tool_version() { "$1" --version 2>/dev/null | awk 'NR == 1 { print $2 }'; }

as_root() {
    if [ "$(id -u)" -eq 0 ]; then
        "$@"
    elif command -v sudo >/dev/null 2>&1; then
        sudo "$@"
    else
        die "need root (or sudo) to run: $*"
    fi
}

command -v rustup >/dev/null 2>&1 || die "rustup not found: install Rust with rustup first"
command -v npm >/dev/null 2>&1 || die "npm not found: install node (>= 20) and npm first"

# --- Rust: the wasm target and the lint tools -------------------------------------------------
installed_targets="$(rustup target list --installed)"
if ! grep -qx 'wasm32-unknown-unknown' <<<"$installed_targets"; then
    say "adding the wasm32-unknown-unknown target"
    rustup target add wasm32-unknown-unknown
fi
installed_components="$(rustup component list --installed)"
for component in rustfmt clippy; do
    if ! grep -q "^$component" <<<"$installed_components"; then
        say "adding the $component component"
        rustup component add "$component"
    fi
done

# --- trunk --------------------------------------------------------------------------------------
if [ "$(tool_version trunk)" != "$TRUNK_VERSION" ]; then
    say "installing trunk $TRUNK_VERSION (takes several minutes)"
    cargo install --locked --force "trunk@$TRUNK_VERSION"
fi

# --- wasm-bindgen-cli at exactly the Cargo.lock version -----------------------------------------
wasm_bindgen_version="$(awk '
    /^name = "wasm-bindgen"$/ { found = 1; next }
    found && /^version = / { gsub(/version = |"/, ""); print; exit }
' Cargo.lock)"
[ -n "$wasm_bindgen_version" ] || die "no wasm-bindgen entry in Cargo.lock"
if [ "$(tool_version wasm-bindgen)" != "$wasm_bindgen_version" ] ||
    [ "$(tool_version wasm-bindgen-test-runner)" != "$wasm_bindgen_version" ]; then
    say "installing wasm-bindgen-cli $wasm_bindgen_version (takes a few minutes)"
    # No --locked: the CLI's own lockfile pins a crate version the registry no longer serves.
    cargo install --force wasm-bindgen-cli --version "=$wasm_bindgen_version"
fi

# --- Debian's Chromium and its driver -----------------------------------------------------------
if [ ! -x "$CHROMIUM" ] || [ ! -x "$CHROMEDRIVER" ]; then
    say "installing Debian's chromium and chromium-driver"
    as_root apt-get update
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y chromium chromium-driver
fi
chromium_major="$("$CHROMIUM" --version 2>/dev/null | awk '{ split($2, v, "."); print v[1] }')"
driver_major="$("$CHROMEDRIVER" --version 2>/dev/null | awk '{ split($2, v, "."); print v[1] }')"
if [ "$chromium_major" != "$driver_major" ]; then
    die "chromium ($chromium_major) and chromedriver ($driver_major) differ: run 'apt-get install chromium chromium-driver'"
fi

# --- npm packages: playwright-core and binaryen (wasm-opt) --------------------------------------
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    say "installing npm packages (npm ci)"
    npm ci --no-audit --no-fund
fi
wasm_opt_path="$(command -v wasm-opt || true)"
[ "$wasm_opt_path" = "$ZTGYM_ROOT/node_modules/.bin/wasm-opt" ] ||
    die "wasm-opt should come from node_modules/.bin (npm binaryen), found: ${wasm_opt_path:-none}"
wasm_opt_version="$(wasm-opt --version | awk '{ print $3 }')"
[ "${wasm_opt_version:-0}" -ge "$WASM_OPT_MIN_VERSION" ] 2>/dev/null ||
    die "wasm-opt $wasm_opt_version is older than $WASM_OPT_MIN_VERSION"

say "ready: trunk $TRUNK_VERSION, wasm-bindgen $wasm_bindgen_version, wasm-opt $wasm_opt_version, chromium $chromium_major"
