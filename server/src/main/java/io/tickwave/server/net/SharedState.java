package io.tickwave.server.net;

import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The state bytes of one view key in one snapshot, encoded once and shared by every viewer with that
 * key: a direct buffer, so the socket write needs no copy, counted by reference so that it goes back to
 * its {@link SharedStatePool} when the last frame holding it was written or dropped.
 *
 * <p>Threads: the game-loop thread fills it while it is out of the pool and nobody else holds it, then
 * hands references to frames ({@link #retain}); IO threads only read it, each through its own view
 * ({@link #viewFor}), and any holder may {@link #release}. The atomic count orders the loop's writes
 * before every reader and every reader before the next fill.
 */
public final class SharedState {

    private final SharedStatePool pool;
    private final AtomicInteger references = new AtomicInteger();
    private ByteBuffer bytes;
    private int length;
    /** One read-only view per IO thread, made on first use; slot {@code i} belongs to IO thread {@code i}. */
    private ByteBuffer[] views;

    SharedState(SharedStatePool pool, int initialCapacity, int ioThreads) {
        this.pool = pool;
        this.bytes = ByteBuffer.allocateDirect(initialCapacity);
        this.views = new ByteBuffer[ioThreads];
    }

    /** Copies the state in and takes the loop's own reference. Game-loop thread, while out of the pool. */
    void fill(byte[] source, int offset, int stateLength) {
        if (stateLength > bytes.capacity()) {
            bytes = ByteBuffer.allocateDirect(Math.max(stateLength, bytes.capacity() * 2));
            views = new ByteBuffer[views.length];
        }
        bytes.put(0, source, offset, stateLength);
        length = stateLength;
        references.set(1);
    }

    public int length() {
        return length;
    }

    /** Takes one more reference, for a frame that will carry these bytes. Game-loop thread. */
    public void retain() {
        references.incrementAndGet();
    }

    /** Gives one reference back; the last one returns the buffer to its pool. Any holder's thread. */
    public void release() {
        int left = references.decrementAndGet();
        if (left == 0) {
            pool.giveBack(this);
        } else if (left < 0) {
            throw new IllegalStateException("shared state released more often than retained");
        }
    }

    /**
     * IO thread {@code ioThread}'s read-only view of the bytes. Its position and limit are that thread's
     * scratch: set them before each write, read the position back after it.
     */
    public ByteBuffer viewFor(int ioThread) {
        ByteBuffer view = views[ioThread];
        if (view == null) {
            view = bytes.asReadOnlyBuffer();
            views[ioThread] = view;
        }
        return view;
    }

    /** The bytes at {@code [0, length)}, copied out. Allocates; for tests. */
    public byte[] toByteArray() {
        byte[] copy = new byte[length];
        bytes.get(0, copy);
        return copy;
    }
}
