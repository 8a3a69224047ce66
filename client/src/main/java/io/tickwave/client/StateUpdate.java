package io.tickwave.client;

import java.util.Arrays;

import io.tickwave.replication.ReplicaClient;

/**
 * One snapshot as {@link TickwaveListener#onState} sees it. A view reused for every snapshot: valid only
 * during the call.
 *
 * <p>Owned by the thread that feeds the {@link ClientSession}.
 */
public final class StateUpdate {

    long tick;
    int ackInputSeq;
    long baselineTick;
    long stateHash = ServerMessageReader.NO_STATE_HASH;
    ReplicaClient replica;
    byte[] buf;
    int stateOffset;
    int stateLength;

    StateUpdate() {
    }

    /** The room's tick this state belongs to. */
    public long tick() {
        return tick;
    }

    /**
     * The newest of this player's input seqs (the wire's uint32, as an int) that the simulation had
     * stepped with: inputs up to it are in this state; replay later ones on top of it to predict.
     */
    public int ackInputSeq() {
        return ackInputSeq;
    }

    /** The snapshot this one is a delta against; 0: complete. */
    public long baselineTick() {
        return baselineTick;
    }

    public boolean hasStateHash() {
        return stateHash != ServerMessageReader.NO_STATE_HASH;
    }

    /** The replicated state after this snapshot; null for a game that does not replicate (or while the state is lost). */
    public ReplicaClient replica() {
        return replica;
    }

    /** {@code Snapshot.state}: for a game that does not replicate, the game's own message (a copy). */
    public byte[] state() {
        return Arrays.copyOfRange(buf, stateOffset, stateOffset + stateLength);
    }
}
