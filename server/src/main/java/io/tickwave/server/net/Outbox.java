package io.tickwave.server.net;

import io.tickwave.server.concurrent.OneToOneArrayQueue;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * What the loop hands one client for sending: messages that must all arrive (welcome, chat, notices,
 * errors) in a bounded queue, and the newest snapshot in a single slot.
 *
 * <p>Threads: the game-loop thread is the only producer ({@code offer…}, {@code publishSnapshot},
 * {@link #frameToFill}); the connection's IO thread is the only consumer ({@code take…},
 * {@link #recycle}). Snapshot frames cycle through three frames (one being filled by the loop, one
 * pending, one in flight), so memory per client is bounded and a new snapshot replaces an unsent one
 * instead of queueing behind it. A frame holds a reference to its shared state from the moment it is
 * filled until it is written ({@link #recycle}), replaced unsent ({@link #publishSnapshot}) or discarded
 * with its connection ({@link #discardPendingSnapshot}), so every state buffer goes back to its pool.
 */
public final class Outbox {

    private static final int SNAPSHOT_FRAMES = 3;

    private final OneToOneArrayQueue<byte[]> messages;
    private final AtomicReference<SnapshotFrame> pendingSnapshot = new AtomicReference<>();
    private final OneToOneArrayQueue<SnapshotFrame> freeFrames =
            new OneToOneArrayQueue<>(SNAPSHOT_FRAMES + 1);
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    /** Loop-owned: the frame the loop writes the next snapshot into. */
    private SnapshotFrame frameBeingFilled;
    /** When the oldest unfinished send started waiting, or {@link #NOT_WAITING}; written by the IO thread. */
    private volatile long waitingSinceNs = NOT_WAITING;

    static final long NOT_WAITING = Long.MIN_VALUE;

    public Outbox(int messageCapacity) {
        this.messages = new OneToOneArrayQueue<>(messageCapacity);
        this.frameBeingFilled = new SnapshotFrame();
        for (int i = 1; i < SNAPSHOT_FRAMES; i++) {
            freeFrames.offer(new SnapshotFrame());
        }
    }

    // ------------------------------------------------------------------ loop thread

    /** Queues a message that must arrive; false when the queue is full (the client is too slow). */
    public boolean offerMessage(byte[] encodedServerMessage) {
        return messages.offer(encodedServerMessage);
    }

    /** The frame to encode the next snapshot into. Never null: three frames always leave one free. */
    public SnapshotFrame frameToFill() {
        if (frameBeingFilled == null) {
            frameBeingFilled = freeFrames.poll();
            if (frameBeingFilled == null) {
                throw new IllegalStateException("snapshot frame accounting broken: no free frame");
            }
        }
        return frameBeingFilled;
    }

    /**
     * Makes the frame filled last the pending snapshot.
     *
     * @return true when it replaced a snapshot that was never sent (a stale one, now dropped)
     */
    public boolean publishSnapshot() {
        SnapshotFrame replaced = pendingSnapshot.getAndSet(frameBeingFilled);
        frameBeingFilled = replaced;
        if (replaced != null) {
            replaced.releaseState();
        }
        return replaced != null;
    }

    /**
     * Drops the pending snapshot of a connection that is gone, giving back its shared state. Any thread:
     * the IO thread calls it when the socket closes, the loop when the player leaves (a snapshot may have
     * been published in between); whoever takes the frame releases it. The frame is not reused.
     */
    public void discardPendingSnapshot() {
        SnapshotFrame pending = pendingSnapshot.getAndSet(null);
        if (pending != null) {
            pending.releaseState();
        }
    }

    /** Claims the right to schedule a drain; the caller schedules one when this returns true. */
    public boolean claimDrain() {
        return drainScheduled.compareAndSet(false, true);
    }

    /** True when a send has been waiting to complete for longer than {@code stallTimeoutNs}. */
    public boolean isStalled(long nowNs, long stallTimeoutNs) {
        long since = waitingSinceNs;
        return since != NOT_WAITING && nowNs - since > stallTimeoutNs;
    }

    // ------------------------------------------------------------------ IO thread

    /** Called first thing by a scheduled drain, so that later offers schedule another one. */
    public void releaseDrain() {
        drainScheduled.set(false);
    }

    public byte[] takeMessage() {
        return messages.poll();
    }

    public SnapshotFrame takeSnapshot() {
        return pendingSnapshot.getAndSet(null);
    }

    /** Returns a sent (or failed) snapshot frame for reuse, giving back its shared state. */
    public void recycle(SnapshotFrame frame) {
        frame.releaseState();
        freeFrames.offer(frame);
    }

    /** Records send progress: {@code inFlight} sends remain unfinished as of {@code nowNs}. */
    public void progress(int inFlight, long nowNs) {
        waitingSinceNs = inFlight == 0 ? NOT_WAITING : nowNs;
    }

    /** Records that a send started while none was waiting. */
    public void startedWaiting(long nowNs) {
        if (waitingSinceNs == NOT_WAITING) {
            waitingSinceNs = nowNs;
        }
    }
}
