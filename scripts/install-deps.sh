#!/usr/bin/env bash
# Installs what CodeView needs on a Debian/Ubuntu machine and is missing: the Debian packages
# listed in scripts/apt-packages.txt, the web UI's npm packages (from package-lock.json), and the
# Python packages of the tests (scripts/python-requirements.txt) in a venv of their own.
# Safe to run again: it only installs what is absent. Uses sudo when not root.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }
as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

# Debian packages
mapfile -t wanted < <(grep -v '^\s*#' scripts/apt-packages.txt | awk 'NF {print $1}')
missing=()
for pkg in "${wanted[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if [ "${#missing[@]}" -gt 0 ]; then
  if ! command -v apt-get >/dev/null; then
    echo "Missing packages (${missing[*]}) and no apt-get: install them by hand." >&2
    exit 1
  fi
  say "installing Debian packages: ${missing[*]}"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# Toolchains the build itself needs
command -v cargo >/dev/null || { echo "Rust is missing: install it from https://rustup.rs (stable >= 1.94)." >&2; exit 1; }
if ! command -v node >/dev/null || ! node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>20||(a===20&&b>=19)?0:1)'; then
  echo "Node.js >= 20.19 is needed to build the web UI (found: $(node --version 2>/dev/null || echo none))." >&2
  exit 1
fi

# npm packages: the web UI and the Yjs interop tests (the benchmark installs its own)
for dir in web crates/server/tests/yjs-interop; do
  [ -f "$dir/package-lock.json" ] || continue
  if [ ! -d "$dir/node_modules" ] || [ "$dir/package-lock.json" -nt "$dir/node_modules/.package-lock.json" ]; then
    say "installing npm packages in $dir"
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
  fi
done

# Python packages for the tests (a real SMTP server), in a venv: Debian's Python is "externally
# managed". Reinstalled only when the requirements change. The tests find it the same way.
venv="${CODEVIEW_VENV:-$HOME/.cache/codeview-venv}"
if [ ! -x "$venv/bin/python" ] || ! cmp -s scripts/python-requirements.txt "$venv/.requirements"; then
  say "installing the tests' Python packages into $venv"
  [ -x "$venv/bin/python" ] || /usr/bin/python3 -m venv "$venv"
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r scripts/python-requirements.txt
  cp scripts/python-requirements.txt "$venv/.requirements"
fi
