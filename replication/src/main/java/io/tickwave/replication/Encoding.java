package io.tickwave.replication;

/**
 * One encoded {@code Snapshot.state} for one or more viewers of the current snapshot. Reused: valid
 * (its {@link #array()} included) until {@link Replicator#endSnapshot()}; copy the bytes out before.
 *
 * <p><b>Thread:</b> the game-loop thread only.
 */
public final class Encoding {
    final BitWriter writer = new BitWriter(2048);
    int shareIndex;
    long baselineTick;
    boolean hasHash;
    int stateHash;

    // what made it, for sharing
    ViewRecord record;
    ViewRecord base;
    int baseSeq;
    boolean withHash;
    boolean relevantIsGlobal;
    int key;
    boolean shareable;
    int created;
    int updated;
    int removed;

    Encoding() {
    }

    /** Viewers given the identical encoding this snapshot get the same index: 0..n-1 in order of first use. */
    public int shareIndex() {
        return shareIndex;
    }

    /** The bytes: the first {@link #length()} of them. */
    public byte[] array() {
        return writer.array();
    }

    public int length() {
        return writer.byteLength();
    }

    /** The baseline this encoding is a delta against, for {@code Snapshot.baseline_tick}; 0: a full state. */
    public long baselineTick() {
        return baselineTick;
    }

    /** Whether {@link #stateHash()} is set, for {@code Snapshot.state_hash}. */
    public boolean hasHash() {
        return hasHash;
    }

    public int stateHash() {
        return stateHash;
    }
}
