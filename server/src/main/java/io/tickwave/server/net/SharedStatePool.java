package io.tickwave.server.net;

import io.tickwave.server.concurrent.ManyToOneArrayQueue;

/**
 * Recycles {@link SharedState} buffers, so that in steady state a snapshot allocates none: the loop
 * takes one per view key per snapshot, and the last holder of each, on whichever thread, gives it back.
 * A pool that is full when a buffer comes back lets it go to the garbage collector.
 *
 * <p>Threads: {@link #take} and the counters belong to the game-loop thread; {@code giveBack} runs on any
 * thread (a lock-free many-to-one queue).
 */
public final class SharedStatePool {

    private static final int INITIAL_STATE_BYTES = 4_096;

    private final ManyToOneArrayQueue<SharedState> free;
    private final int ioThreads;
    private long created;

    /**
     * @param capacity  the most idle buffers kept
     * @param ioThreads how many IO threads read the buffers (each gets its own view)
     */
    public SharedStatePool(int capacity, int ioThreads) {
        this.free = new ManyToOneArrayQueue<>(capacity);
        this.ioThreads = ioThreads;
    }

    /** A buffer holding {@code [offset, offset + length)} of {@code source}, with one reference: the loop's. */
    public SharedState take(byte[] source, int offset, int length) {
        SharedState state = free.poll();
        if (state == null) {
            state = new SharedState(this, Math.max(INITIAL_STATE_BYTES, length), ioThreads);
            created++;
        }
        state.fill(source, offset, length);
        return state;
    }

    void giveBack(SharedState state) {
        free.offer(state);
    }

    /** Buffers made so far. Game-loop thread. */
    public long created() {
        return created;
    }

    /** Buffers idle in the pool now. */
    public int idle() {
        return free.size();
    }
}
