package io.tickwave.bots;

import java.nio.ByteBuffer;

import com.google.protobuf.InvalidProtocolBufferException;

import io.tickwave.client.ServerMessageReader;
import io.tickwave.protocol.ReplicationSchema;
import io.tickwave.replication.EntityType;
import io.tickwave.replication.MalformedStateException;
import io.tickwave.replication.ReplicaClient;
import io.tickwave.replication.Schema;

/**
 * One decoding bot's replica of the state the server replicates to it (docs/replication.md): every
 * snapshot's state applied against its {@code baseline_tick}, what each one did counted into
 * {@link StateStats}, and {@code state_hash}, when present, compared with the replica's own hash.
 *
 * <p><b>Threading.</b> Owned by its bot's lane thread, like the bot.
 *
 * <p>A snapshot the replica cannot apply (a malformed stream, a baseline it does not hold) leaves it
 * without the state every later delta of this connection builds on: the failure is counted once, and
 * the replica waits for the next complete snapshot ({@code baseline_tick} 0, on a new connection)
 * instead of counting each later delta as another failure.
 */
final class ReplicaCheck implements ReplicaClient.Listener {

    static final String MISMATCH = "state:hash_mismatch";
    static final String DECODE = "state:decode";

    private final int botIndex;
    private final SwarmStats stats;
    /** Null until a welcome brought a schema (never, against a game that does not replicate). */
    private ReplicaClient replica;
    private boolean counted;
    private boolean lost;
    private int created;
    private int updated;
    private int removed;

    ReplicaCheck(int botIndex, SwarmStats stats) {
        this.botIndex = botIndex;
        this.stats = stats;
    }

    /** A welcome: a fresh replica for the connection's schema, or none when the game does not replicate. */
    void welcome(byte[] buf, int schemaOffset, int schemaLength) {
        replica = null;
        lost = false;
        if (schemaLength == 0) {
            return;
        }
        try {
            Schema schema = Schema.fromMessage(ReplicationSchema.parseFrom(ByteBuffer.wrap(buf, schemaOffset, schemaLength)));
            replica = new ReplicaClient(schema);
            replica.setListener(this);
        } catch (InvalidProtocolBufferException | RuntimeException e) {
            fail(DECODE, "bot " + botIndex + ": the welcome's replication schema is unusable: " + e);
            return;
        }
        if (!counted) {
            counted = true;
            stats.state.decodingBots.incrementAndGet();
        }
    }

    /** {@code stateHash} as from {@link ServerMessageReader}: unsigned, or {@link ServerMessageReader#NO_STATE_HASH}. */
    void snapshot(long tick, long baselineTick, long stateHash, byte[] buf, int stateOffset, int stateLength) {
        if (replica == null || (lost && baselineTick != 0)) {
            return;
        }
        lost = false;
        created = 0;
        updated = 0;
        removed = 0;
        try {
            replica.apply(tick, baselineTick, buf, stateOffset, stateLength);
        } catch (RuntimeException e) {
            lost = true;
            fail(DECODE, "bot " + botIndex + ": snapshot " + tick + " (baseline " + baselineTick + ", " + stateLength
                    + " bytes) could not be applied: " + (e instanceof MalformedStateException ? e.getMessage() : e.toString()));
            return;
        }
        stats.state.recordSnapshot(stateLength, created, updated, removed);
        if (stateHash != ServerMessageReader.NO_STATE_HASH) {
            stats.state.hashesChecked.increment();
            long mine = replica.stateHash() & 0xFFFF_FFFFL;
            if (mine != stateHash) {
                fail(MISMATCH, String.format("bot %d: snapshot %d (baseline %d): state_hash %08x, the replica's %08x over %d entities",
                        botIndex, tick, baselineTick, stateHash, mine, replica.entityCount()));
            }
        }
    }

    private void fail(String kind, String what) {
        (kind.equals(MISMATCH) ? stats.state.hashMismatches : stats.state.decodeFailures).increment();
        stats.recordError(kind, what);
        stats.state.describe(what);
    }

    /**
     * The replica after the last snapshot it applied, for the pilot to read; null when the game does not
     * replicate or the replica lost its state (see above).
     */
    ReplicaClient replica() {
        return lost ? null : replica;
    }

    // The replica tells what changed between its newest state and the one before: with the baseline
    // the previous snapshot, as the server sends them, that is what the snapshot's lists carried.

    @Override
    public void added(int id, EntityType type) {
        created++;
    }

    @Override
    public void changed(int id, EntityType type, int changedMask) {
        updated++;
    }

    @Override
    public void removed(int id, EntityType type) {
        removed++;
    }
}
