package io.tickwave.server.net;

/**
 * A seat's reconnect token: 128 random bits, sent to the client in {@code Welcome.reconnect_token} and
 * presented back in {@code Join.reconnect_token} to take the seat again after a drop. Immutable; any thread.
 */
public record ReconnectToken(long high, long low) {

    /** Bytes on the wire. */
    public static final int LENGTH = 16;
    /** What a presented token of the wrong length becomes: it names no seat, as no token issued is zero. */
    public static final ReconnectToken NONE_SUCH = new ReconnectToken(0, 0);

    /** The token in {@code bytes}, or {@link #NONE_SUCH} when they are not {@link #LENGTH} long. */
    public static ReconnectToken fromBytes(byte[] bytes) {
        if (bytes.length != LENGTH) {
            return NONE_SUCH;
        }
        return new ReconnectToken(readLong(bytes, 0), readLong(bytes, 8));
    }

    public byte[] toBytes() {
        byte[] bytes = new byte[LENGTH];
        for (int i = 0; i < 8; i++) {
            bytes[i] = (byte) (high >>> (56 - 8 * i));
            bytes[8 + i] = (byte) (low >>> (56 - 8 * i));
        }
        return bytes;
    }

    private static long readLong(byte[] bytes, int from) {
        long value = 0;
        for (int i = 0; i < 8; i++) {
            value = value << 8 | (bytes[from + i] & 0xFF);
        }
        return value;
    }

    /** Tokens are secrets: never printed whole. */
    @Override
    public String toString() {
        return "ReconnectToken[" + Long.toHexString(high >>> 48) + "…]";
    }
}
