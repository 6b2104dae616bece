#!/usr/bin/env bash
# `make deploy-check`: validates the deployment files without a Docker engine or a cluster
# (none exists where CodeView is built and tested), then builds the image's layout outside
# Docker with the script the Dockerfile runs and starts the binary from it the way the
# containers do (deploy/smoke-test.sh). What this does not cover (no image is built, no
# container is started) is in docs/operations.md.
set -euo pipefail
cd "$(dirname "$0")/.."

venv="${CODEVIEW_VENV:-$HOME/.cache/codeview-venv}"
say() { printf '\033[1m==> %s\033[0m\n' "$*"; }

say "Dockerfile (hadolint)"
"$venv/bin/hadolint" Dockerfile

say "YAML style (yamllint)"
"$venv/bin/yamllint" --strict -c deploy/yamllint.yaml docker-compose.yml deploy

say "docker-compose.yml against the Compose Specification (check-jsonschema)"
"$venv/bin/check-jsonschema" --builtin-schema vendor.compose-spec docker-compose.yml

say "Kubernetes manifests (kubernetes-validate, strict)"
"$venv/bin/kubernetes-validate" --strict --quiet deploy/k8s/*.yaml

say "Caddyfile (caddy validate)"
caddy_home=$(mktemp -d)
trap 'rm -rf "$caddy_home"' EXIT
# Caddy keeps its internal CA's files under XDG_DATA_HOME: a throwaway one here.
XDG_DATA_HOME="$caddy_home" XDG_CONFIG_HOME="$caddy_home" \
  caddy validate --adapter caddyfile --config deploy/Caddyfile >"$caddy_home/log" 2>&1 \
  || { cat "$caddy_home/log"; exit 1; }
caddy fmt deploy/Caddyfile | diff -u deploy/Caddyfile - || { echo "deploy/Caddyfile: run caddy fmt --overwrite" >&2; exit 1; }

say "the image's layout, built outside Docker (deploy/build-layout.sh) and started"
prefix=$(mktemp -d)
trap 'rm -rf "$caddy_home" "$prefix"' EXIT
CODEVIEW_PROFILE="${CODEVIEW_PROFILE:-debug}" deploy/build-layout.sh "$prefix"
deploy/smoke-test.sh "$prefix"
