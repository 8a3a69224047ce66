package io.tickwave.server.api;

/**
 * The seam a game developer writes against: one instance per room, driven by the server.
 *
 * <p><b>Threading.</b> Every callback is made on the game-loop thread, one at a time, never
 * concurrently, in the total order in which the server accepted the events. A game therefore needs
 * no locks, and must not hand its state to other threads.
 *
 * <p><b>What a callback must not do.</b> Block, sleep, do I/O (files, sockets, logging in a loop),
 * start threads, or take long: every room of the process shares the loop thread, so a slow callback
 * delays every player. Keep steady-state allocation near zero: reuse objects across ticks. Do not
 * keep references to arguments that are documented as valid only during the call.
 *
 * <p><b>Errors.</b> An exception thrown by a callback is reported and counted by the server
 * ({@code tickwave_game_errors_total}); the loop, this room's other callbacks and the other rooms go
 * on. A game that throws repeatedly stays in service: it is the game's job to stay consistent.
 *
 * <p><b>Order of calls.</b> {@link #start} once, before anything else; then any interleaving of
 * {@link #playerJoined}, {@link #playerDisconnected}, {@link #playerReconnected}, {@link #playerLeft},
 * {@link #input} and {@link #tick}; on snapshot ticks, after {@link #tick}, {@link #viewKey} and
 * {@link #writeSnapshot} for the viewers; {@link #stop} once at the end. For one player:
 * {@code playerJoined}, then any number of {@code playerDisconnected} / {@code playerReconnected}
 * pairs, then {@code playerLeft} (after a {@code playerDisconnected} if the seat's grace period ran
 * out). Between {@code playerDisconnected} and the next call naming the player, no input of theirs
 * arrives and they are sent no snapshot.
 */
public interface Game {

    /** The room is created. {@code room} stays valid for the life of the game and may be kept. */
    void start(RoomContext room);

    /** A player entered the room. Player ids are unique for the life of the process. */
    void playerJoined(int playerId, String name);

    /**
     * Writes the game's static data for a player who just joined (a map, constants), sent once in the
     * {@code Welcome} message as {@code game_info}. Optional.
     */
    default void writeWelcomeInfo(int playerId, SnapshotBuffer out) {
    }

    /**
     * A player's connection dropped (not a leave on purpose) and their seat waits, for the reconnect
     * grace period, for them to come back with their reconnect token. The player is still in the room
     * and keeps their id; freeze or hide them if the game wants. Followed by {@link #playerReconnected}
     * or, once the grace period is over, {@link #playerLeft}. Optional.
     */
    default void playerDisconnected(int playerId) {
    }

    /**
     * A dropped player is back within the grace period: same id, same room, same entity. Their next
     * snapshot is written against baseline 0 (a new connection holds nothing). Optional.
     */
    default void playerReconnected(int playerId) {
    }

    /** A player left the room (closed, timed out or was disconnected). No more calls name them. */
    void playerLeft(int playerId);

    /**
     * One input of a player, in the order the server accepted it; {@code seq} strictly increases per
     * player. The payload is the game's own message; it is valid only during this call.
     */
    void input(int playerId, long seq, InputPayload payload);

    /** Advances the simulation by one fixed step of {@link RoomContext#tickIntervalNanos()}. */
    void tick(long tick);

    /**
     * Viewers for whom this returns the same key are sent the same state bytes, which the server then
     * asks for once and shares. The default, the viewer's own id, asks for every viewer separately.
     * Return a constant when every player sees the whole world.
     */
    default long viewKey(int viewerId) {
        return viewerId;
    }

    /**
     * Writes the state that {@code viewerId} may see, as the game's own message, into {@code out}.
     *
     * <p>Write the <em>complete</em> state: the server marks every snapshot as complete
     * ({@code baseline_tick = 0}) and shares the bytes among viewers with the same {@link #viewKey}.
     * {@code baselineTick} is the tick of the newest snapshot the server handed to this viewer's socket
     * (0 if none): over TCP that snapshot arrives, in order, or the connection dies, so it is a baseline
     * the client holds. It is passed so that delta encoding can come later; with a shared view key it is
     * the first such viewer's.
     */
    void writeSnapshot(int viewerId, long baselineTick, SnapshotBuffer out);

    /** The room is closing; release what the game holds. No more calls follow. */
    void stop();
}
