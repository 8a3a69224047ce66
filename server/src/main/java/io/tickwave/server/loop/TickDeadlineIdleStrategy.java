package io.tickwave.server.loop;

import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.NanoClock;

import java.util.concurrent.locks.LockSupport;
import java.util.function.LongConsumer;
import java.util.function.LongSupplier;

/**
 * Idles the game loop until its next tick deadline: one park per tick rather than a spin, yield and
 * park ladder per inbound event. Inputs only matter at the next step, so the loop has nothing to do
 * before the deadline unless it reported work (a bounded drain left a backlog, say).
 *
 * <p>{@code parkNanos} wakes late by the kernel's timer slack (50 µs by default on Linux) plus
 * scheduling delay, so the strategy
 * parks until {@code spinBeforeDeadlineNs} before the deadline and spins the rest of the way
 * ({@link Thread#onSpinWait}), each spin step being one more cheap duty cycle that finds no tick due.
 * With {@code spinBeforeDeadlineNs = 0} it parks all the way. docs/benchmarks.md has what each costs.
 *
 * <p>Threads: owned by the game-loop thread, which is also the only reader of the deadline.
 */
public final class TickDeadlineIdleStrategy implements IdleStrategy {

    /**
     * Park-then-spin margin chosen from the measurements in docs/benchmarks.md: with 100 µs the median
     * tick still started 27 µs late on a busy machine, with 200 µs on time; it costs 0.6 % of a core
     * at 30 Hz.
     */
    public static final long DEFAULT_SPIN_BEFORE_DEADLINE_NS = 200_000;

    private final NanoClock clock;
    private final LongSupplier nextTickDeadlineNs;
    private final long spinBeforeDeadlineNs;
    private final LongConsumer parkNanos;

    /**
     * @param nextTickDeadlineNs the loop's next deadline, on {@code clock}; read on every idle call
     * @param parkNanos          parks the calling thread up to the given time; may return early
     */
    TickDeadlineIdleStrategy(NanoClock clock, LongSupplier nextTickDeadlineNs, long spinBeforeDeadlineNs,
                             LongConsumer parkNanos) {
        if (spinBeforeDeadlineNs < 0) {
            throw new IllegalArgumentException("spinBeforeDeadlineNs must not be negative: " + spinBeforeDeadlineNs);
        }
        this.clock = clock;
        this.nextTickDeadlineNs = nextTickDeadlineNs;
        this.spinBeforeDeadlineNs = spinBeforeDeadlineNs;
        this.parkNanos = parkNanos;
    }

    /** Idles {@code loop} on its own clock with {@link LockSupport#parkNanos(long)}. */
    public static TickDeadlineIdleStrategy forLoop(GameLoopAgent loop, NanoClock clock, long spinBeforeDeadlineNs) {
        return new TickDeadlineIdleStrategy(clock, loop::nextTickDeadlineNs, spinBeforeDeadlineNs,
                LockSupport::parkNanos);
    }

    /** Returns at once after a cycle that did work; otherwise idles toward the deadline. */
    @Override
    public void idle(int workCount) {
        if (workCount <= 0) {
            idle();
        }
    }

    /**
     * One idle step: parks until the spin margin when the deadline is further away, spins once inside
     * the margin, returns at once when the deadline has passed. The runner calls {@code doWork} after
     * every step, so an early wake-up (a spurious one, an interrupt) only costs one more cycle.
     */
    @Override
    public void idle() {
        long remainingNs = nextTickDeadlineNs.getAsLong() - clock.nanoTime(); // wrap-safe: a difference
        if (remainingNs > spinBeforeDeadlineNs) {
            parkNanos.accept(remainingNs - spinBeforeDeadlineNs);
        } else if (remainingNs > 0) {
            Thread.onSpinWait();
        }
    }

    /** Nothing to reset: the strategy keeps no state between calls. */
    @Override
    public void reset() {
    }

    @Override
    public String alias() {
        return "tick-deadline";
    }

    @Override
    public String toString() {
        return "TickDeadlineIdleStrategy{spinBeforeDeadlineNs=" + spinBeforeDeadlineNs + "}";
    }
}
