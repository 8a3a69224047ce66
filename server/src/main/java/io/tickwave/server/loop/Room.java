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
import java.util.Map;
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

    /** The most players {@link #setCapacity} allows, as {@code --room-capacity} does. */
    static final int MAX_CAPACITY = 10_000;

    /**
     * What a room asks of the loop that holds it. Kicks and ends are asked for once the game's callback
     * has returned (see {@link #settle}), so the loop never changes a room under a running callback.
     */
    interface Host {
        /** The player leaves for good after Error KICKED and close 4015. */
        void kick(Room room, Session session, String reason);

        /** Every player gets Error ROOM_ENDED and close 4016 and leaves; then the room stops. */
        void end(Room room, String reason);

        /** Something the cluster's room registry shows changed (locked). */
        void occupancyChanged();
    }

    /** A kick the game asked for, carried out when its callback has returned. */
    private record PendingKick(int playerId, String reason) {
    }

    private final int roomId;
    private final Game game;
    private final boolean privateRoom;
    private final int serverTickRateHz;
    private final int serverSnapshotRateHz;
    private final long serverTickIntervalNs;
    private final LoopServices services;
    private final Host host;
    private final int serverReconnectGraceMs;
    private int capacity;
    private int reconnectGraceMs;
    private int tickRateHz;
    private int snapshotRateHz;
    private long tickIntervalNs;
    /** The room steps every this many loop ticks: the server's tick rate over the room's. */
    private int loopTicksPerStep = 1;
    /** The room snapshots every this many of its own ticks. */
    private int ticksPerSnapshot;
    private final long seed;
    final List<Session> sessions;
    private long tick;
    private boolean locked;
    /** Set by {@link #end}; the room is taken down at the next {@link #settle}. */
    private String endReason;
    private boolean ended;
    private boolean stopped;
    private final List<PendingKick> pendingKicks = new ArrayList<>(0);
    /** True only while {@link Game#start} runs: the one time {@link #replicate} and the setters may be called. */
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

    /**
     * @param privateRoom made by a join with {@code create_room}: join-or-create never picks it
     * @param tickRateHz the server's tick rate, the room's until the game sets its own
     * @param snapshotRateHz the server's snapshot rate, likewise
     * @param tickIntervalNs the server's tick interval
     * @param reconnectGraceMs the server's {@code --reconnect-grace-ms}: the room's, and the most it may set
     */
    Room(int roomId, Game game, boolean privateRoom, int capacity, int tickRateHz, int snapshotRateHz,
         long tickIntervalNs, int reconnectGraceMs, LoopServices services, Host host) {
        this.roomId = roomId;
        this.game = game;
        this.privateRoom = privateRoom;
        this.capacity = capacity;
        this.serverTickRateHz = tickRateHz;
        this.serverSnapshotRateHz = snapshotRateHz;
        this.serverTickIntervalNs = tickIntervalNs;
        this.tickRateHz = tickRateHz;
        this.snapshotRateHz = snapshotRateHz;
        this.tickIntervalNs = tickIntervalNs;
        this.serverReconnectGraceMs = reconnectGraceMs;
        this.reconnectGraceMs = reconnectGraceMs;
        this.ticksPerSnapshot = tickRateHz / snapshotRateHz;
        this.seed = 0x7C3A_91E5_D2B4_F60BL * (roomId + 1);
        this.services = services;
        this.host = host;
        this.sessions = new ArrayList<>(Math.min(capacity, 64));
    }

    boolean hasSeat() {
        return sessions.size() < capacity;
    }

    /** Whether join-or-create may seat a player here: a free seat, not locked, not private, not ending. */
    boolean offersSeat() {
        return hasSeat() && !locked && !privateRoom && !ending();
    }

    /** Whether the room is ending or ended: it takes no joins. */
    boolean ending() {
        return endReason != null || ended;
    }

    boolean isPrivate() {
        return privateRoom;
    }

    /**
     * Whether the room steps on this loop tick. A room slower than the loop steps every
     * {@code loopTicksPerStep}-th loop tick, phased by its id, so that many such rooms spread their steps
     * over the loop's ticks instead of all landing on the same ones.
     */
    boolean stepsAt(long loopTick) {
        return (loopTick + roomId()) % loopTicksPerStep == 0;
    }

    /**
     * Whether the room sends snapshots on this loop tick: one it stepped at, to a room tick that is a
     * multiple of its ticks per snapshot (so snapshot ticks are too).
     */
    boolean snapshotsAt(long loopTick) {
        return stepsAt(loopTick) && tick > 0 && tick % ticksPerSnapshot == 0;
    }

    /**
     * Carries out what the game asked for during its last callback: kicks, then an end. Called by the
     * loop after every call into this room's game, once that call has returned.
     */
    void settle() {
        if (pendingKicks.isEmpty() && endReason == null) {
            return;
        }
        for (int i = 0; i < pendingKicks.size(); i++) {
            PendingKick kick = pendingKicks.get(i);
            Session session = sessionOf(kick.playerId());
            if (session != null && !ended) {
                host.kick(this, session, kick.reason());
            }
        }
        pendingKicks.clear();
        if (endReason != null && !ended) {
            String reason = endReason;
            ended = true;
            host.end(this, reason);
        }
    }

    /** The game's verdict on a join ({@link Game#admit}): null admits; a throw refuses (and is counted). */
    String admit(String name, Map<String, String> options) {
        try {
            return game.admit(name, options);
        } catch (Throwable e) {
            GameErrors.rethrowIfFatal(e);
            gameFailed("admit", e);
            return "the game failed to admit the join";
        }
    }

    /** The game's chat hook: whether to pass the line on; a throw drops it (and is counted). */
    boolean chat(int playerId, String text) {
        try {
            return game.chat(playerId, text);
        } catch (Throwable e) {
            GameErrors.rethrowIfFatal(e);
            gameFailed("chat", e);
            return false;
        }
    }

    private Session sessionOf(int playerId) {
        for (int i = 0, n = sessions.size(); i < n; i++) {
            Session session = sessions.get(i);
            if (session.playerId == playerId) {
                return session;
            }
        }
        return null;
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

    /** The player's connection dropped; the seat stays in {@link #sessions}, waiting for a reconnect. */
    void disconnect(Session session) {
        try {
            game.playerDisconnected(session.playerId);
        } catch (Throwable e) {
            GameErrors.rethrowIfFatal(e);
            gameFailed("playerDisconnected", e);
        }
    }

    /** The dropped player came back on a new connection: {@code resumed} takes {@code dropped}'s place. */
    void reconnect(Session dropped, Session resumed) {
        sessions.set(sessions.indexOf(dropped), resumed);
        try {
            game.playerReconnected(resumed.playerId);
        } catch (Throwable e) {
            GameErrors.rethrowIfFatal(e);
            gameFailed("playerReconnected", e);
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

    /** Stops the game, once: a room that ended stops when its last player leaves, and only then. */
    void stop() {
        if (stopped) {
            return;
        }
        stopped = true;
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
        Session session = sessionOf(playerId);
        if (session != null) {
            session.sendReliable(ServerMessages.event(tick, event));
        }
    }

    @Override
    public Map<String, String> joinOptions(int playerId) {
        Session session = sessionOf(playerId);
        return session == null ? Map.of() : session.joinOptions;
    }

    @Override
    public void kick(int playerId, String reason) {
        Objects.requireNonNull(reason, "reason");
        if (sessionOf(playerId) != null) {
            pendingKicks.add(new PendingKick(playerId, reason));
        }
    }

    @Override
    public void lock() {
        if (!locked) {
            locked = true;
            host.occupancyChanged();
        }
    }

    @Override
    public void unlock() {
        if (locked) {
            locked = false;
            host.occupancyChanged();
        }
    }

    @Override
    public boolean locked() {
        return locked;
    }

    @Override
    public void end(String reason) {
        Objects.requireNonNull(reason, "reason");
        if (starting) {
            throw new IllegalStateException("a room cannot end from Game.start; end it once it has players");
        }
        if (endReason == null) {
            endReason = reason;
        }
    }

    @Override
    public void sendNotice(int playerId, String text) {
        Objects.requireNonNull(text, "text");
        Session session = sessionOf(playerId);
        if (session != null) {
            session.sendReliable(ServerMessages.chat(0, "", text));
        }
    }

    @Override
    public void broadcastNotice(String text) {
        Objects.requireNonNull(text, "text");
        if (sessions.isEmpty()) {
            return;
        }
        byte[] message = ServerMessages.chat(0, "", text);
        for (int i = 0, n = sessions.size(); i < n; i++) {
            sessions.get(i).sendReliable(message);
        }
    }

    @Override
    public void setCapacity(int players) {
        requireStarting("setCapacity");
        if (players < 1 || players > MAX_CAPACITY) {
            throw new IllegalArgumentException("capacity must be between 1 and " + MAX_CAPACITY + ", was " + players);
        }
        capacity = players;
    }

    @Override
    public void setTickRate(int hz) {
        requireStarting("setTickRate");
        if (hz < 1 || hz > serverTickRateHz || serverTickRateHz % hz != 0) {
            throw new IllegalArgumentException("a room's tick rate must divide the server's --tick-rate "
                    + serverTickRateHz + ", was " + hz);
        }
        tickRateHz = hz;
        loopTicksPerStep = serverTickRateHz / hz;
        tickIntervalNs = serverTickIntervalNs * loopTicksPerStep;
        if (hz % snapshotRateHz != 0) {
            // The snapshot rate no longer divides the tick rate: the largest divisor of the new rate
            // not above the server's snapshot rate.
            int rate = Math.min(hz, serverSnapshotRateHz);
            while (hz % rate != 0) {
                rate--;
            }
            snapshotRateHz = rate;
        }
        ticksPerSnapshot = hz / snapshotRateHz;
    }

    @Override
    public void setSnapshotRate(int hz) {
        requireStarting("setSnapshotRate");
        if (hz < 1 || hz > tickRateHz || tickRateHz % hz != 0) {
            throw new IllegalArgumentException("a room's snapshot rate must divide its tick rate " + tickRateHz
                    + ", was " + hz);
        }
        snapshotRateHz = hz;
        ticksPerSnapshot = tickRateHz / hz;
    }

    @Override
    public void setReconnectGraceMs(int ms) {
        requireStarting("setReconnectGraceMs");
        if (ms < 0 || ms > serverReconnectGraceMs) {
            throw new IllegalArgumentException("a room's reconnect grace must be between 0 and the server's"
                    + " --reconnect-grace-ms " + serverReconnectGraceMs + ", was " + ms);
        }
        reconnectGraceMs = ms;
    }

    @Override
    public int reconnectGraceMs() {
        return reconnectGraceMs;
    }

    /** {@link #reconnectGraceMs} in nanoseconds. */
    long reconnectGraceNs() {
        return reconnectGraceMs * 1_000_000L;
    }

    private void requireStarting(String method) {
        if (!starting) {
            throw new IllegalStateException(method + " may only be called from Game.start");
        }
    }

    @Override
    public int playerCount() {
        return sessions.size();
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
