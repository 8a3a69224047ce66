package io.tickwave.server.api;

import java.util.Map;

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
 * <p><b>Two ways to send state.</b> A game that <em>replicates</em> calls
 * {@link RoomContext#replicate} once, in {@link #start}, with the {@code .proto} file that declares its
 * entity types, and sets values on the {@code ReplicatedState} it gets back from its callbacks; the
 * server then decides what each player sees and sends deltas (see {@code docs/replication.md}), and
 * {@link #viewKey} and {@link #writeSnapshot} are never called. A game that does not replicate writes
 * each viewer's complete state, as its own message, in {@link #writeSnapshot}. One-off happenings go
 * to players as events either way ({@link RoomContext#sendEvent}), never inside the state.
 *
 * <p><b>Order of calls.</b> {@link #start} once, before anything else (the only place to call
 * {@link RoomContext#replicate} and the room's setters); then any interleaving of {@link #admit} (for a
 * join, before its {@link #playerJoined}), {@link #chat}, {@link #playerJoined} (followed by
 * {@link #writeWelcomeInfo} for that player), {@link #playerDisconnected}, {@link #playerReconnected},
 * {@link #playerLeft}, {@link #input} and {@link #tick}; on snapshot ticks, after {@link #tick}: for a
 * game that replicates, the server encodes what each viewer may see of the replicated state as it
 * stands; otherwise {@link #viewKey} and {@link #writeSnapshot} for the viewers. {@link #stop} once at
 * the end. A joining player is a viewer of the replicated state from before {@link #playerJoined} (so
 * the game may set its viewpoint there) until after {@link #playerLeft}. For one player:
 * {@code playerJoined}, then any number of {@code playerDisconnected} / {@code playerReconnected}
 * pairs, then {@code playerLeft} (after a {@code playerDisconnected} if the seat's grace period ran
 * out). Between {@code playerDisconnected} and the next call naming the player, no input of theirs
 * arrives and they are sent no snapshot; a reconnected player's next snapshot is complete.
 */
public interface Game {

    /** The room is created. {@code room} stays valid for the life of the game and may be kept. */
    void start(RoomContext room);

    /**
     * Whether a player may take a seat, decided before they do (an auth hook: check a token in the
     * options). Called after the server's own checks (the room has a free seat and is not locked),
     * with the name as the client sent it, trimmed (the seat may get a suffixed one, see
     * {@link #playerJoined}) and the join's options (immutable; empty if none). Return null to admit;
     * any other string refuses the join with Error {@code JOIN_REFUSED} carrying it as the message, and
     * the connection stays open and may join again. A throw refuses too (and is counted as a game
     * error). A room opened for this join alone is stopped when its only join is refused. Optional: the
     * default admits everyone.
     */
    default String admit(String name, Map<String, String> options) {
        return null;
    }

    /** A player entered the room. Player ids are unique for the life of the process. */
    void playerJoined(int playerId, String name);

    /**
     * A chat line from a player, before it goes to the room: return false to drop it (it is neither
     * echoed to its sender nor broadcast). {@code text} is trimmed, not empty, within the length and
     * rate limits. A throw drops the line (and is counted). Optional: the default passes every line.
     */
    default boolean chat(int playerId, String text) {
        return true;
    }

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
     * One input of a player, in the order the server accepted it. {@code seq} is the wire's
     * {@code Input.seq}, a uint32 from 1 to 2^32-1, widened to a {@code long} so that it never turns
     * negative; it strictly increases per player, across reconnects too. The payload is the game's own
     * message; it is valid only during this call.
     */
    void input(int playerId, long seq, InputPayload payload);

    /**
     * Advances the simulation by one fixed step of {@link RoomContext#tickIntervalNanos()}, at the
     * room's tick rate ({@link RoomContext#setTickRate}); {@code tick} counts the room's steps from 1.
     */
    void tick(long tick);

    /**
     * For a game that does not replicate: viewers for whom this returns the same key are sent the same
     * state bytes, which the server then asks for once and shares. The default, the viewer's own id, asks
     * for every viewer separately. Return a constant when every player sees the whole world. Never called
     * for a game that replicates (the server finds the viewers who share bytes itself).
     */
    default long viewKey(int viewerId) {
        return viewerId;
    }

    /**
     * For a game that does not replicate: writes the state that {@code viewerId} may see, as the game's
     * own message, into {@code out}. Never called for a game that called {@link RoomContext#replicate};
     * the default writes nothing (an empty state).
     *
     * <p>Write the <em>complete</em> state: the server marks these snapshots as complete
     * ({@code baseline_tick = 0}) and shares the bytes among viewers with the same {@link #viewKey}.
     * {@code baselineTick} is the tick of the newest snapshot the server handed to this viewer's socket
     * (0 if none): over TCP that snapshot arrives, in order, or the connection dies, so it is a baseline
     * the client holds; with a shared view key it is the first such viewer's. Games that want deltas
     * replicate instead.
     */
    default void writeSnapshot(int viewerId, long baselineTick, SnapshotBuffer out) {
    }

    /** The room is closing; release what the game holds. No more calls follow. Optional. */
    default void stop() {
    }
}
