package io.tickwave.server.metrics;

import io.tickwave.server.net.ConnectionRefusal;
import org.HdrHistogram.Recorder;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The server's hot-path counters and latency recorders. Recording never blocks nor allocates (closes by
 * code allocate once per new code, a cold path).
 *
 * <p>Threads: counters fed by IO threads are {@link LongAdder}s; counters and gauges fed by the
 * game-loop thread are single-writer {@link AtomicLong}s; histograms are HdrHistogram
 * {@link Recorder}s (wait-free writers). Readers (the {@code /metrics} scrape, tests) may run on any
 * thread.
 */
public final class ServerMetrics {

    /** Histogram range: 1 µs to 10 s at three significant digits, in nanoseconds. */
    private static final long HIGHEST_TRACKABLE_NS = 10_000_000_000L;

    // IO threads
    public final LongAdder connectionsOpened = new LongAdder();
    public final LongAdder framesIn = new LongAdder();
    /** Every WebSocket frame a client sent: data, continuations and control frames alike. */
    public final LongAdder webSocketFramesIn = new LongAdder();
    public final LongAdder bytesIn = new LongAdder();
    public final LongAdder framesOut = new LongAdder();
    public final LongAdder bytesOut = new LongAdder();
    public final LongAdder decodeErrors = new LongAdder();
    public final LongAdder protocolErrors = new LongAdder();
    public final LongAdder ringFullDrops = new LongAdder();
    public final LongAdder rateLimited = new LongAdder();
    /** Leaves the full ring could not take, handed to the loop through {@code DeferredLeaves} instead. */
    public final LongAdder leavesDeferred = new LongAdder();
    /** Drains of a connection that threw; that connection was closed with 1011. */
    public final LongAdder drainErrors = new LongAdder();
    private final Map<Integer, LongAdder> closesByCode = new ConcurrentHashMap<>();
    /** Upgrades refused before the handshake, indexed by {@link ConnectionRefusal#ordinal()}. */
    private final LongAdder[] connectionsRefused = new LongAdder[ConnectionRefusal.values().length];
    /**
     * WebSocket connections holding a slot of the connection caps (handshakes under way included);
     * written only by the {@link io.tickwave.server.net.ConnectionLimiter}, on IO threads.
     */
    public final AtomicInteger connectionsOpen = new AtomicInteger();

    // game-loop thread
    public final AtomicLong ticks = new AtomicLong();
    public final AtomicLong tickOverruns = new AtomicLong();
    public final AtomicLong snapshotsSent = new AtomicLong();
    public final AtomicLong staleSnapshotsDropped = new AtomicLong();
    public final AtomicLong inputsApplied = new AtomicLong();
    public final AtomicLong joins = new AtomicLong();
    public final AtomicLong leaves = new AtomicLong();
    public final AtomicLong chatLines = new AtomicLong();
    public final AtomicLong gameErrors = new AtomicLong();
    public final AtomicLong loopErrors = new AtomicLong();
    public final AtomicLong players = new AtomicLong();
    public final AtomicLong rooms = new AtomicLong();
    public final AtomicLong currentTick = new AtomicLong();
    // game-loop thread: reconnects
    /** Joins with a reconnect token that took their dropped seat back. */
    public final AtomicLong reconnectsResumed = new AtomicLong();
    /** Joins with a reconnect token answered RECONNECT_REFUSED (unknown, spent, expired, or its seat connected). */
    public final AtomicLong reconnectsRefused = new AtomicLong();
    /** Gauge: dropped players whose seat waits for a reconnect, in the grace period, now. */
    public final AtomicLong seatsWaiting = new AtomicLong();
    /** Dropped seats whose grace ran out before a reconnect: each a leave. */
    public final AtomicLong seatsExpired = new AtomicLong();
    // game-loop thread: replication, summed over every room's replicator
    /** Entities sent whole to a viewer (new to it, or its copy too old to delta against). */
    public final AtomicLong replicationEntitiesCreated = new AtomicLong();
    /** Entities sent to a viewer as the fields that changed since its baseline. */
    public final AtomicLong replicationEntitiesUpdated = new AtomicLong();
    /** Entities a viewer was told to drop (destroyed, or out of its view). */
    public final AtomicLong replicationEntitiesRemoved = new AtomicLong();
    /** Creations and updates left for a later snapshot because a viewer's byte budget was spent. */
    public final AtomicLong replicationEntitiesSkipped = new AtomicLong();
    /** Viewers given an encoding made for another viewer of the same snapshot, instead of their own. */
    public final AtomicLong replicationEncodingsShared = new AtomicLong();
    /** Bytes of replicated state handed to viewers (each viewer's, shared or not). */
    public final AtomicLong replicationStateBytes = new AtomicLong();
    public final Recorder tickDurationNs = new Recorder(HIGHEST_TRACKABLE_NS, 3);
    public final Recorder tickLatenessNs = new Recorder(HIGHEST_TRACKABLE_NS, 3);
    /** Per input that reports it: the room's tick minus the newest snapshot tick the client had. */
    public final Recorder clientViewLagTicks = new Recorder(MAX_VIEW_LAG_TICKS, 2);

    /** View lags above this many ticks are recorded as this many. */
    public static final long MAX_VIEW_LAG_TICKS = 100_000;

    public ServerMetrics() {
        // Listed from the start, at zero, so dashboards and rate() see every code before its first close.
        for (int code : io.tickwave.server.net.CloseCodes.SERVER_SENT) {
            closesByCode.put(code, new LongAdder());
        }
        for (int i = 0; i < connectionsRefused.length; i++) {
            connectionsRefused[i] = new LongAdder();
        }
    }

    /** The counter of upgrades refused for {@code reason}. */
    public LongAdder connectionRefused(ConnectionRefusal reason) {
        return connectionsRefused[reason.ordinal()];
    }

    /** A frame of {@code bytes} was handed to the transport. */
    public void framesOut(int bytes) {
        framesOut.increment();
        bytesOut.add(bytes);
    }

    /** The server closed a connection with {@code code}. */
    public void closed(int code) {
        closesByCode.computeIfAbsent(code, ignored -> new LongAdder()).increment();
    }

    /** Closes so far, by close code. A copy. */
    public Map<Integer, Long> closesByCode() {
        Map<Integer, Long> copy = new java.util.TreeMap<>();
        closesByCode.forEach((code, count) -> copy.put(code, count.sum()));
        return copy;
    }

    /** Records a duration into a recorder, clamped to its range. */
    public static void recordNs(Recorder recorder, long ns) {
        recorder.recordValue(Math.min(Math.max(ns, 0), HIGHEST_TRACKABLE_NS));
    }
}
