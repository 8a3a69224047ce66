package io.tickwave.server.loop;

import com.google.protobuf.Descriptors;
import com.google.protobuf.MessageLite;
import io.tickwave.protocol.ReplicationSchema;
import io.tickwave.replication.Encoding;
import io.tickwave.replication.ReplicatedState;
import io.tickwave.replication.Replicator;
import io.tickwave.replication.Schema;
import io.tickwave.server.api.Game;
import io.tickwave.server.api.RoomContext;
import io.tickwave.server.api.SnapshotBuffer;
import io.tickwave.server.metrics.ServerMetrics;
import io.tickwave.server.net.ServerMessages;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One room: a {@link Game} instance and its players, and, when the game replicates, its
 * {@link Replicator}. Every call into the game and the replicator goes through here and is guarded, so
 * a game (or a replication step) that throws is reported and counted while the loop goes on.
 *
 * <p>Owned by the game-loop thread.
 */
final class Room implements RoomContext {

    private final int roomId;
    private final Game game;
    private final int capacity;
    private final int tickRateHz;
    private final int snapshotRateHz;
    private final long tickIntervalNs;
    private final long seed;
    private final LoopServices services;
    final List<Session> sessions;
    private long tick;
    /** True only while {@link Game#start} runs: the one time {@link #replicate} may be called. */
    private boolean starting;
    /** Null unless the game called {@link #replicate}. */
    private Replicator replicator;
    private ReplicationSchema replicationSchema;
    /** Snapshots taken of the replicated state, to put a state hash in every {@code stateHashEvery}-th. */
    private long replicatedSnapshots;
    private boolean hashDue;
    /** The replicator's counters as last added to the server's ({@link #addReplicationCounters}). */
    private long countedCreated;
    private long countedUpdated;
    private long countedRemoved;
    private long countedSkipped;
    private long countedShared;
    private long countedBytes;
    private long nextReportTick;
    private long unreportedFailures;

    Room(int roomId, Game game, int capacity, int tickRateHz, int snapshotRateHz, long tickIntervalNs,
         LoopServices services) {
        this.roomId = roomId;
        this.game = game;
        this.capacity = capacity;
        this.tickRateHz = tickRateHz;
        this.snapshotRateHz = snapshotRateHz;
        this.tickIntervalNs = tickIntervalNs;
        this.seed = 0x7C3A_91E5_D2B4_F60BL * (roomId + 1);
        this.services = services;
        this.sessions = new ArrayList<>(capacity);
    }

    boolean hasSeat() {
        return sessions.size() < capacity;
    }

    void start() {
        starting = true;
        try {
            game.start(this);
        } catch (Throwable e) {
            GameErrors.rethrowIfFatal(e);
            gameFailed("start", e);
        } finally {
            starting = false;
        }
    }

    @Override
    public ReplicatedState replicate(Descriptors.FileDescriptor file) {
        if (!starting) {
            throw new IllegalStateException("replicate may only be called from Game.start");
        }
        if (replicator != null) {
            throw new IllegalStateException("replicate was already called for room " + roomId + "; call it once");
        }
        Schema schema = Schema.fromFile(file);
        ReplicationSchema message = schema.toMessage();
        replicator = new Replicator(schema);
        replicationSchema = message;
        return replicator.state();
    }

    /** Whether the game replicates its state (then it is never asked to write snapshots). */
    boolean replicates() {
        return replicator != null;
    }

    /** The schema for {@code Welcome.replication_schema}, or null when the game does not replicate. */
    ReplicationSchema replicationSchema() {
        return replicationSchema;
    }

    /**
     * Adds what the replicator counted since the last call to the server's replication counters (the
     * replicator's own are cumulative and die with the room). Loop thread; single writer, so ordered
     * stores suffice.
     */
    void addReplicationCounters(ServerMetrics metrics) {
        long created = replicator.entitiesCreatedSent();
        long updated = replicator.entitiesUpdatedSent();
        long removed = replicator.entitiesRemovedSent();
        long skipped = replicator.entitiesSkippedForBudget();
        long shared = replicator.encodingsShared();
        long bytes = replicator.payloadBytes();
        add(metrics.replicationEntitiesCreated, created - countedCreated);
        add(metrics.replicationEntitiesUpdated, updated - countedUpdated);
        add(metrics.replicationEntitiesRemoved, removed - countedRemoved);
        add(metrics.replicationEntitiesSkipped, skipped - countedSkipped);
        add(metrics.replicationEncodingsShared, shared - countedShared);
        add(metrics.replicationStateBytes, bytes - countedBytes);
        countedCreated = created;
        countedUpdated = updated;
        countedRemoved = removed;
        countedSkipped = skipped;
        countedShared = shared;
        countedBytes = bytes;
    }

    private static void add(AtomicLong counter, long delta) {
        if (delta != 0) {
            counter.lazySet(counter.get() + delta);
        }
    }

    void join(Session session) {
        sessions.add(session);
        if (replicator != null) {
            try {
                replicator.addViewer(session.playerId);
            } catch (Throwable e) {
                GameErrors.rethrowIfFatal(e);
                replicationFailed("addViewer", e);
            }
        }
        try {
            game.playerJoined(session.playerId, session.name);
        } catch (Throwable e) {
            GameErrors.rethrowIfFatal(e);
            gameFailed("playerJoined", e);
        }
    }

    /** Writes the game's welcome info for a new player; returns its length in the encoder's bytes. */
    int writeWelcomeInfo(int playerId, SnapshotEncoder encoder) {
        SnapshotBuffer out = encoder.beginGameMessage();
        try {
            game.writeWelcomeInfo(playerId, out);
            return encoder.finishGameMessage();
        } catch (Throwable e) {
            GameErrors.rethrowIfFatal(e);
            encoder.abandonGameMessage();
            gameFailed("writeWelcomeInfo", e);
            return 0;
        }
    }

    void leave(Session session) {
        sessions.remove(session);
        try {
            game.playerLeft(session.playerId);
        } catch (Throwable e) {
            GameErrors.rethrowIfFatal(e);
            gameFailed("playerLeft", e);
        }
        if (replicator != null) {
            try {
                replicator.removeViewer(session.playerId);
            } catch (Throwable e) {
                GameErrors.rethrowIfFatal(e);
                replicationFailed("removeViewer", e);
            }
        }
    }

    void input(Session session, long seq, RingEvent event) {
        session.lastDeliveredSeq = seq;
        try {
            game.input(session.playerId, seq, event);
        } catch (Throwable e) {
            GameErrors.rethrowIfFatal(e);
            gameFailed("input", e);
        }
    }

    /** Runs one fixed step; afterwards every input delivered so far counts as applied. */
    void step() {
        tick++;
        try {
            game.tick(tick);
        } catch (Throwable e) {
            GameErrors.rethrowIfFatal(e);
            gameFailed("tick", e);
        }
        for (int i = 0, n = sessions.size(); i < n; i++) {
            Session session = sessions.get(i);
            session.appliedSeq = session.lastDeliveredSeq;
        }
    }

    /** The viewer's view key, or the viewer's own id if the game throws. */
    long viewKey(Session viewer) {
        try {
            return game.viewKey(viewer.playerId);
        } catch (Throwable e) {
            GameErrors.rethrowIfFatal(e);
            gameFailed("viewKey", e);
            return viewer.playerId;
        }
    }

    /** Writes the viewer's state into the encoder; returns its length, or -1 if the game threw. */
    int writeSnapshot(Session viewer, SnapshotEncoder encoder) {
        SnapshotBuffer out = encoder.beginGameMessage();
        try {
            game.writeSnapshot(viewer.playerId, viewer.connection.baselineTick(), out);
            return encoder.finishGameMessage();
        } catch (Throwable e) {
            GameErrors.rethrowIfFatal(e);
            encoder.abandonGameMessage();
            gameFailed("writeSnapshot", e);
            return -1;
        }
    }

    /**
     * Starts a snapshot of the replicated state at the current tick; false (counted and reported) if the
     * replicator threw, and then nobody in the room gets a snapshot this time.
     *
     * @param stateHashEvery the server's {@code --state-hash-every}; sets {@link #hashDue}
     */
    boolean beginReplicatedSnapshot(int stateHashEvery) {
        replicatedSnapshots++;
        hashDue = stateHashEvery > 0 && replicatedSnapshots % stateHashEvery == 0;
        try {
            replicator.beginSnapshot(tick);
            return true;
        } catch (Throwable e) {
            GameErrors.rethrowIfFatal(e);
            replicationFailed("beginSnapshot", e);
            return false;
        }
    }

    /** Whether this snapshot's encodings carry a state hash. */
    boolean hashDue() {
        return hashDue;
    }

    /**
     * The viewer's state for this snapshot, a delta against its connection's baseline, or null (counted
     * and reported) if the replicator threw: that viewer gets no snapshot this time. Valid until the
     * next call or {@link #endReplicatedSnapshot}.
     */
    Encoding encode(Session viewer) {
        try {
            return replicator.encode(viewer.playerId, viewer.connection.baselineTick(), hashDue);
        } catch (Throwable e) {
            GameErrors.rethrowIfFatal(e);
            replicationFailed("encode", e);
            return null;
        }
    }

    /** Ends the snapshot begun by {@link #beginReplicatedSnapshot}. */
    void endReplicatedSnapshot() {
        try {
            replicator.endSnapshot();
        } catch (Throwable e) {
            GameErrors.rethrowIfFatal(e);
            replicationFailed("endSnapshot", e);
        }
    }

    void stop() {
        try {
            game.stop();
        } catch (Throwable e) {
            GameErrors.rethrowIfFatal(e);
            gameFailed("stop", e);
        }
    }

    private void gameFailed(String callback, Throwable error) {
        failed("game in room ", " threw from ", callback, error);
    }

    /**
     * The replicator threw: counted as a game error (most likely the game's declarations or values are
     * at fault, and either way the room's state did not go out), reported like one.
     */
    private void replicationFailed(String step, Throwable error) {
        failed("replication in room ", " failed in ", step, error);
    }

    /**
     * Counts every failure but reports at most one a second per room: a game that throws on every tick
     * must not cost the loop a message and a queue hand-off each time.
     */
    private void failed(String subject, String verb, String callback, Throwable error) {
        services.metrics().gameErrors.incrementAndGet();
        if (tick >= nextReportTick) {
            String suppressed = unreportedFailures == 0 ? "" : " (" + unreportedFailures + " more since the last report)";
            services.problems().report(subject + roomId + verb + callback + suppressed, error);
            unreportedFailures = 0;
            nextReportTick = tick + tickRateHz;
        } else {
            unreportedFailures++;
        }
    }

    @Override
    public void sendEvent(int playerId, MessageLite event) {
        Objects.requireNonNull(event, "event");
        for (int i = 0, n = sessions.size(); i < n; i++) {
            Session session = sessions.get(i);
            if (session.playerId == playerId) {
                session.sendReliable(ServerMessages.event(tick, event));
                return;
            }
        }
    }

    @Override
    public void broadcastEvent(MessageLite event) {
        Objects.requireNonNull(event, "event");
        if (sessions.isEmpty()) {
            return;
        }
        byte[] message = ServerMessages.event(tick, event);
        for (int i = 0, n = sessions.size(); i < n; i++) {
            sessions.get(i).sendReliable(message);
        }
    }

    @Override
    public int roomId() {
        return roomId;
    }

    @Override
    public int tickRateHz() {
        return tickRateHz;
    }

    @Override
    public int snapshotRateHz() {
        return snapshotRateHz;
    }

    @Override
    public long tickIntervalNanos() {
        return tickIntervalNs;
    }

    @Override
    public int capacity() {
        return capacity;
    }

    @Override
    public long currentTick() {
        return tick;
    }

    @Override
    public long seed() {
        return seed;
    }
}
