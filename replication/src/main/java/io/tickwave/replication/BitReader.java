package io.tickwave.replication;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Reads the bit stream {@link BitWriter} writes (docs/replication.md). Reading past the end, or a gamma
 * code longer than 32 bits, throws {@link MalformedStateException}. Holds no copy of the bytes; reset to
 * reuse. One owning thread.
 */
public final class BitReader {
    private static final VarHandle LONG_LE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private byte[] bytes = new byte[0];
    private int startByte;
    private int endByte;
    /** Absolute bit positions in {@code bytes}. */
    private long position;
    private long endBit;

    /** Reads {@code length} bytes of {@code array} from {@code offset}. */
    public BitReader reset(byte[] array, int offset, int length) {
        if (offset < 0 || length < 0 || offset > array.length - length) {
            throw new IndexOutOfBoundsException("offset " + offset + " length " + length + " in " + array.length);
        }
        bytes = array;
        startByte = offset;
        endByte = offset + length;
        position = (long) offset << 3;
        endBit = (long) endByte << 3;
        return this;
    }

    /** Bits not yet read (padding included). */
    public long remainingBits() {
        return endBit - position;
    }

    /** Bits read since the last reset. */
    public long bitsRead() {
        return position - ((long) startByte << 3);
    }

    /** Reads a {@code bits}-bit value (0..32), returned in the low bits of an int. */
    public int readBits(int bits) {
        if (bits < 0 || bits > 32) {
            throw new IllegalArgumentException("readBits takes 0..32 bits, not " + bits);
        }
        if (bits > endBit - position) {
            throw new MalformedStateException("state ends " + (endBit - position) + " bits into a " + bits + "-bit value");
        }
        if (bits == 0) {
            return 0;
        }
        long v = peek() & (-1L >>> (64 - bits));
        position += bits;
        return (int) v;
    }

    public boolean readBool() {
        return readBits(1) != 0;
    }

    /** Reads a gamma code: a value in {@code 0..2^32-1}. */
    public long readGamma() {
        long window = peek();
        int zeros = Long.numberOfTrailingZeros(window);
        if (zeros >= endBit - position) {
            throw new MalformedStateException("state ends inside a gamma code");
        }
        if (zeros > 32) {
            throw new MalformedStateException("a gamma code of " + zeros + " leading zeros: longer than 32 bits");
        }
        position += zeros + 1;
        long x = zeros == 0 ? 1 : (1L << zeros) | (readBits(zeros) & 0xFFFF_FFFFL);
        long v = x - 1;
        if (v > 0xFFFF_FFFFL) {
            throw new MalformedStateException("a gamma code of " + v + ": more than 2^32-1");
        }
        return v;
    }

    /** At least the next 57 bits from the position (fewer if the stream ends first; zeros past the end). */
    private long peek() {
        int index = (int) (position >>> 3);
        int shift = (int) (position & 7);
        long word;
        if (index + 8 <= endByte) {
            word = (long) LONG_LE.get(bytes, index);
        } else {
            word = 0;
            for (int i = endByte - 1; i >= index; i--) {
                word = (word << 8) | (bytes[i] & 0xFF);
            }
        }
        long v = word >>> shift;
        long available = endBit - position;
        return available >= 64 ? v : v & ((1L << available) - 1);
    }
}
