#!/usr/bin/env bash
# Collaboration benchmark (issue 4): builds CodeView's server and the load generator, then runs
# the same scenarios against CodeView and the reference @y/websocket-server@0.1.1 on this
# machine, one server at a time (each scenario on a freshly started server), and prints a
# markdown table. Raw JSON results go to $BENCH_DIR/results.jsonl.
#
# Knobs (environment): BENCH_DIR, CV_PORT, REF_PORT, ROOMS, DURATION, RATES (per-client
# rates of the throughput sweep), MEMORY_ROOMS, CAPACITY_ROOMS (0 skips the capacity run),
# SERVERS ("codeview reference"), SCENARIOS ("latency sweep memory capacity sync runs
# terminal"; `runs` times Run → first output through CodeView's HTTP API and room socket,
# `terminal` a keystroke in the interactive terminal → its echo on another socket, CodeView only),
# GEN_THREADS, SKIP_BUILD=1 (use the existing binaries), LOADGEN (generator binary),
# APPEND=1 (keep earlier results in results.jsonl), CV_POSTGRES (a PostgreSQL server URL such
# as postgres://postgres@127.0.0.1:5432: CodeView then runs on a database `codeview_bench`
# there, dropped and created for each run, instead of SQLite; the log's costs differ a lot
# between the two, so measure both when the log changes).
#
# Scenario `cluster` (issue 21; CodeView only, not in the default list): the latency scenario
# (ROOMS × 2 clients × 1 edit/s) on CLUSTER_SIZES instances in turn (default "1 2"), each size
# on a fresh PostgreSQL database (CV_POSTGRES, default postgres://postgres@127.0.0.1:5432);
# sizes above 1 share a redis-server of the script's own (REDIS_SERVER, CLUSTER_REDIS_PORT) and
# put each room's two clients on two different instances. Size 1 runs without Redis: the
# single-machine baseline, measured in the same run. CLUSTER_REPEAT runs the sizes that many
# times, alternated. Instances listen from CLUSTER_PORT up, their metrics 100 ports above
# (scraped when each run's measured window starts and ends, into
# $BENCH_DIR/cluster-N-I.start.prom and cluster-N-I.prom; the window's histograms are printed),
# and every thread's time on and waiting for a CPU over the same window (bench/sched-window.py).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
BENCH_DIR=${BENCH_DIR:-/tmp/bench}
CV_PORT=${CV_PORT:-18471}
REF_PORT=${REF_PORT:-18472}
ROOMS=${ROOMS:-1000}
DURATION=${DURATION:-20}
RATES=${RATES:-"3 6"}
MEMORY_ROOMS=${MEMORY_ROOMS:-1000}
CAPACITY_ROOMS=${CAPACITY_ROOMS:-9900}
SERVERS=${SERVERS:-"codeview reference"}
SCENARIOS=${SCENARIOS:-"latency sweep memory capacity sync runs terminal"}
GEN_THREADS=${GEN_THREADS:-1}
CLUSTER_SIZES=${CLUSTER_SIZES:-"1 2"}
CLUSTER_REPEAT=${CLUSTER_REPEAT:-1}
CLUSTER_PORT=${CLUSTER_PORT:-18481}
CLUSTER_REDIS_PORT=${CLUSTER_REDIS_PORT:-18479}
REDIS_SERVER=${REDIS_SERVER:-redis-server}
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-/root/.cache/codeview-target}

# Each 2-client room costs two sockets in the server and two in the generator.
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"
mkdir -p "$BENCH_DIR"
RESULTS=$BENCH_DIR/results.jsonl
[ "${APPEND:-0}" = 1 ] || : > "$RESULTS"

if [ "${SKIP_BUILD:-0}" != 1 ]; then
  echo "building…" >&2
  (cd "$ROOT" && cargo build --release -q -p codeview -p codeview-loadgen)
fi
SERVER_BIN=$CARGO_TARGET_DIR/release/codeview
LOADGEN=${LOADGEN:-$CARGO_TARGET_DIR/release/codeview-loadgen}
if [ ! -d "$ROOT/bench/reference-server/node_modules" ]; then
  (cd "$ROOT/bench/reference-server" && npm ci --no-audit --no-fund)
fi

SERVER_PID=
stop_server() {
  if [ -n "$SERVER_PID" ]; then
    kill "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
    SERVER_PID=
  fi
}
CLUSTER_PIDS=()
REDIS_PID=
stop_cluster() {
  for pid in "${CLUSTER_PIDS[@]}" $REDIS_PID; do
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  CLUSTER_PIDS=()
  REDIS_PID=
}
trap 'stop_server; stop_cluster' EXIT

wait_for_port() {
  for _ in $(seq 1 100); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; then return 0; fi
    sleep 0.1
  done
  echo "server on port $1 did not start" >&2
  return 1
}

# start_server NAME: starts a fresh server; sets SERVER_PID, URL, SETUP_ARGS.
start_server() {
  stop_server
  case $1 in
    codeview)
      # A fresh database per run: documents start empty, as on the in-memory reference (earlier
      # runs' text would otherwise load into every room and count as per-room memory).
      rm -f "$BENCH_DIR"/db.sqlite* "$BENCH_DIR/rooms.json"
      local database_url="sqlite://$BENCH_DIR/db.sqlite"
      if [ -n "${CV_POSTGRES:-}" ]; then
        psql -q "$CV_POSTGRES/postgres" -c "DROP DATABASE IF EXISTS codeview_bench" -c "CREATE DATABASE codeview_bench"
        database_url="$CV_POSTGRES/codeview_bench"
      fi
      # The generator holds up to ~20,000 sockets from 127.0.0.1: lift the per-address caps,
      # and let the total cap reach the open-file limit (the capacity scenario measures it).
      # One account hosts every room: lift its quotas of interviews and live documents.
      RUST_LOG=warn "$SERVER_BIN" serve --addr "127.0.0.1:$CV_PORT" \
        --database-url "$database_url" --max-connections-per-ip 1000000 --max-connections 1000000 \
        --max-doc-sockets-per-address 1000000 --quota-open-interviews 1000000 \
        --quota-live-documents 1000000 --quota-live-document-mib 1000000 \
        > "$BENCH_DIR/codeview.log" 2>&1 &
      SERVER_PID=$!
      wait_for_port "$CV_PORT"
      URL="ws://127.0.0.1:$CV_PORT/ws/yjs/{room}/code"
      SETUP_ARGS=(--setup "http://127.0.0.1:$CV_PORT" --rooms-file "$BENCH_DIR/rooms.json")
      ;;
    reference)
      (cd "$ROOT/bench/reference-server" &&
        HOST=127.0.0.1 PORT=$REF_PORT exec node node_modules/@y/websocket-server/src/server.js) \
        > "$BENCH_DIR/reference.log" 2>&1 &
      SERVER_PID=$!
      wait_for_port "$REF_PORT"
      URL="ws://127.0.0.1:$REF_PORT/{room}"
      SETUP_ARGS=()
      ;;
  esac
}

# cluster_latency N: the latency scenario on N CodeView instances (one PostgreSQL database, and
# for N > 1 one Redis; client i of room r on instance (r + i) mod N); appends its JSON.
cluster_latency() {
  local n=$1 postgres=${CV_POSTGRES:-postgres://postgres@127.0.0.1:5432}
  stop_cluster
  psql -q "$postgres/postgres" -c "DROP DATABASE IF EXISTS codeview_bench" -c "CREATE DATABASE codeview_bench"
  rm -f "$BENCH_DIR/rooms.json"
  local redis_args=() loadgen_args=()
  if [ "$n" -gt 1 ]; then
    "$REDIS_SERVER" --port "$CLUSTER_REDIS_PORT" --bind 127.0.0.1 --save "" --appendonly no \
      > "$BENCH_DIR/redis.log" 2>&1 &
    REDIS_PID=$!
    wait_for_port "$CLUSTER_REDIS_PORT"
    redis_args=(--redis-url "redis://127.0.0.1:$CLUSTER_REDIS_PORT")
    loadgen_args+=(--redis-pid "$REDIS_PID")
  fi
  for i in $(seq 0 $((n - 1))); do
    local port=$((CLUSTER_PORT + i))
    # The same lifted caps and quotas as start_server's.
    RUST_LOG=warn "$SERVER_BIN" serve --addr "127.0.0.1:$port" \
      --database-url "$postgres/codeview_bench" "${redis_args[@]}" \
      --max-connections-per-ip 1000000 --max-connections 1000000 \
      --max-doc-sockets-per-address 1000000 --quota-open-interviews 1000000 \
      --quota-live-documents 1000000 --quota-live-document-mib 1000000 \
      --metrics-addr "127.0.0.1:$((port + 100))" \
      > "$BENCH_DIR/cluster-$i.log" 2>&1 &
    CLUSTER_PIDS+=($!)
    # The first instance migrates the fresh database before the others start.
    wait_for_port "$port"
    loadgen_args+=(--url "ws://127.0.0.1:$port/ws/yjs/{room}/code" --server-pid "${CLUSTER_PIDS[-1]}")
  done
  echo "== codeview × $n / cluster: $ROOMS rooms  (load average $(cut -d' ' -f1-3 /proc/loadavg))" >&2
  # Each instance's own view (edit→relay and relay-leg histograms), for where the time goes:
  # scraped when the measured window starts (the generator's rooms synced and its 3 s warm-up
  # over) and when it ends; bench/prom-window.py reads the window between the two.
  : > "$BENCH_DIR/loadgen.err"
  rm -f "$BENCH_DIR/cluster-$n.start.sched.json" "$BENCH_DIR/cluster-$n.sched.json"
  (
    until grep -q "rooms synced" "$BENCH_DIR/loadgen.err" 2>/dev/null; do sleep 0.1; done
    sleep 3
    local window_end=$((SECONDS + DURATION))
    for i in $(seq 0 $((n - 1))); do
      curl -sf "http://127.0.0.1:$((CLUSTER_PORT + i + 100))/metrics" > "$BENCH_DIR/cluster-$n-$i.start.prom" || true
    done
    python3 "$ROOT/bench/sched-window.py" snap "$BENCH_DIR/cluster-$n.start.sched.json" || true
    # The threads' counters 2 s before the window's end, while the generator surely runs.
    sleep "$((window_end - 2 - SECONDS > 0 ? window_end - 2 - SECONDS : 0))"
    python3 "$ROOT/bench/sched-window.py" snap "$BENCH_DIR/cluster-$n.sched.json" || true
  ) &
  local scraper=$!
  if "$LOADGEN" --label "codeview × $n" "${loadgen_args[@]}" \
    --setup "http://127.0.0.1:$CLUSTER_PORT" --rooms-file "$BENCH_DIR/rooms.json" \
    --threads "$GEN_THREADS" --rooms "$ROOMS" --rate-per-client 1 --duration "$DURATION" \
    > "$BENCH_DIR/last.json" 2> >(tee -a "$BENCH_DIR/loadgen.err" >&2); then
    jq -c '. + {scenario: "cluster"}' "$BENCH_DIR/last.json" >> "$RESULTS"
  else
    echo "   (run failed)" >&2
  fi
  for _ in $(seq 50); do [ -e "$BENCH_DIR/cluster-$n.sched.json" ] && break; sleep 0.1; done
  kill "$scraper" 2>/dev/null || true
  wait "$scraper" 2>/dev/null || true
  if [ -s "$BENCH_DIR/cluster-$n.start.sched.json" ] && [ -s "$BENCH_DIR/cluster-$n.sched.json" ]; then
    echo "   threads on the CPUs in the measured window:" >&2
    python3 "$ROOT/bench/sched-window.py" diff "$BENCH_DIR/cluster-$n.start.sched.json" "$BENCH_DIR/cluster-$n.sched.json" >&2 || true
  fi
  for i in $(seq 0 $((n - 1))); do
    curl -sf "http://127.0.0.1:$((CLUSTER_PORT + i + 100))/metrics" > "$BENCH_DIR/cluster-$n-$i.prom" || true
    if [ -s "$BENCH_DIR/cluster-$n-$i.start.prom" ]; then
      echo "   instance $i, measured window:" >&2
      python3 "$ROOT/bench/prom-window.py" "$BENCH_DIR/cluster-$n-$i.start.prom" "$BENCH_DIR/cluster-$n-$i.prom" >&2 || true
    fi
  done
  stop_cluster
}

# loadgen SERVER SCENARIO ARGS…: one generator run on a fresh server; appends its JSON.
loadgen() {
  local server=$1 scenario=$2
  shift 2
  start_server "$server"
  echo "== $server / $scenario: $*  (load average $(cut -d' ' -f1-3 /proc/loadavg))" >&2
  if "$LOADGEN" --label "$server" --url "$URL" "${SETUP_ARGS[@]}" --server-pid "$SERVER_PID" \
    --threads "$GEN_THREADS" "$@" > "$BENCH_DIR/last.json"; then
    jq -c --arg s "$scenario" '. + {scenario: $s}' "$BENCH_DIR/last.json" >> "$RESULTS"
  else
    echo "   (run failed)" >&2
  fi
  stop_server
}

# capacity SERVER: hold CAPACITY_ROOMS 2-client rooms on one server, with the sockets split
# over two generator processes (one process may hold about 20,000 files).
capacity() {
  local server=$1 half=$((CAPACITY_ROOMS / 2))
  start_server "$server"
  echo "== $server / capacity: $CAPACITY_ROOMS rooms  (load average $(cut -d' ' -f1-3 /proc/loadavg))" >&2
  local base_args=(--label "$server" --url "$URL" "${SETUP_ARGS[@]}" --threads "$GEN_THREADS")
  local first_args=("${base_args[@]}" --mode idle)
  # The second half creates its interviews only after the first half has synced, so the two
  # never race on the rooms file.
  rm -f "$BENCH_DIR/capacity-a.log"
  "$LOADGEN" "${first_args[@]}" --rooms "$half" --hold 60 > "$BENCH_DIR/capacity-a.json" 2> "$BENCH_DIR/capacity-a.log" &
  local first=$!
  # The second half starts once the first has synced (its report is printed after the hold).
  sleep 5
  while ! grep -q "rooms synced" "$BENCH_DIR/capacity-a.log" 2>/dev/null; do
    kill -0 "$first" 2>/dev/null || break
    sleep 1
  done
  "$LOADGEN" "${first_args[@]}" --rooms "$half" --room-offset "$half" --server-pid "$SERVER_PID" \
    > "$BENCH_DIR/capacity-b.json" || true
  kill "$first" 2>/dev/null || true
  wait "$first" 2>/dev/null || true
  local synced_a synced_b
  synced_a=$(grep -o '^[0-9]*/[0-9]* rooms synced' "$BENCH_DIR/capacity-a.log" | cut -d/ -f1)
  synced_b=$(jq -r '.rooms_synced // 0' "$BENCH_DIR/capacity-b.json" 2>/dev/null || echo 0)
  jq -c --arg s capacity --argjson a "${synced_a:-0}" --argjson b "${synced_b:-0}" \
    '. + {scenario: $s, rooms_held: ($a + $b), server_rss_kib: .server_rss_after_kib}' \
    "$BENCH_DIR/capacity-b.json" >> "$RESULTS" 2>/dev/null || echo "   (capacity run failed)" >&2
  stop_server
}

for server in $SERVERS; do
  for scenario in $SCENARIOS; do
    case $scenario in
      latency)
        loadgen "$server" "latency" --rooms "$ROOMS" --rate-per-client 1 --duration "$DURATION" ;;
      sweep)
        for rate in $RATES; do
          loadgen "$server" "sweep" --rooms "$ROOMS" --rate-per-client "$rate" --duration "$DURATION"
        done ;;
      memory)
        loadgen "$server" "memory" --mode idle --rooms "$MEMORY_ROOMS" ;;
      capacity)
        [ "$CAPACITY_ROOMS" -gt 0 ] && capacity "$server" ;;
      sync)
        loadgen "$server" "sync" --mode initial-sync --initial-doc-bytes 1000000 --joiners 10 ;;
      runs)
        [ "$server" = codeview ] && loadgen "$server" "runs" --mode run-first-byte ;;
      terminal)
        [ "$server" = codeview ] && loadgen "$server" "terminal" --mode terminal-echo --keystrokes 300 ;;
      cluster)
        if [ "$server" = codeview ]; then
          for _ in $(seq 1 "$CLUSTER_REPEAT"); do
            for size in $CLUSTER_SIZES; do cluster_latency "$size"; done
          done
        fi ;;
    esac
  done
done

echo
echo "Machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), load average now $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "| server | scenario | rooms × clients | edits/s (target) | p50 ms | p90 ms | p99 ms | max ms | delivered | converged | server CPU % | generator CPU % | server RSS MB | KB/room | 1 MB sync ms (first / median) on the wire, applied | load avg |"
echo "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"
jq -r '
  def f(x): if x == null then "–" else (x * 100 | round / 100 | tostring) end;
  def i(x): if x == null then "–" else (x | round | tostring) end;
  select(.mode != "run-first-byte" and .mode != "terminal-echo") |
  "| \(.label) | \(.scenario) | \(if .rooms then "\(.rooms_held // .rooms_synced // .rooms) × \(.clients_per_room)" else "1 + joiners" end) | \(if .edits_per_s then "\(i(.edits_per_s)) (\(i(.target_edits_per_s)))" else "–" end) | \(f(.p50_ms)) | \(f(.p90_ms)) | \(f(.p99_ms)) | \(f(.max_ms)) | \(if .expected_deliveries then "\(.deliveries)/\(.expected_deliveries)" else "–" end) | \(if .rooms_converged != null then "\(.rooms_converged)/\(.rooms)" else "–" end) | \(i(.server_cpu_pct)) | \(i(.generator_cpu_pct)) | \(if .server_rss_kib then f(.server_rss_kib / 1024) elif .server_rss_after_kib then f(.server_rss_after_kib / 1024) else "–" end) | \(f(.server_kb_per_room)) | \(if .first_ms then "wire \(f(.wire_first_ms)) / \(f(.wire_median_ms)), applied \(f(.first_ms)) / \(f(.median_ms)) (\(.step2_bytes) B)" else "–" end) | \(.load_average) |"
' "$RESULTS"
jq -r 'select(.scenario == "cluster") |
  "\nCluster (\(.label), \(.rooms) rooms, each room'"'"'s clients on \(if .instances > 1 then "two instances" else "one instance" end)): p50 \(.p50_ms * 100 | round / 100) ms, p95 \(.p95_ms * 100 | round / 100), p99 \(.p99_ms * 100 | round / 100); \(.rooms_diverged) diverged, \(.rooms_converged)/\(.rooms) converged; server CPU \(if .instances_cpu_pct then (.instances_cpu_pct | map(round | tostring) | join(" + ")) else (.server_cpu_pct | round | tostring) end) %\(if .redis_cpu_pct then ", redis-server \(.redis_cpu_pct | round) %" else "" end), generator \(.generator_cpu_pct | round) %; load average \(.load_average)"' "$RESULTS"
jq -r 'select(.mode == "run-first-byte") |
  "\nCode runs (\(.label), \(.runs) Python hello worlds one after another): Run → first output on the room socket p50 \(.first_byte_p50_ms * 10 | round / 10) ms (p90 \(.first_byte_p90_ms * 10 | round / 10)), → finished p50 \(.finished_p50_ms * 10 | round / 10) ms; load average \(.load_average)"' "$RESULTS"
jq -r 'select(.mode == "terminal-echo") |
  "\nTerminal echo (\(.label), \(.keystrokes) raw-mode keystrokes one after another): keystroke on one room socket → its echo by the program on another p50 \(.p50_ms * 10 | round / 10) ms (p95 \(.p95_ms * 10 | round / 10), p99 \(.p99_ms * 10 | round / 10)); load average \(.load_average)"' "$RESULTS"
