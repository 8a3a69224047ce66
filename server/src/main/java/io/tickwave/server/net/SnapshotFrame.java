package io.tickwave.server.net;

import java.nio.ByteBuffer;

/**
 * One reusable buffer holding one encoded snapshot frame. Passed between the loop (which fills it) and
 * the connection's IO thread (which sends it) through {@link Outbox}; only one side holds it at a time.
 */
public final class SnapshotFrame {

    private byte[] bytes;
    private ByteBuffer view;
    private int length;
    private long tick;

    SnapshotFrame(int initialCapacity) {
        bytes = new byte[initialCapacity];
        view = ByteBuffer.wrap(bytes);
    }

    /** The backing array, at least {@code capacity} long; grows (and allocates) only when too small. */
    public byte[] array(int capacity) {
        if (bytes.length < capacity) {
            bytes = new byte[Math.max(capacity, bytes.length * 2)];
            view = ByteBuffer.wrap(bytes);
        }
        return bytes;
    }

    public void length(int frameLength) {
        this.length = frameLength;
    }

    public int length() {
        return length;
    }

    /** The room tick of the snapshot this frame holds. */
    public void tick(long snapshotTick) {
        this.tick = snapshotTick;
    }

    public long tick() {
        return tick;
    }

    /** A buffer over the frame's bytes, positioned for sending. The same object on every call. */
    public ByteBuffer prepareForSend() {
        view.clear();
        view.limit(length);
        return view;
    }
}
