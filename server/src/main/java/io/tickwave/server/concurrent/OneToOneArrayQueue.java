package io.tickwave.server.concurrent;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Objects;

/**
 * A bounded, lock-free, allocation-free queue for exactly one producer thread and one consumer thread.
 *
 * <p>It stands in for Agrona's concurrent queues, which reach {@code jdk.internal.misc.Unsafe} and so
 * fail in any JVM started without {@code --add-exports java.base/jdk.internal.misc=ALL-UNNAMED}; this
 * one uses only {@link VarHandle}s, so a game runs from its own project with no JVM flag.
 *
 * <p>Threads: {@link #offer} belongs to the one producer thread, {@link #poll} to the one consumer
 * thread; {@link #isEmpty} and {@link #size} may be called by any thread (a snapshot of a moving queue).
 *
 * @param <E> the element type; null elements are refused
 */
public final class OneToOneArrayQueue<E> {

    private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(Object[].class);
    private static final VarHandle HEAD;
    private static final VarHandle TAIL;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            HEAD = lookup.findVarHandle(OneToOneArrayQueue.class, "head", long.class);
            TAIL = lookup.findVarHandle(OneToOneArrayQueue.class, "tail", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Object[] slots;
    private final int mask;
    /** The next element to take; advanced by the consumer only. */
    private volatile long head;
    /** The next slot to fill; advanced by the producer only. */
    private volatile long tail;
    /** Producer-owned: a head seen earlier, so that most offers need not read the consumer's field. */
    private long headSeenByProducer;

    /** A queue of {@code requestedCapacity} rounded up to a power of two (at least 2) elements. */
    public OneToOneArrayQueue(int requestedCapacity) {
        this.slots = new Object[QueueCapacity.roundUp(requestedCapacity)];
        this.mask = slots.length - 1;
    }

    /** The most elements it holds. */
    public int capacity() {
        return slots.length;
    }

    /** Adds {@code element} at the tail; false when the queue is full. Producer thread. */
    public boolean offer(E element) {
        Objects.requireNonNull(element, "element");
        long slot = (long) TAIL.getOpaque(this);
        if (slot - headSeenByProducer >= slots.length) {
            headSeenByProducer = (long) HEAD.getAcquire(this);
            if (slot - headSeenByProducer >= slots.length) {
                return false;
            }
        }
        // Released: the consumer that sees the element sees everything written to it before.
        SLOT.setRelease(slots, (int) slot & mask, element);
        TAIL.setRelease(this, slot + 1);
        return true;
    }

    /** Takes the element at the head, or null when there is none. Consumer thread. */
    public E poll() {
        long next = (long) HEAD.getOpaque(this);
        int index = (int) next & mask;
        @SuppressWarnings("unchecked")
        E element = (E) SLOT.getAcquire(slots, index);
        if (element == null) {
            return null;
        }
        SLOT.setOpaque(slots, index, null);
        // Released after the slot is cleared, so a producer that sees the new head finds the slot empty.
        HEAD.setRelease(this, next + 1);
        return element;
    }

    /** True when no element is queued. Any thread. */
    public boolean isEmpty() {
        return (long) HEAD.getAcquire(this) == (long) TAIL.getAcquire(this);
    }

    /** The elements queued now. Any thread. */
    public int size() {
        return QueueCapacity.size(this, HEAD, TAIL, slots.length);
    }
}
