#!/usr/bin/env bash
# Starts CodeView from a layout made by deploy/build-layout.sh the way docker-compose.yml
# starts its containers (the settings of deploy/codeview.env, `codeview migrate` and then
# `codeview serve`, DATABASE_URL and REDIS_URL), on a fresh database of the local PostgreSQL
# and the local Redis, as an unprivileged user like the image's (when started as root), and
# checks: ready (store and Redis ok), the web UI served from the layout, every language
# offered although this server runs no code and has no sandbox of its own, and a SIGTERM that
# turns ready into 503 "draining" and then exits cleanly.
# Usage: deploy/smoke-test.sh PREFIX
# PostgreSQL: CODEVIEW_TEST_POSTGRES (default postgres://postgres@127.0.0.1:5432/postgres);
# Redis: CODEVIEW_TEST_REDIS (default redis://127.0.0.1:6379). Without them it prints SKIPPED
# and succeeds, unless CODEVIEW_REQUIRE_POSTGRES=1 / CODEVIEW_REQUIRE_REDIS=1 (CI).
set -euo pipefail
cd "$(dirname "$0")/.."

prefix=$(cd "${1:?usage: deploy/smoke-test.sh PREFIX}" && pwd)
admin_url=${CODEVIEW_TEST_POSTGRES:-postgres://postgres@127.0.0.1:5432/postgres}
redis_url=${CODEVIEW_TEST_REDIS:-redis://127.0.0.1:6379}
required() { [ "${!1:-}" = 1 ] || [ "${!1:-}" = true ]; }
fail() { echo "smoke test: $*" >&2; exit 1; }

if ! psql "$admin_url" -qtAc 'select 1' >/dev/null 2>&1; then
  required CODEVIEW_REQUIRE_POSTGRES && fail "PostgreSQL is required but $admin_url does not answer"
  echo "SKIPPED: deploy smoke test — PostgreSQL at $admin_url does not answer"; exit 0
fi
redis_host_port=${redis_url#redis://}
if ! redis-cli -h "${redis_host_port%:*}" -p "${redis_host_port##*:}" ping >/dev/null 2>&1; then
  required CODEVIEW_REQUIRE_REDIS && fail "Redis is required but $redis_url does not answer"
  echo "SKIPPED: deploy smoke test — Redis at $redis_url does not answer"; exit 0
fi

db="cvsmoke_$(od -An -N6 -tx1 /dev/urandom | tr -d ' \n')"
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
base="http://127.0.0.1:$port"
work=$(mktemp -d)
server=""
cleanup() {
  [ -n "$server" ] && kill -KILL "$server" 2>/dev/null || true
  psql "$admin_url" -qc "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
psql "$admin_url" -qc "CREATE DATABASE $db"

# The containers' environment: deploy/codeview.env, then what docker-compose.yml sets. Only
# the listening address (the container's 0.0.0.0:8080) and the web UI's place (the layout's
# prefix instead of /opt/codeview) differ.
set -a
# shellcheck source=deploy/codeview.env
. deploy/codeview.env
set +a
export DATABASE_URL="${admin_url%/*}/$db" REDIS_URL="$redis_url"
export CODEVIEW_ADDR="127.0.0.1:$port" CODEVIEW_WEB_DIR="$prefix/share/codeview/web"
export CODEVIEW_SLOT_UID_BASE="${CODEVIEW_SLOT_UID_BASE:-62000}"

"$prefix/bin/codeview" migrate
# The image runs `serve` as an unprivileged user: so does this, when it can (setpriv execs in
# place, so signals reach the server itself).
as_server_user=()
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null; then
  chmod 0755 "$prefix" "$work"
  as_server_user=(setpriv --reuid=nobody --regid=nogroup --clear-groups --)
fi
"${as_server_user[@]}" "$prefix/bin/codeview" serve >"$work/server.log" 2>&1 &
server=$!

status() { curl -s -o "$work/body" -w '%{http_code}' "$base$1" || true; }
for _ in $(seq 1 200); do
  [ "$(status /api/health/ready)" = 200 ] && break
  kill -0 "$server" 2>/dev/null || { cat "$work/server.log"; fail "the server exited at start"; }
  sleep 0.1
done
[ "$(status /api/health/ready)" = 200 ] || { cat "$work/server.log"; fail "not ready: $(cat "$work/body")"; }
grep -q '"redis":"ok"' "$work/body" || fail "ready without Redis: $(cat "$work/body")"
grep -q '"backend":"postgres"' "$work/body" || fail "not on PostgreSQL: $(cat "$work/body")"
[ "$(status /)" = 200 ] && grep -qi '<html' "$work/body" || fail "the web UI is not served from $prefix"
[ "$(status /api/health/live)" = 200 ] || fail "live did not answer 200"
echo "ready on PostgreSQL and Redis (as $(ps -o user= -p "$server")), web UI served from the layout"

# The first account of an empty install may register (invite-only after it).
curl -fsS -c "$work/cookies" -H 'content-type: application/json' -o /dev/null \
  -d '{"email": "smoke@example.com", "name": "Smoke", "password": "correct horse battery"}' "$base/api/auth/register" \
  || fail "registering the first account failed"
curl -fsS -b "$work/cookies" -o "$work/body" "$base/api/languages" || fail "GET /api/languages failed"
grep -q '"available":true' "$work/body" && ! grep -q '"available":false' "$work/body" \
  || fail "a language is unavailable on a server that runs no code: $(cat "$work/body")"
echo "every language offered (runs go to the workers)"

kill -TERM "$server"
draining=""
for _ in $(seq 1 40); do
  if [ "$(status /api/health/ready)" = 503 ] && grep -q '"draining":true' "$work/body"; then draining=yes; break; fi
  sleep 0.1
done
[ -n "$draining" ] || fail "ready did not turn 503 draining after SIGTERM"
[ "$(status /api/health/live)" = 200 ] || fail "live did not stay 200 while draining"
echo "SIGTERM: ready 503 draining, live 200"
# Bounded: the drain takes CODEVIEW_DRAIN_SECS and then at most ~10 s (a zombie has exited).
for _ in $(seq 1 300); do
  case "$(ps -o stat= -p "$server" 2>/dev/null || true)" in "" | Z*) break ;; esac
  sleep 0.1
done
case "$(ps -o stat= -p "$server" 2>/dev/null || true)" in "" | Z*) ;; *) fail "still running 30 s after SIGTERM" ;; esac
exit_code=0
wait "$server" || exit_code=$?
server=""
[ "$exit_code" = 0 ] || { cat "$work/server.log"; fail "exit status $exit_code after SIGTERM"; }
echo "exited cleanly after the drain"
