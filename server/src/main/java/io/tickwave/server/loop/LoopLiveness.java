package io.tickwave.server.loop;

import org.agrona.concurrent.NanoClock;

/**
 * Whether the game loop is still ticking, for {@code /health}: the loop records when it started, each
 * finished tick and when it stopped; any thread may ask. A loop is stalled when its thread is gone or
 * when no tick has finished for {@code max(1 s, 20 tick intervals)}: long enough that a slow tick or a
 * GC pause does not flap the answer, short enough that a load balancer notices a hung loop within
 * seconds.
 *
 * <p>Threads: the game-loop thread writes ({@link #loopStarted}, {@link #tickFinished},
 * {@link #loopStopped}); readers ({@link #stallReason}) may run on any thread.
 */
public final class LoopLiveness {

    private static final long MIN_STALL_NS = 1_000_000_000L;
    private static final int STALL_TICKS = 20;

    private final NanoClock clock;
    private final long stallAfterNs;
    private volatile long lastTickFinishedNs;
    private volatile Thread loopThread;
    private volatile boolean stopped;

    LoopLiveness(NanoClock clock, long tickIntervalNs) {
        this.clock = clock;
        this.stallAfterNs = Math.max(MIN_STALL_NS, STALL_TICKS * tickIntervalNs);
        this.lastTickFinishedNs = clock.nanoTime();
    }

    /** Game-loop thread, before its first duty cycle. */
    void loopStarted() {
        loopThread = Thread.currentThread();
        lastTickFinishedNs = clock.nanoTime();
    }

    /** Game-loop thread, after every tick, failed ones included. */
    void tickFinished(long nowNs) {
        lastTickFinishedNs = nowNs;
    }

    /** Game-loop thread, when the loop closes. */
    void loopStopped() {
        stopped = true;
    }

    /** How long without a finished tick counts as stalled. */
    public long stallAfterNs() {
        return stallAfterNs;
    }

    /**
     * Why the loop is not ticking, or null while it is. Any thread. A loop whose thread has not started
     * yet counts as live (the server starts it before binding its port).
     */
    public String stallReason() {
        Thread thread = loopThread;
        if (stopped || (thread != null && !thread.isAlive())) {
            return "game loop thread is not running";
        }
        long sinceTickNs = clock.nanoTime() - lastTickFinishedNs;
        if (sinceTickNs > stallAfterNs) {
            return "no tick finished for " + sinceTickNs / 1_000_000 + " ms";
        }
        return null;
    }
}
