package io.tickwave.server.concurrent;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Objects;

/**
 * A bounded, lock-free, allocation-free queue for any number of producer threads and one consumer
 * thread. Like {@link OneToOneArrayQueue}, it uses only {@link VarHandle}s, so no JVM flag is needed.
 *
 * <p>A producer claims a slot by advancing the tail, then fills it; until it has, {@link #poll} answers
 * null even if later slots are already filled (the element comes out on a later poll).
 *
 * <p>Threads: {@link #offer} on any thread; {@link #poll} on the one consumer thread; {@link #size} on
 * any thread (a snapshot of a moving queue).
 *
 * @param <E> the element type; null elements are refused
 */
public final class ManyToOneArrayQueue<E> {

    private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(Object[].class);
    private static final VarHandle HEAD;
    private static final VarHandle TAIL;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            HEAD = lookup.findVarHandle(ManyToOneArrayQueue.class, "head", long.class);
            TAIL = lookup.findVarHandle(ManyToOneArrayQueue.class, "tail", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Object[] slots;
    private final int mask;
    /** The next element to take; advanced by the consumer only. */
    private volatile long head;
    /** The next slot to claim; advanced by producers with compare-and-set. */
    private volatile long tail;

    /** A queue of {@code requestedCapacity} rounded up to a power of two (at least 2) elements. */
    public ManyToOneArrayQueue(int requestedCapacity) {
        this.slots = new Object[QueueCapacity.roundUp(requestedCapacity)];
        this.mask = slots.length - 1;
    }

    /** The most elements it holds. */
    public int capacity() {
        return slots.length;
    }

    /** Adds {@code element} at the tail; false when the queue is full. Any thread. */
    public boolean offer(E element) {
        Objects.requireNonNull(element, "element");
        long slot;
        do {
            slot = (long) TAIL.getVolatile(this);
            // Acquired: the consumer cleared every slot below the head before publishing it.
            if (slot - (long) HEAD.getAcquire(this) >= slots.length) {
                return false;
            }
        } while (!TAIL.compareAndSet(this, slot, slot + 1));
        SLOT.setRelease(slots, (int) slot & mask, element);
        return true;
    }

    /** Takes the element at the head, or null when there is none yet. Consumer thread. */
    public E poll() {
        long next = (long) HEAD.getOpaque(this);
        int index = (int) next & mask;
        @SuppressWarnings("unchecked")
        E element = (E) SLOT.getAcquire(slots, index);
        if (element == null) {
            return null;
        }
        SLOT.setOpaque(slots, index, null);
        HEAD.setRelease(this, next + 1);
        return element;
    }

    /** The slots claimed and not yet taken. Any thread. */
    public int size() {
        return QueueCapacity.size(this, HEAD, TAIL, slots.length);
    }
}
