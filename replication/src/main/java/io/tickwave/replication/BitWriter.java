package io.tickwave.replication;

import java.util.Arrays;

/**
 * Writes the bit stream of docs/replication.md: bits fill each byte from its least significant bit up,
 * and a value goes least significant bit first; the last byte is padded with zero bits. The array grows
 * when needed and is kept across {@link #reset()}, so steady-state writing allocates nothing.
 * One owning thread.
 *
 * <p>Bytes at and after the write position are always zero; {@link #rewind(int)} restores that, so an
 * encoder can write an entity, find it overflows its byte budget and take it back.
 */
public final class BitWriter {
    private byte[] bytes;
    private int bitLength;

    public BitWriter() {
        this(256);
    }

    public BitWriter(int initialBytes) {
        bytes = new byte[Math.max(16, initialBytes)];
    }

    /** Empties the stream, keeping the array. */
    public void reset() {
        Arrays.fill(bytes, 0, byteLength(), (byte) 0);
        bitLength = 0;
    }

    /** Writes the low {@code bits} bits of {@code value} (0..32 bits; higher bits of value are ignored). */
    public void writeBits(long value, int bits) {
        if (bits < 0 || bits > 32) {
            throw new IllegalArgumentException("writeBits takes 0..32 bits, not " + bits);
        }
        write(value, bits);
    }

    public void writeBool(boolean value) {
        write(value ? 1 : 0, 1);
    }

    /** Writes {@code gamma(v)} for {@code v} in {@code 0..2^32-1}: 1 to 65 bits. */
    public void writeGamma(long v) {
        if (v < 0 || v > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("gamma takes 0..2^32-1, not " + v);
        }
        long x = v + 1;
        int n = 63 - Long.numberOfLeadingZeros(x);
        write(1L << n, n + 1);       // n zero bits, then the one
        write(x, n);                 // the low n bits of v + 1
    }

    /** The bits {@code gamma(v)} takes, for {@code v} in {@code 0..2^32-1}. */
    public static int gammaBits(long v) {
        return 2 * (63 - Long.numberOfLeadingZeros(v + 1)) + 1;
    }

    /** Appends every bit {@code other} holds. */
    public void appendBits(BitWriter other) {
        int fullBytes = other.bitLength >>> 3;
        byte[] source = other.bytes;
        int i = 0;
        for (; i + 4 <= fullBytes; i += 4) {
            write((source[i] & 0xFF) | (source[i + 1] & 0xFF) << 8 | (source[i + 2] & 0xFF) << 16
                    | (long) (source[i + 3] & 0xFF) << 24, 32);
        }
        for (; i < fullBytes; i++) {
            write(source[i], 8);
        }
        int rest = other.bitLength & 7;
        if (rest != 0) {
            write(source[fullBytes], rest);
        }
    }

    /** The current position, for {@link #rewind(int)}. */
    public int mark() {
        return bitLength;
    }

    /** Takes back everything written after {@code bitMark} (a value {@link #mark()} returned). */
    public void rewind(int bitMark) {
        if (bitMark < 0 || bitMark > bitLength) {
            throw new IllegalArgumentException("rewind to " + bitMark + " outside 0.." + bitLength);
        }
        int end = byteLength();
        int keepBytes = bitMark >>> 3;
        int partial = bitMark & 7;
        if (partial != 0) {
            bytes[keepBytes] &= (byte) ((1 << partial) - 1);
            keepBytes++;
        }
        if (keepBytes < end) {
            Arrays.fill(bytes, keepBytes, end, (byte) 0);
        }
        bitLength = bitMark;
    }

    /** Bits written so far. */
    public int bitLength() {
        return bitLength;
    }

    /** Bytes the stream takes, the last one padded. */
    public int byteLength() {
        return (bitLength + 7) >>> 3;
    }

    /** The backing array: the stream is its first {@link #byteLength()} bytes. Valid until the next write. */
    public byte[] array() {
        return bytes;
    }

    /** A copy of the stream's bytes (allocates: for tests and cold paths). */
    public byte[] toByteArray() {
        return Arrays.copyOf(bytes, byteLength());
    }

    /** Writes the low {@code bits} (0..57) bits of {@code value}. */
    private void write(long value, int bits) {
        if (bits == 0) {
            return;
        }
        int position = bitLength;
        int lastByte = (position + bits - 1) >>> 3;
        if (lastByte >= bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, lastByte + 16));
        }
        long v = (value & (-1L >>> (64 - bits))) << (position & 7);
        int index = position >>> 3;
        bytes[index] |= (byte) v;
        for (int i = index + 1; i <= lastByte; i++) {
            v >>>= 8;
            bytes[i] = (byte) v;
        }
        bitLength = position + bits;
    }
}
