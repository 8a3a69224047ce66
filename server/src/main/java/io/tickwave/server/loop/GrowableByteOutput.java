package io.tickwave.server.loop;

import java.io.OutputStream;
import java.util.Arrays;

/**
 * An {@link OutputStream} into a reusable array that grows when needed and is never shrunk, so that
 * in steady state writing into it allocates nothing. Owned by one thread (the game-loop thread).
 */
final class GrowableByteOutput extends OutputStream {

    private byte[] bytes;
    private int size;

    GrowableByteOutput(int initialCapacity) {
        bytes = new byte[initialCapacity];
    }

    @Override
    public void write(int b) {
        ensureCapacity(size + 1);
        bytes[size++] = (byte) b;
    }

    @Override
    public void write(byte[] source, int offset, int length) {
        ensureCapacity(size + length);
        System.arraycopy(source, offset, bytes, size, length);
        size += length;
    }

    void reset() {
        size = 0;
    }

    int size() {
        return size;
    }

    /** The backing array; valid bytes are {@code [0, size())}. Replaced when the output grows. */
    byte[] array() {
        return bytes;
    }

    private void ensureCapacity(int capacity) {
        if (capacity > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(capacity, bytes.length * 2));
        }
    }
}
