package io.tickwave.server.loop;

import io.tickwave.server.api.Game;
import io.tickwave.server.api.RoomContext;
import io.tickwave.server.api.SnapshotBuffer;

import java.util.ArrayList;
import java.util.List;

/**
 * One room: a {@link Game} instance and its players. Every call into the game goes through here and is
 * guarded, so a game that throws is reported and counted while the loop goes on.
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
        try {
            game.start(this);
        } catch (Throwable e) {
            GameErrors.rethrowIfFatal(e);
            gameFailed("start", e);
        }
    }

    void join(Session session) {
        sessions.add(session);
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

    void stop() {
        try {
            game.stop();
        } catch (Throwable e) {
            GameErrors.rethrowIfFatal(e);
            gameFailed("stop", e);
        }
    }

    /**
     * Counts every failure but reports at most one a second per room: a game that throws on every tick
     * must not cost the loop a message and a queue hand-off each time.
     */
    private void gameFailed(String callback, Throwable error) {
        services.metrics().gameErrors.incrementAndGet();
        if (tick >= nextReportTick) {
            String suppressed = unreportedFailures == 0 ? "" : " (" + unreportedFailures + " more since the last report)";
            services.problems().report("game in room " + roomId + " threw from " + callback + suppressed, error);
            unreportedFailures = 0;
            nextReportTick = tick + tickRateHz;
        } else {
            unreportedFailures++;
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
