package io.tickwave.replication;

/**
 * The state hash of docs/replication.md: FNV-1a, 32 bits, over the little-endian bytes of 32-bit words,
 * entities in ascending id: {@code id}, {@code typeId}, then each field's {@code q}. Start from
 * {@link #START} and {@link #mix} each word in turn. Stateless; any thread.
 */
public final class StateHash {
    /** The FNV-1a 32-bit offset basis, 2166136261. */
    public static final int START = 0x811C_9DC5;
    /** The FNV-1a 32-bit prime. */
    public static final int PRIME = 16_777_619;

    private StateHash() {
    }

    /** {@code hash} with the four little-endian bytes of {@code word} mixed in. */
    public static int mix(int hash, int word) {
        hash = (hash ^ (word & 0xFF)) * PRIME;
        hash = (hash ^ ((word >>> 8) & 0xFF)) * PRIME;
        hash = (hash ^ ((word >>> 16) & 0xFF)) * PRIME;
        return (hash ^ (word >>> 24)) * PRIME;
    }
}
