#!/usr/bin/env bash
# Installs whatever is missing, then builds and serves the playground at http://127.0.0.1:8080
# with auto-reload. Extra arguments go to `trunk serve` (e.g. --release, --port 9000).
set -euo pipefail

"$(dirname "${BASH_SOURCE[0]}")/setup.sh"
# shellcheck source=scripts/env.sh
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
cd "$ZTGYM_ROOT"

exec trunk serve --offline "$@"
