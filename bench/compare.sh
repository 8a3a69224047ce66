#!/usr/bin/env bash
# Runs each scenario against three servers in one sitting and appends a side-by-side table to
# bench/results.md: the bare C floor (TARGET=floor), the previous build (PREV_JAR, bots speaking
# protocol v1) and this build (sample-game/target/tickwave.jar, protocol v2). Targets alternate
# within each scenario (floor, prev, this; then the next scenario), so slow drift in the machine's
# load spreads over all three instead of landing on one. Server and bots are pinned to separate
# cores by bench/run.sh (SERVER_CPUS, BOTS_CPUS).
#
#   bench/compare.sh SCENARIO [SCENARIO...]        e.g. bench/compare.sh room-100 room-400 rooms-100x8
#
# Environment (defaults in brackets), besides everything bench/run.sh takes:
#   PREV_JAR [/work/prev/tickwave-v1.jar]   the previous server build (not committed: jars never are)
#   PREV_PROTOCOL [1]                       the protocol version the bots speak to PREV_JAR (2 from 7daa9c4 on)
#   FLOOR_BIN [/tmp/floor/floor]            built from FLOOR_SRC [/work/shared/floor] when missing
#   TARGETS [floor prev this]               which of the three to run, in this order
#   REPEAT [1]                              rounds of all scenarios × targets; each round is a row
# Per-run rows, JSON, logs: bench/out/compare-<time>/<target>/ (not committed).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

PREV_JAR="${PREV_JAR:-/work/prev/tickwave-v1.jar}"
FLOOR_BIN="${FLOOR_BIN:-/tmp/floor/floor}"
TARGETS="${TARGETS:-floor prev this}"
REPEAT="${REPEAT:-1}"
STAMP="$(date -u '+%Y%m%d-%H%M%S')"
BASE="${OUT:-bench/out}/compare-$STAMP"
RESULTS_MD_MAIN="bench/results.md"

if [[ $# -lt 1 || "$1" == -h || "$1" == --help ]]; then
  sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'
  exit 2
fi
command -v jq >/dev/null || { echo "compare.sh needs jq" >&2; exit 1; }
for t in $TARGETS; do
  case "$t" in
    floor|this) ;;
    prev) [[ -f "$PREV_JAR" ]] || { echo "PREV_JAR $PREV_JAR not found" >&2; exit 1; } ;;
    *) echo "unknown target $t (floor, prev, this)" >&2; exit 2 ;;
  esac
done

run_target() { # target scenario round
  local target="$1" scenario="$2" round="$3" out="$BASE/$1/r$3"
  mkdir -p "$out"
  case "$target" in
    floor) TARGET=floor BOTS_PROTOCOL=2 OUT="$out" RESULTS_MD="$out/rows.md" RESULTS_JSONL="$out/rows.jsonl" \
             bench/run.sh "$scenario" ;;
    prev)  TARGET=tickwave SERVER_JAR="$PREV_JAR" BOTS_PROTOCOL="${PREV_PROTOCOL:-1}" OUT="$out" RESULTS_MD="$out/rows.md" \
             RESULTS_JSONL="$out/rows.jsonl" bench/run.sh "$scenario" ;;
    this)  TARGET=tickwave SERVER_JAR="${SERVER_JAR:-sample-game/target/tickwave.jar}" BOTS_PROTOCOL=2 OUT="$out" \
             RESULTS_MD="$out/rows.md" RESULTS_JSONL="$out/rows.jsonl" bench/run.sh "$scenario" ;;
  esac
}

# The scenario's result files are named by label; slow-consumers and capacity make others.
labels_of() {
  case "$1" in
    slow-consumers) echo "slow-consumers-baseline slow-consumers-5pct" ;;
    one-room|all|capacity) echo "" ;;
    *) echo "$1" ;;
  esac
}

for round in $(seq 1 "$REPEAT"); do
  for scenario in "$@"; do
    [[ -n "$(labels_of "$scenario")" ]] || { echo "compare.sh compares single runs: not $scenario" >&2; exit 2; }
    for target in $TARGETS; do
      echo "##### round $round, $scenario, target $target"
      run_target "$target" "$scenario" "$round"
    done
  done
done

{
  echo
  echo "### $(date -u '+%Y-%m-%d %H:%M') UTC: compare $* (floor / previous build / this build) on $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p' | head -1), commit $(git rev-parse --short HEAD 2>/dev/null || echo '?')"
  echo "Server on cores ${SERVER_CPUS:-0}, bots on cores ${BOTS_CPUS:-1}; targets alternate per scenario; previous build: $PREV_JAR with bots --protocol-version ${PREV_PROTOCOL:-1}; floor: $FLOOR_BIN (no rooms: every scenario is its player count of clients). ${REPEAT} round(s); runs in $BASE."
  echo
  echo "| scenario | round | target | players | server CPU % of a core | server CPU per player (% of a core) | input→snapshot p50 ms | p99 ms | kbit/s per client | bot µs/msg | bots behind? | other CPU % |"
  echo "|---|---|---|---|---|---|---|---|---|---|---|---|"
  for scenario in "$@"; do
    for label in $(labels_of "$scenario"); do
      for round in $(seq 1 "$REPEAT"); do
        for target in $TARGETS; do
          f="$BASE/$target/r$round/$label.json"
          if [[ ! -f "$f" ]]; then
            echo "| $label | $round | $target | run failed: no $f | | | | | | | | |"
            continue
          fi
          jq -r --arg t "$target" --arg r "$round" '
            def r1: (. * 10 | round) / 10;
            def r3: (. * 1000 | round) / 1000;
            "| \(.label) | \($r) | \($t) | \(.connected) | \(.server.cpu_pct_of_one_core // "-" | if type == "number" then r1 else . end)"
            + " | \(if (.server.cpu_pct_of_one_core // null) != null and .connected > 0 then (.server.cpu_pct_of_one_core / .connected | r3) else "-" end)"
            + " | \(.input_to_snapshot_ms.p50 | r1) | \(.input_to_snapshot_ms.p99 | r1) | \(.recv_kbps_per_bot | r1)"
            + " | \(.bot_process.cpu_us_per_message // "-") | \(if .bot_process.bottleneck then "yes" else "no" end)"
            + " | \(.server.other_cpu_pct_of_one_core // "-") |"' "$f"
        done
      done
    done
  done
} >>"$RESULTS_MD_MAIN"
echo "table appended to $RESULTS_MD_MAIN; runs in $BASE"
