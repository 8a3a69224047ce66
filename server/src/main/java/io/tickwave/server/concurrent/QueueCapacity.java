package io.tickwave.server.concurrent;

import java.lang.invoke.VarHandle;

/** What the array queues share: sizing and counting. A pure helper, safe on any thread. */
final class QueueCapacity {

    private static final int MAX_CAPACITY = 1 << 30;

    private QueueCapacity() {
    }

    /** {@code requested} rounded up to a power of two, at least 2. */
    static int roundUp(int requested) {
        if (requested < 1 || requested > MAX_CAPACITY) {
            throw new IllegalArgumentException("queue capacity must be between 1 and " + MAX_CAPACITY + ", was " + requested);
        }
        return Math.max(2, Integer.highestOneBit(requested - 1) << 1);
    }

    /** Tail minus head, read so that both belong to one moment (the head read again until it holds still). */
    static int size(Object queue, VarHandle head, VarHandle tail, int capacity) {
        long after = (long) head.getVolatile(queue);
        while (true) {
            long before = after;
            long end = (long) tail.getVolatile(queue);
            after = (long) head.getVolatile(queue);
            if (before == after) {
                return (int) Math.max(0, Math.min(capacity, end - after));
            }
        }
    }
}
