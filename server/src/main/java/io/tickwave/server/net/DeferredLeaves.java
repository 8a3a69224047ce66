package io.tickwave.server.net;

import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Leaves the ring could not take when their connection closed. A leave must not be lost (the player
 * would stay in its room) and must not overtake that connection's earlier events, yet an IO thread
 * must not wait for ring space. So the IO thread records the ring's cursor with the leave: every
 * event of that connection was published on this same IO thread before, at or below that cursor. The
 * loop takes a leave only once it has consumed the ring up to that sequence.
 *
 * <p>Bounded by the number of connections: each connection defers at most one leave
 * ({@link ClientConnection#leaveSent}). Allocates one node per deferred leave, only when the ring is
 * full.
 *
 * <p>Threads: IO threads {@link #defer}; the game-loop thread alone calls {@link #takeReady} (peek then
 * poll is safe with one consumer).
 */
public final class DeferredLeaves {

    private record Leave(ClientConnection connection, long afterSequence) {
    }

    private final ConcurrentLinkedQueue<Leave> leaves = new ConcurrentLinkedQueue<>();

    /** IO thread: {@code connection} left; its last event has a sequence at most {@code ringCursor}. */
    void defer(ClientConnection connection, long ringCursor) {
        leaves.add(new Leave(connection, ringCursor));
    }

    /**
     * Game-loop thread: the oldest deferred leave whose connection's events the loop has all handled,
     * or null when there is none yet.
     *
     * @param consumedSequence the highest ring sequence the loop has handled
     */
    public ClientConnection takeReady(long consumedSequence) {
        Leave oldest = leaves.peek();
        if (oldest == null || oldest.afterSequence() > consumedSequence) {
            return null;
        }
        leaves.poll();
        return oldest.connection();
    }

    /** Whether no leave waits. Any thread; a snapshot. */
    public boolean isEmpty() {
        return leaves.isEmpty();
    }
}
