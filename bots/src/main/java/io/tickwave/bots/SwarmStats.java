package io.tickwave.bots;

import java.io.PrintStream;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Recorder;

/**
 * Everything the bots of one swarm measure, written by the lane threads that own the bots and
 * read by the {@link Reporter} thread.
 *
 * <p><b>Threading.</b> Shared by all threads: latencies go into HdrHistogram {@link Recorder}s (wait-free
 * for concurrent writers; the reporter takes interval histograms), counts into {@link LongAdder}s.
 * Nothing here allocates on the recording path except the first sighting of a new close code or
 * error kind.
 *
 * <p>All latencies are recorded in <b>microseconds</b>.
 */
final class SwarmStats {

    /** Input {@code seq} → first snapshot acking it, from the time the input was <i>due</i> (open loop). */
    final Recorder inputToSnapshotUs = new Recorder(3);
    /** The same, from the time the input actually left the bot (hides the bot's own lateness). */
    final Recorder inputToSnapshotRawUs = new Recorder(3);
    /** Ping → pong: the bare network round trip, answered by the server's IO thread. */
    final Recorder rttUs = new Recorder(3);
    /** Time between two consecutive snapshots of one bot. */
    final Recorder snapshotInterArrivalUs = new Recorder(3);
    /** Join sent → first snapshot received. */
    final Recorder joinToFirstSnapshotUs = new Recorder(3);
    /** How late the bot sent each input against its schedule: the bot's own lateness. */
    final Recorder sendLagUs = new Recorder(3);

    /** A joined bot's connection ended without the bot closing it, and it set out to reconnect. */
    final LongAdder drops = new LongAdder();
    /** Welcomes after a drop: the bot is playing again (resumed or in a new seat). */
    final LongAdder reconnects = new LongAdder();
    /** Of {@link #reconnects}: the server gave the seat back ({@code Welcome.resumed}). */
    final LongAdder resumed = new LongAdder();
    /** Reconnect tokens the server refused (RECONNECT_REFUSED); the bot then joined a new seat. */
    final LongAdder reconnectsRefused = new LongAdder();
    /** Closes with 4013 (rematch: the server drains); without a matchmaker the bot reconnects to the same URL. */
    final LongAdder rematches = new LongAdder();
    /** Bots that stopped trying to reconnect after {@link Bot#MAX_RECONNECT_ATTEMPTS} failed attempts. */
    final LongAdder reconnectsGivenUp = new LongAdder();
    /** Drop → welcome again, whole run; any thread writes, the report copies. */
    final ConcurrentHistogram reconnectUs = new ConcurrentHistogram(3);

    /** With a matchmaker: requests sent to {@code POST /matchmake} (first seats and rematches). */
    final LongAdder matchmakeRequests = new LongAdder();
    /** Of {@link #matchmakeRequests}: answered with no seat (an HTTP error, a failed request, an unreadable answer). */
    final LongAdder matchmakeFailures = new LongAdder();
    /**
     * With a matchmaker: joined bots that lost their seat (close 4013 or 4014, a node gone, a reconnect
     * refused) and set out to matchmake a new one. Counted once per outage.
     */
    final LongAdder rematchesStarted = new LongAdder();
    /** Of {@link #rematchesStarted}: welcomed in a new seat the matchmaker gave. */
    final LongAdder rematched = new LongAdder();
    /** Of {@link #rematched}: the first snapshot in the new seat arrived (playing again). */
    final LongAdder rematchedPlaying = new LongAdder();
    /** Bots that stopped asking the matchmaker after {@link Bot#MAX_REMATCH_ATTEMPTS} tries without a seat. */
    final LongAdder rematchesGivenUp = new LongAdder();
    /** With a matchmaker: joins refused with SEAT_REFUSED or SERVER_DRAINING; the bot matchmade again. */
    final LongAdder seatsRefused = new LongAdder();
    /** Drop (or close) → welcome in a new seat from the matchmaker, whole run. */
    final ConcurrentHistogram rematchUs = new ConcurrentHistogram(3);
    /** Every {@code Error} message the server sent, whatever its code (refusals included). */
    final LongAdder errorMessages = new LongAdder();

    final LongAdder connectAttempts = new LongAdder();
    final LongAdder connectFailures = new LongAdder();
    final LongAdder welcomes = new LongAdder();
    final LongAdder transportErrors = new LongAdder();
    final LongAdder serverErrors = new LongAdder();

    final LongAdder inputsSent = new LongAdder();
    final LongAdder inputsAcked = new LongAdder();
    /** Due inputs that a late bot folded into the one it sent (see {@link Bot}); their latency is still recorded. */
    final LongAdder inputsCollapsed = new LongAdder();
    /** Protocol v1 only: SnapshotAcks sent (one per timer run with a new snapshot). */
    final LongAdder acksSent = new LongAdder();
    final LongAdder pingsSent = new LongAdder();
    final LongAdder chatsSent = new LongAdder();
    final LongAdder framesSent = new LongAdder();
    final LongAdder bytesSent = new LongAdder();

    final LongAdder snapshotsReceived = new LongAdder();
    final LongAdder pongsReceived = new LongAdder();
    final LongAdder framesReceived = new LongAdder();
    /** WebSocket wire bytes received after the upgrade: frame headers and payloads, control frames included. */
    final LongAdder bytesReceived = new LongAdder();

    /** Bots with an open, joined connection right now. */
    final AtomicInteger connected = new AtomicInteger();
    /** Bots that have stopped reading their socket on purpose (slow-consumer mode). */
    final AtomicInteger stalled = new AtomicInteger();

    /** What the bots that decode the replicated state count (see {@link StateDecoding}). */
    final StateStats state;

    SwarmStats() {
        this(System.err);
    }

    /** {@code problems} gets a line for each of the first few state mismatches and decode failures. */
    SwarmStats(PrintStream problems) {
        this.state = new StateStats(problems);
    }

    private final ConcurrentHashMap<Integer, LongAdder> closesByCode = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Integer, LongAdder> stalledClosesByCode = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, LongAdder> errorsByKind = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, String> firstErrorMessage = new ConcurrentHashMap<>();

    /** A connection ended that the bot had not closed itself; 1006 when no close frame was seen. */
    void recordClose(int code, boolean stalledBot) {
        (stalledBot ? stalledClosesByCode : closesByCode).computeIfAbsent(code, c -> new LongAdder()).increment();
    }

    /** Counts an error under a short kind ("connect", "transport", "server:STALE_INPUT"). */
    void recordError(String kind, String message) {
        errorsByKind.computeIfAbsent(kind, k -> new LongAdder()).increment();
        if (message != null) {
            firstErrorMessage.putIfAbsent(kind, message);
        }
    }

    Map<Integer, Long> closesByCode() {
        return sum(closesByCode);
    }

    Map<Integer, Long> stalledClosesByCode() {
        return sum(stalledClosesByCode);
    }

    Map<String, Long> errorsByKind() {
        return sum(errorsByKind);
    }

    Map<String, String> firstErrorMessages() {
        return new TreeMap<>(firstErrorMessage);
    }

    long totalErrors() {
        long total = 0;
        for (LongAdder adder : errorsByKind.values()) {
            total += adder.sum();
        }
        return total;
    }

    private static <K extends Comparable<K>> Map<K, Long> sum(Map<K, LongAdder> adders) {
        TreeMap<K, Long> out = new TreeMap<>();
        adders.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }
}
