package io.tickwave.bots;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A swarm of bots against one server: a few selector threads ({@link BotLane}s), each carrying its
 * share of the connections, non-blocking. No thread per bot; bots are dealt to the lanes in turn.
 *
 * <p><b>Threading.</b> {@link #addBots} and {@link #close} are called by one controlling thread (the
 * CLI's main thread or a test); connections and bots run on the lanes' threads. With a matchmaker
 * ({@link SwarmSettings#matchmaker}) the swarm owns one {@link MatchmakerClient}, on a thread of its own.
 */
final class Swarm implements AutoCloseable {

    private final SwarmSettings settings;
    private final SwarmStats stats;
    private final BotLane[] lanes;
    /** Null without a matchmaker. */
    private final MatchmakerClient matchmaker;
    private volatile boolean closing;
    private int nextIndex;

    Swarm(SwarmSettings settings, SwarmStats stats) throws IOException {
        this.settings = settings;
        this.stats = stats;
        this.matchmaker = settings.matchmaker() == null ? null : new MatchmakerClient(settings.matchmaker(), settings.game());
        this.lanes = new BotLane[settings.ioThreads()];
        for (int i = 0; i < lanes.length; i++) {
            lanes[i] = new BotLane(i, settings.seed());
            lanes[i].start();
        }
    }

    SwarmStats stats() {
        return stats;
    }

    /** Bots started so far (connected or not). */
    int started() {
        return nextIndex;
    }

    /**
     * Starts {@code count} more bots, their connects spread evenly over {@code ramp}; returns when the
     * last connect has been handed to its lane (not completed).
     */
    void addBots(int count, Duration ramp) {
        long startNs = System.nanoTime();
        long spacingNs = count <= 1 ? 0 : ramp.toNanos() / count;
        for (int i = 0; i < count && !closing; i++) {
            long dueNs = startNs + i * spacingNs;
            long waitNs = dueNs - System.nanoTime();
            if (waitNs > 0) {
                LockSupport.parkNanos(waitNs);
            }
            int index = nextIndex++;
            lanes[index % lanes.length].add(new Bot(index, settings, stats, matchmaker), closing);
        }
    }

    /**
     * Closes every bot with code 1000, waits up to {@code grace} for the server's answers, then stops
     * the lanes (whatever is still open is closed without a handshake).
     */
    void close(Duration grace) {
        closing = true;
        for (BotLane lane : lanes) {
            lane.closeAllLater();
        }
        long deadline = System.nanoTime() + grace.toNanos();
        while (stats.connected.get() > 0 && System.nanoTime() < deadline) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
        for (BotLane lane : lanes) {
            lane.stop(2000);
        }
        if (matchmaker != null) {
            matchmaker.close();
        }
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(3));
    }
}
