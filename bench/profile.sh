#!/usr/bin/env bash
# Profiles the server under a bot swarm with async-profiler (CPU, per thread) and writes a flame graph
# and the collapsed stacks, plus a short summary of where the server's samples went.
#
#   ASYNC_PROFILER=/path/to/libasyncProfiler.so bench/profile.sh BOTS ROOM_CAPACITY [LABEL]
#
# async-profiler is not a dependency: take tools.profiler:async-profiler:4.2 from Maven Central
# (mvn dependency:copy -Dartifact=tools.profiler:async-profiler:4.2 -DoutputDirectory=DIR) and unzip
# linux-x64/libasyncProfiler.so from it. Server on SERVER_CPUS [0], bots on BOTS_CPUS [1]; DURATION
# [30s] measured after RAMP [5s] and WARMUP [10s]; EVENT [cpu] (itimer where perf events are refused);
# SERVER_JAR [sample-game/target/tickwave.jar]; BOTS_OPTS [] extra bot options (e.g. --protocol-version 1
# for a previous build); OUT [bench/out/profile].
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

[[ $# -ge 2 ]] || { sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; exit 2; }
BOTS="$1" CAPACITY="$2" LABEL="${3:-profile-$1}"
: "${ASYNC_PROFILER:?set ASYNC_PROFILER to libasyncProfiler.so}"
SERVER_CPUS="${SERVER_CPUS:-0}" BOTS_CPUS="${BOTS_CPUS:-1}"
DURATION="${DURATION:-30s}" RAMP="${RAMP:-5s}" WARMUP="${WARMUP:-10s}" EVENT="${EVENT:-cpu}"
SERVER_JAR="${SERVER_JAR:-sample-game/target/tickwave.jar}" OUT="${OUT:-bench/out/profile}"
PORT="${PORT:-18090}"
mkdir -p "$OUT"

SERVER_PID=""
cleanup() { [[ -n "$SERVER_PID" ]] && kill "$SERVER_PID" 2>/dev/null || true; }
trap cleanup EXIT

taskset -c "$SERVER_CPUS" java -Xms1g -Xmx1g -Xmn64m -jar "$SERVER_JAR" --port "$PORT" --tick-rate 30 \
  --snapshot-rate 30 --room-capacity "$CAPACITY" >"$OUT/$LABEL.server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$PORT/health" >/dev/null && break; sleep 0.2; done

# The profiler starts when the bots' measured window starts, through the agent loaded into the
# running JVM (bench/AgentLoad.java, the attach API), and stops with it.
ramp_s=${RAMP%s} warm_s=${WARMUP%s} dur_s=${DURATION%s}
( sleep $((ramp_s + warm_s + 2))
  java bench/AgentLoad.java "$SERVER_PID" "$ASYNC_PROFILER" "start,event=$EVENT,interval=1ms,threads"
  sleep $((dur_s - 6))
  java bench/AgentLoad.java "$SERVER_PID" "$ASYNC_PROFILER" "stop,file=$ROOT/$OUT/$LABEL.collapsed,collapsed"
  java bench/AgentLoad.java "$SERVER_PID" "$ASYNC_PROFILER" "flamegraph,file=$ROOT/$OUT/$LABEL.html" || true
) &
PROFILER_PID=$!
taskset -c "$BOTS_CPUS" java -Xms1g -Xmx1g -Xmn64m -jar bots/target/tickwave-bots.jar \
  --url "ws://127.0.0.1:$PORT/ws" --bots "$BOTS" --ramp "$RAMP" --warmup "$WARMUP" --duration "$DURATION" \
  --server-metrics "http://127.0.0.1:$PORT/metrics" --server-pid "$SERVER_PID" ${BOTS_OPTS:-} >"$OUT/$LABEL.bots.log" 2>&1
wait "$PROFILER_PID" || true
grep -E "server|bot process|p99" "$OUT/$LABEL.bots.log" | tail -6 || true

# Where the samples went: by thread, then by the frames that matter on the data path.
awk '{ n = $NF; $NF = ""; split($0, f, ";"); thread[f[1]] += n; total += n }
     END { for (t in thread) printf "%6.1f%%  %s\n", 100 * thread[t] / total, t }' "$OUT/$LABEL.collapsed" | sort -rn | head -8
for frame in writev '\[unknown\]|read' epoll_wait 'futex' 'GameLoopAgent.runTick' 'FrameParser' 'OutboundQueue' 'ClientMessageDecoder' 'Unsafe_Park|parkNanos'; do
  awk -v pat="$frame" '{ n = $NF; total += n; if ($0 ~ pat) hit += n } END { printf "%6.1f%%  %s\n", 100 * hit / total, pat }' \
    "$OUT/$LABEL.collapsed"
done
echo "flame graph: $OUT/$LABEL.html; collapsed stacks: $OUT/$LABEL.collapsed"
