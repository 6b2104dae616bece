#!/usr/bin/env bash
# Builds CodeView and lays it out under PREFIX exactly as the container image holds it (the
# image uses PREFIX=/opt/codeview):
#   PREFIX/bin/codeview               the server binary (`serve`, `worker`, `migrate`)
#   PREFIX/share/codeview/web/        the built web UI (CODEVIEW_WEB_DIR)
# The Dockerfile runs this script for its build steps; `make deploy-check` runs it outside
# Docker into a temporary prefix and starts the binary from there (deploy/smoke-test.sh).
# Usage: deploy/build-layout.sh PREFIX
#   CODEVIEW_PROFILE=release (default, the image's) or debug (CI: the build `make lint` made).
set -euo pipefail
cd "$(dirname "$0")/.."

prefix=${1:?usage: deploy/build-layout.sh PREFIX}
profile=${CODEVIEW_PROFILE:-release}
target=${CARGO_TARGET_DIR:-$PWD/target}

# The web UI: npm packages from the lockfile (again only when it changed), then the build.
if [ ! -d web/node_modules ] || [ web/package-lock.json -nt web/node_modules/.package-lock.json ]; then
  (cd web && npm ci --no-audit --no-fund --loglevel=error)
fi
(cd web && npm run build)

case "$profile" in
  release) cargo build --release --locked -p codeview ;;
  debug) cargo build --locked -p codeview ;;
  *) echo "CODEVIEW_PROFILE must be release or debug, not $profile" >&2; exit 2 ;;
esac

install -D -m 0755 "$target/$profile/codeview" "$prefix/bin/codeview"
rm -rf "$prefix/share/codeview/web"
mkdir -p "$prefix/share/codeview"
cp -R web/dist "$prefix/share/codeview/web"
echo "laid out in $prefix: bin/codeview ($profile), share/codeview/web"
