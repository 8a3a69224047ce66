#!/usr/bin/env bash
# Latency benchmark: starts the sample-game server and a bot swarm pinned to separate cores, runs a
# named scenario, stops both by their own PIDs and appends the results to bench/results.md and
# bench/results.jsonl. See docs/benchmarks.md for the method and what each number means.
#
#   bench/run.sh SCENARIO [SCENARIO...]
#
# Scenarios:
#   smoke             20 players, 5 s: checks that everything runs
#   room-50 room-100 room-200 room-400 room-1000
#                     one room with that many players (room capacity 1000)
#   rooms-100x8       100 rooms of 8 players (room capacity 8, 800 players)
#   rooms-100x20      100 rooms of 20 players (2,000 players: what one bot core must drive)
#   world-1000        the sample game's replicated world mode (TICKWAVE_MODE=world): 1,000 wandering
#                     players in one room (capacity 1000) on a map the server sizes so that each sees
#                     about 50-100 others; players spread from where the server spawns them. Targets
#                     (issue 8): <= 256 kbit/s per client, input->snapshot p99 <= 100 ms, tick p99
#                     <= 1/4 of the tick budget, no bots behind. The report's state line (one bot in
#                     STATE_STATS decodes) gives state bytes per snapshot and per updated entity
#   world-200         the same with 200 players: a quick check
#   slow-consumers    200 players in one room, twice: all reading, then 5% that stop reading;
#                     the readers' p99 should not move (SLOW_DURATION [40s] each)
#   capacity          --find-capacity: players in one room until input->snapshot p99 > 50 ms
#   one-room          room-50 .. room-1000 in turn
#   all               every scenario above but smoke, rooms-100x20 and world-200
#
# Environment (defaults in brackets):
#   DURATION [30s] measured time per run      WARMUP [10s] excluded warm-up after the ramp
#   RAMP [5s] joins spread over this time     INPUT_RATE [20] inputs/s per bot
#   BEHAVIOUR [wander]                        PORT [18080]
#   SERVER_CPUS [0] BOTS_CPUS [1]             cores for taskset (comma lists allowed)
#   SERVER_JAVA_OPTS, BOTS_JAVA_OPTS [-Xms1g -Xmx1g -Xmn64m]: a small young generation puts the
#                     first, slow collections (everything long-lived promoted) into the ramp
#   TICK_RATE [30] SNAPSHOT_RATE [30]         SLO_P99 [50ms] for capacity
#   OUT [bench/out]                           per-run JSON, PNG charts, .hgrm files, logs (not committed)
#   SERVER_JAR [sample-game/target/tickwave.jar]  another build of the server, to compare builds
#   TARGET [tickwave]  tickwave: SERVER_JAR; floor: the bare C floor server (FLOOR_BIN
#                     [/tmp/floor/floor], built from /work/shared/floor when missing). The floor has
#                     no rooms: every scenario is its player count of clients, and its state is
#                     round(24 × room size / players) filler bytes per player (24 per player in one room)
#   SERVER_CMD []     any other server: a command line run with PORT set, answering /health
#   BOTS_JAR [bots/target/tickwave-bots.jar]  BOTS_PROTOCOL [2]: the bots' --protocol-version
#                     (1 for the previous build, which speaks only v1)
#   RUN_NOTE []                               appended to the results heading (say what SERVER_JAR is)
#   STATE_STATS [50]  one bot in this many decodes the replicated state for the state figures (0: none)
#   VERIFY [0]        1: every bot decodes and checks state_hash (--verify; costs bot CPU, so not for
#                     latency figures); mismatches and decode failures count as errors
#   QUIET_WAIT [180]  before each run, wait up to this many seconds for the machine to be idle
#                     (under QUIET_PCT [15] % busy over 3 s); other work on the cores ruins the tails
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

DURATION="${DURATION:-30s}"
WARMUP="${WARMUP:-10s}"
RAMP="${RAMP:-5s}"
INPUT_RATE="${INPUT_RATE:-20}"
BEHAVIOUR="${BEHAVIOUR:-wander}"
PORT="${PORT:-18080}"
SERVER_CPUS="${SERVER_CPUS:-0}"
BOTS_CPUS="${BOTS_CPUS:-1}"
SERVER_JAVA_OPTS="${SERVER_JAVA_OPTS:--Xms1g -Xmx1g -Xmn64m}"
BOTS_JAVA_OPTS="${BOTS_JAVA_OPTS:--Xms1g -Xmx1g -Xmn64m}"
TICK_RATE="${TICK_RATE:-30}"
SNAPSHOT_RATE="${SNAPSHOT_RATE:-30}"
SLO_P99="${SLO_P99:-50ms}"
OUT="${OUT:-bench/out}"
RESULTS_MD="${RESULTS_MD:-bench/results.md}"
RESULTS_JSONL="${RESULTS_JSONL:-bench/results.jsonl}"
SERVER_JAR="${SERVER_JAR:-sample-game/target/tickwave.jar}"
BOTS_JAR="${BOTS_JAR:-bots/target/tickwave-bots.jar}"
BOTS_PROTOCOL="${BOTS_PROTOCOL:-2}"
TARGET="${TARGET:-tickwave}"
SERVER_CMD="${SERVER_CMD:-}"
FLOOR_BIN="${FLOOR_BIN:-/tmp/floor/floor}"
FLOOR_SRC="${FLOOR_SRC:-/work/shared/floor}"
case "$TARGET" in tickwave|floor) ;; *) echo "TARGET must be tickwave or floor, not $TARGET" >&2; exit 2 ;; esac

STATE_STATS="${STATE_STATS:-50}"
VERIFY="${VERIFY:-0}"
# The sample game's mode for the next server start (world-* scenarios set it; empty: the game's default).
SERVER_MODE=""

QUIET_WAIT="${QUIET_WAIT:-180}"
QUIET_PCT="${QUIET_PCT:-15}"

SERVER_PID=""
BOTS_PID=""

usage() {
  sed -n '2,49p' "$0" | sed 's/^# \{0,1\}//'
  exit 2
}

cleanup() {
  # Stop only what this script started, by PID.
  if [[ -n "$BOTS_PID" ]] && kill -0 "$BOTS_PID" 2>/dev/null; then kill "$BOTS_PID" 2>/dev/null || true; fi
  if [[ -n "$SERVER_PID" ]] && kill -0 "$SERVER_PID" 2>/dev/null; then kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; fi
  SERVER_PID=""
  BOTS_PID=""
}
trap cleanup EXIT INT TERM

build_if_missing() {
  if [[ "$TARGET" == floor && -z "$SERVER_CMD" && ! -x "$FLOOR_BIN" ]]; then
    mkdir -p "$(dirname "$FLOOR_BIN")"
    "$FLOOR_SRC/build.sh" "$FLOOR_BIN"
  fi
  local missing=""
  if [[ "$TARGET" == tickwave && -z "$SERVER_CMD" && ! -f "$SERVER_JAR" ]]; then missing="$SERVER_JAR"; fi
  if [[ ! -f "$BOTS_JAR" ]]; then missing="${missing:+$missing and }$BOTS_JAR"; fi
  if [[ -n "$missing" ]]; then
    # -am builds the modules they depend on too (protocol, server), so a fresh checkout works.
    echo "building $missing"
    mvn -q -B -pl sample-game,bots -am package -DskipTests
  fi
}

# Busy and total jiffies of all CPUs from /proc/stat (busy = all but idle and iowait).
cpu_jiffies() {
  awk '/^cpu / { busy = $2 + $3 + $4 + $7 + $8 + $9; print busy, busy + $5 + $6 }' /proc/stat
}

wait_quiet() {
  local waited=0 b1 t1 b2 t2 pct
  while true; do
    read -r b1 t1 < <(cpu_jiffies)
    sleep 3
    read -r b2 t2 < <(cpu_jiffies)
    pct=$(( (b2 - b1) * 100 / (t2 - t1 > 0 ? t2 - t1 : 1) ))
    if (( pct < QUIET_PCT )); then
      return 0
    fi
    waited=$((waited + 3))
    if (( waited >= QUIET_WAIT )); then
      echo "machine still ${pct}% busy after ${waited}s; running anyway (see the other CPU % column)"
      return 0
    fi
    (( waited % 30 == 0 )) && echo "waiting for a quiet machine: ${pct}% busy"
  done
}

start_server() { # room-capacity label players
  wait_quiet
  local capacity="$1" label="$2" players="${3:-$1}"
  if curl -sf "http://127.0.0.1:$PORT/health" >/dev/null 2>&1; then
    echo "something already answers on port $PORT; set PORT to a free one" >&2
    exit 1
  fi
  if [[ -n "$SERVER_CMD" ]]; then
    # shellcheck disable=SC2086
    PORT="$PORT" taskset -c "$SERVER_CPUS" bash -c "exec $SERVER_CMD" >"$OUT/$label.server.log" 2>&1 &
  elif [[ "$TARGET" == floor ]]; then
    # No rooms in the floor: each client's state is 24 bytes per player of a room of `capacity`
    # (capped at the players), spread over all the players the floor sees.
    local room=$(( capacity < players ? capacity : players ))
    local per_player=$(( (24 * room + players / 2) / players ))
    taskset -c "$SERVER_CPUS" "$FLOOR_BIN" --port "$PORT" --snapshot-hz "$SNAPSHOT_RATE" \
      --tick-rate "$TICK_RATE" --state-bytes-per-player "$per_player" >"$OUT/$label.server.log" 2>&1 &
  else
    # shellcheck disable=SC2086
    ${SERVER_MODE:+env TICKWAVE_MODE="$SERVER_MODE"} taskset -c "$SERVER_CPUS" java $SERVER_JAVA_OPTS -jar "$SERVER_JAR" --port "$PORT" \
      --tick-rate "$TICK_RATE" --snapshot-rate "$SNAPSHOT_RATE" --room-capacity "$capacity" \
      >"$OUT/$label.server.log" 2>&1 &
  fi
  SERVER_PID=$!
  for _ in $(seq 1 100); do
    if curl -sf "http://127.0.0.1:$PORT/health" >/dev/null 2>&1; then return 0; fi
    if ! kill -0 "$SERVER_PID" 2>/dev/null; then
      echo "server exited; see $OUT/$label.server.log" >&2
      exit 1
    fi
    sleep 0.2
  done
  echo "server did not answer /health within 20 s" >&2
  exit 1
}

stop_server() {
  if [[ -n "$SERVER_PID" ]]; then
    kill "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
    SERVER_PID=""
  fi
}

run_bots() { # label, then extra bot options
  local label="$1"
  shift
  : >"$OUT/$label.bots.log" # exists before tail follows it
  # shellcheck disable=SC2086
  taskset -c "$BOTS_CPUS" java $BOTS_JAVA_OPTS -jar "$BOTS_JAR" \
    --url "ws://127.0.0.1:$PORT/ws" \
    --server-metrics "http://127.0.0.1:$PORT/metrics" --server-pid "$SERVER_PID" \
    --label "$label" --input-rate "$INPUT_RATE" --behaviour "$BEHAVIOUR" --protocol-version "$BOTS_PROTOCOL" \
    --json "$OUT/$label.json" --hgrm "$OUT/$label.hgrm" \
    --state-stats "$STATE_STATS" $(if [[ "$VERIFY" == 1 ]]; then echo --verify; fi) \
    --append-jsonl "$RESULTS_JSONL" "$@" >"$OUT/$label.bots.log" 2>&1 &
  BOTS_PID=$!
  tail -n +1 -f --pid="$BOTS_PID" "$OUT/$label.bots.log" &
  local tail_pid=$!
  wait "$BOTS_PID" || echo "bots exited with $? ($label)"
  wait "$tail_pid" 2>/dev/null || true
  BOTS_PID=""
}

# One measured run against a fresh server.
scenario_run() { # label room-capacity bots [extra bot options]
  local label="$1" capacity="$2" bots="$3"
  shift 3
  echo "=== $label: $bots players, room capacity $capacity ==="
  start_server "$capacity" "$label" "$bots"
  run_bots "$label" --bots "$bots" --ramp "$RAMP" --warmup "$WARMUP" --duration "$DURATION" \
    --append-md "$RESULTS_MD" "$@"
  stop_server
}

scenario() {
  case "$1" in
    smoke) DURATION=5s WARMUP=2s RAMP=1s scenario_run smoke 1000 20 ;;
    room-50|room-100|room-200|room-400|room-1000) scenario_run "$1" 1000 "${1#room-}" ;;
    rooms-100x8) scenario_run rooms-100x8 8 800 ;;
    rooms-100x20) scenario_run rooms-100x20 20 2000 ;;
    world-1000|world-200) SERVER_MODE=world scenario_run "$1" 1000 "${1#world-}" ;;
    slow-consumers)
      # 40 s at least: a stalled reader is only noticed once the kernel buffers between it and the
      # server are full (16 KiB on the bot's side, what the server's send buffer holds on the other),
      # plus the server's stall timeout (5 s).
      DURATION="${SLOW_DURATION:-40s}" scenario_run slow-consumers-baseline 1000 200
      DURATION="${SLOW_DURATION:-40s}" scenario_run slow-consumers-5pct 1000 200 --slow-fraction 0.05 --slow-after 2s
      ;;
    capacity)
      echo "=== capacity: one room, p99 SLO $SLO_P99 ==="
      start_server 1000 capacity
      run_bots capacity --find-capacity --slo-p99 "$SLO_P99" --capacity-start 50 --capacity-max 1000 \
        --step-warmup 5s --step-duration 15s --plot "$OUT/capacity.png"
      stop_server
      if [[ -f "$OUT/capacity.json" ]]; then
        { echo; echo "Capacity ($(date -u '+%Y-%m-%d %H:%M') UTC, one room): $(jq -r '"\(.capacity) players held input->snapshot p99 <= \(.slo_p99_ms) ms; first failing step: \(.first_failing) players; limited by \(.limited_by)"' "$OUT/capacity.json")"; } >>"$RESULTS_MD"
      fi
      ;;
    one-room) for n in 50 100 200 400 1000; do scenario "room-$n"; done ;;
    all) for s in one-room rooms-100x8 slow-consumers capacity world-1000; do scenario "$s"; done ;;
    *) echo "unknown scenario: $1" >&2; usage ;;
  esac
}

[[ $# -ge 1 ]] || usage
case "$1" in -h|--help) usage ;; esac
build_if_missing
mkdir -p "$OUT"
{
  echo
  echo "### $(date -u '+%Y-%m-%d %H:%M') UTC: $* on $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p' | head -1), commit $(git rev-parse --short HEAD 2>/dev/null || echo '?'), target $(if [[ -n "$SERVER_CMD" ]]; then echo "SERVER_CMD"; elif [[ "$TARGET" == floor ]]; then echo floor; else echo "$SERVER_JAR"; fi), bots protocol v$BOTS_PROTOCOL${RUN_NOTE:+, $RUN_NOTE}"
  echo "Server on cores $SERVER_CPUS, bots on cores $BOTS_CPUS; tick $TICK_RATE Hz, snapshots $SNAPSHOT_RATE Hz, inputs $INPUT_RATE Hz, $BEHAVIOUR; ramp $RAMP, warm-up $WARMUP, measured $DURATION (smoke: 1 s, 2 s, 5 s). Server quantiles (tick p99, lateness p99) are the server's own summaries at the window's end."
  echo
  printf '%s' "| date (UTC) | scenario | bots | connected | behaviour | p50 ms | p99 ms | p99.9 ms | max ms | raw p99 ms | RTT p99 ms | kbit/s/bot | errors | closes | bot CPU % | bot µs/msg | server CPU % | other CPU % | server RSS MB | tick p99 ms | lateness p99 ms | state B/snap | B/upd entity |
|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|
"
} >>"$RESULTS_MD"
for s in "$@"; do
  scenario "$s"
done
echo "results: $RESULTS_MD, $RESULTS_JSONL; charts and logs: $OUT"
