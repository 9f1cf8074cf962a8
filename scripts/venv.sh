# shellcheck shell=bash
# Sourced by the scripts that run Python: one cached venv per set of pins, outside the
# repository, so a fresh clone installs what it needs and a second run reuses it.

# cached_venv NAME PIN_FILE [-c CONSTRAINTS_FILE]: sets VENV to
# ${XDG_CACHE_HOME:-$HOME/.cache}/ztgym/NAME-venv-<hash of the files and the Python version>
# (or to $VENV_PATH when set), making it (pip install -r PIN_FILE [-c CONSTRAINTS_FILE]) when it
# is not complete there. A changed pin makes another venv. Calls the caller's `say` and `fail`.
cached_venv() {
    local name=$1 requirements=$2
    shift 2
    local python="${PYTHON:-python3}" files=("$requirements") key start=$SECONDS
    if [ "${1:-}" = "-c" ]; then files+=("$2"); fi
    command -v "$python" >/dev/null 2>&1 || fail "$python not found: install Python >= 3.10 with venv"
    key="$({
        cat "${files[@]}"
        "$python" --version 2>&1
    } | sha256sum | cut -c1-16)"
    VENV="${VENV_PATH:-${XDG_CACHE_HOME:-$HOME/.cache}/ztgym/$name-venv-$key}"
    if [ -f "$VENV/.complete" ] && [ -x "$VENV/bin/python" ]; then
        say "venv: $VENV (cached)"
        return
    fi
    say "venv: creating $VENV (from PyPI)"
    rm -rf "$VENV"
    mkdir -p "$(dirname "$VENV")"
    "$python" -m venv "$VENV" || fail "python -m venv failed (Debian: apt-get install python3-venv)"
    "$VENV/bin/pip" install --disable-pip-version-check -q -r "$requirements" "$@" ||
        fail "pip install failed"
    touch "$VENV/.complete"
    say "venv: ready in $((SECONDS - start))s"
}
