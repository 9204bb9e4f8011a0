#!/usr/bin/env bash
# One MQTT load run on this machine, loopback only (docs/performance.md, "Fleet: MQTT load"):
# Mosquitto in a temp dir, one or two collectors on the shared subscription storing to SQLite or PostgreSQL,
# edgelstm-loadtest's simulated boards, CPU/RSS of every process over the publishing window, then a cross-check
# of frames stored against frames sent. Everything it starts it stops, and its temp dir is removed.
#
#   tools/loadtest/run-load.sh [--store sqlite|postgres] [--collectors 1|2] [--boards N] [--rate-hz R] [--duration S]
#                          [--max-inflight N (Mosquitto's per-client window, default 100)]
#                          [--drain S (seconds to wait for the last Acks, default 60)] [--no-build]
#
# Results: the load tool's JSON on stdout (then the collectors' own counts and the database's); progress on stderr.
set -euo pipefail

store=sqlite collectors=1 boards=1000 rate=10 duration=60 build=1 inflight=100 drain=60
while [[ $# -gt 0 ]]; do
  case "$1" in
    --store) store=$2; shift 2 ;;
    --collectors) collectors=$2; shift 2 ;;
    --boards) boards=$2; shift 2 ;;
    --rate-hz) rate=$2; shift 2 ;;
    --duration) duration=$2; shift 2 ;;
    --max-inflight) inflight=$2; shift 2 ;;
    --drain) drain=$2; shift 2 ;;
    --no-build) build=0; shift ;;
    *) echo "run-load.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
[[ $store == sqlite || $store == postgres ]] || { echo "run-load.sh: --store must be sqlite or postgres" >&2; exit 2; }
[[ $collectors == 1 || $collectors == 2 ]] || { echo "run-load.sh: --collectors must be 1 or 2" >&2; exit 2; }

repo=$(cd "$(dirname "$0")/../.." && pwd)
collector_dll=$repo/src/EdgeLstm.Collector/bin/Release/net10.0/edgelstm-collector.dll
loadtest_dll=$repo/tools/EdgeLstm.LoadTest/bin/Release/net10.0/edgelstm-loadtest.dll
pg_bin=/usr/lib/postgresql/15/bin
if (( build )); then
  dotnet build "$repo/src/EdgeLstm.Collector" -c Release -v q -nologo >&2
  dotnet build "$repo/tools/EdgeLstm.LoadTest" -c Release -v q -nologo >&2
fi

work=$(mktemp -d /tmp/edgelstm-load.XXXXXX)
chmod 755 "$work"
pids=()
pg_started=0
cleanup() {
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do timeout 30 tail --pid="$pid" -f /dev/null 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true; done
  if (( pg_started )); then as_postgres "$pg_bin/pg_ctl" -D "$work/pg/data" -m fast -w stop >/dev/null 2>&1 || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

as_postgres() { if [[ $(id -u) == 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_for_line() { # file, pattern, seconds
  for _ in $(seq 1 $(( $3 * 10 ))); do grep -q "$2" "$1" 2>/dev/null && return 0; sleep 0.1; done
  echo "run-load.sh: timed out waiting for '$2' in $1:" >&2; cat "$1" >&2; return 1
}

# Mosquitto: persistent, queues deep enough for a collector that falls behind, loopback only.
mqtt_port=$(free_port)
mkdir -p "$work/mosquitto"
cat > "$work/mosquitto/mosquitto.conf" <<CONF
listener $mqtt_port 127.0.0.1
allow_anonymous true
persistence true
persistence_location $work/mosquitto/
max_queued_messages 1000000
max_inflight_messages $inflight
log_dest file $work/mosquitto/mosquitto.log
CONF
if [[ $(id -u) == 0 ]]; then echo "user root" >> "$work/mosquitto/mosquitto.conf"; fi
/usr/sbin/mosquitto -c "$work/mosquitto/mosquitto.conf" &
mosquitto_pid=$!
pids+=("$mosquitto_pid")
wait_for_line "$work/mosquitto/mosquitto.log" "running" 10

if [[ $store == postgres ]]; then
  mkdir -p "$work/pg"
  [[ $(id -u) == 0 ]] && chown postgres: "$work/pg"
  pg_port=$(free_port)
  as_postgres "$pg_bin/initdb" -D "$work/pg/data" -U edgelstm --auth=trust -E UTF8 --locale=C --no-sync >/dev/null
  as_postgres "$pg_bin/pg_ctl" -D "$work/pg/data" -l "$work/pg/server.log" -w -t 60 \
    -o "-p $pg_port -k $work/pg -c listen_addresses=127.0.0.1" start >/dev/null
  pg_started=1
  as_postgres "$pg_bin/createdb" -h 127.0.0.1 -p "$pg_port" -U edgelstm edgelstm
  store_uri="postgres://edgelstm@127.0.0.1:$pg_port/edgelstm"
else
  store_uri=$work/edgelstm.db
fi

collector_pids=()
watch=(--watch "mosquitto=$mosquitto_pid")
for n in $(seq 1 "$collectors"); do
  dotnet "$collector_dll" run --broker "mqtt://127.0.0.1:$mqtt_port" --mqtt-client-id "load-collector-$n" \
    --tcp-port 0 --store "$store_uri" > "$work/collector-$n.out" 2> "$work/collector-$n.err" &
  pid=$!
  pids+=("$pid")
  collector_pids+=("$pid")
  watch+=(--watch "collector-$n=$pid")
  wait_for_line "$work/collector-$n.out" "mqtt broker" 60
done

echo "run-load.sh: $boards boards x $rate Hz for $duration s, $collectors collector(s), $store, max_inflight_messages $inflight" >&2
set +e
dotnet "$loadtest_dll" --broker "mqtt://127.0.0.1:$mqtt_port" --boards "$boards" --rate-hz "$rate" --duration "$duration" \
  --connect-rate 200 --drain-timeout "$drain" "${watch[@]}" --json
status=$?
set -e

# The collectors' own counts (printed at SIGINT), then the database's: frames stored per device, summed.
for n in "${!collector_pids[@]}"; do
  kill -TERM "${collector_pids[$n]}" # not INT: background jobs of a script start with SIGINT ignored
  timeout 60 tail --pid="${collector_pids[$n]}" -f /dev/null || true
  grep "stopped mqtt" "$work/collector-$((n + 1)).out" || cat "$work/collector-$((n + 1)).err" >&2
done
dotnet "$collector_dll" devices --store "$store_uri" > "$work/devices.csv"
awk -F, 'NR > 1 { devices++; frames += $7; gaps += $8 } END { printf "database: %d devices, %d frames stored, %d open gaps\n", devices, frames, gaps }' "$work/devices.csv"
exit $status
