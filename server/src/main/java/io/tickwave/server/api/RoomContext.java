package io.tickwave.server.api;

import com.google.protobuf.Descriptors;
import com.google.protobuf.MessageLite;
import io.tickwave.replication.ReplicatedState;

import java.util.Map;

/**
 * What the server tells a game about its room, and what the game may ask of it. Game-loop thread only:
 * call it from the game's callbacks.
 *
 * <p><b>Per-room settings.</b> {@link #setCapacity}, {@link #setTickRate}, {@link #setSnapshotRate} and
 * {@link #setReconnectGraceMs} may be called from {@link Game#start} only (elsewhere they throw
 * {@link IllegalStateException}); until then a room has the server's {@code --room-capacity},
 * {@code --tick-rate}, {@code --snapshot-rate} and {@code --reconnect-grace-ms}. Players'
 * {@code Welcome} carries the room's own values.
 *
 * <p><b>Kicks and ends</b> take effect once the callback that asked for them has returned, so a game
 * never sees {@link Game#playerLeft} (nor {@link Game#stop}) in the middle of another callback.
 */
public interface RoomContext {

    /** The room's id, unique for the life of the process. */
    int roomId();

    /** Simulation steps per second: the room's ({@link #setTickRate}), else the server's. */
    int tickRateHz();

    /** Snapshots per second sent to each player: the room's ({@link #setSnapshotRate}), else the server's. */
    int snapshotRateHz();

    /** The fixed simulated time of one {@link Game#tick}, in nanoseconds, at the room's tick rate. */
    long tickIntervalNanos();

    /** The most players this room takes ({@link #setCapacity}, else the server's {@code --room-capacity}). */
    int capacity();

    /**
     * Players in the room: everyone seated, those whose dropped connection waits for a reconnect
     * included (they hold a seat).
     */
    int playerCount();

    /**
     * The options {@code playerId} joined with ({@code Join.options}; immutable, empty if none or if the
     * player is not in this room). A reconnect keeps the first join's options.
     */
    Map<String, String> joinOptions(int playerId);

    /**
     * Removes a player: they get Error {@code KICKED} with {@code reason}, then close 4015 (final: a
     * client does not reconnect), and the game hears {@link Game#playerLeft} while the others get a
     * {@code PlayerLeft}, once the calling callback has returned. A player not in this room is ignored.
     */
    void kick(int playerId, String reason);

    /**
     * Locks the room: it takes no new player, neither through join-or-create nor by room id (Error
     * {@code ROOM_LOCKED}) nor through a cluster's matchmaker, while a dropped player may still take
     * their seat back. Locking a locked room does nothing.
     */
    void lock();

    /** Opens a locked room to new players again. */
    void unlock();

    /** Whether the room is locked. */
    boolean locked();

    /**
     * Ends the room once the calling callback has returned: every player gets Error {@code ROOM_ENDED}
     * with {@code reason}, then close 4016 (final), the game hears {@link Game#playerLeft} for each,
     * then {@link Game#stop}; the room takes no joins from the call on. Not from {@link Game#start}
     * ({@link IllegalStateException}). A second call does nothing.
     */
    void end(String reason);

    /**
     * Sends a server notice to one player: a {@code ChatLine} with player id 0 and an empty name,
     * reliable and in order with chat and events. A player not in this room is ignored.
     */
    void sendNotice(int playerId, String text);

    /** {@link #sendNotice} to every player in the room. */
    void broadcastNotice(String text);

    /**
     * Sets the most players this room takes, 1 to 10,000 (as {@code --room-capacity}). From
     * {@link Game#start} only. A cluster's matchmaker learns it from the node's next heartbeat.
     */
    void setCapacity(int players);

    /**
     * Sets the room's simulation rate: {@code hz} must divide the server's {@code --tick-rate} (the room
     * then steps every {@code tick-rate / hz}-th tick of the server's loop), else
     * {@link IllegalArgumentException}. When the snapshot rate no longer divides it, the snapshot rate
     * becomes the largest divisor of {@code hz} not above the server's {@code --snapshot-rate}. From
     * {@link Game#start} only.
     */
    void setTickRate(int hz);

    /**
     * Sets how many snapshots per second the room's players get: {@code hz} must divide the room's tick
     * rate, else {@link IllegalArgumentException}. From {@link Game#start} only, after
     * {@link #setTickRate} if the game calls both.
     */
    void setSnapshotRate(int hz);

    /**
     * Sets how long a dropped player's seat in this room waits for a reconnect, in milliseconds: from 0
     * (a drop is a leave, and the room's players get no reconnect token) up to the server's
     * {@code --reconnect-grace-ms}, which caps it, else {@link IllegalArgumentException}. (A game that
     * wants a longer grace everywhere sets its launcher's default: {@code defaults(s ->
     * s.withReconnectGraceMs(…))}.) From {@link Game#start} only.
     */
    void setReconnectGraceMs(int ms);

    /**
     * How long a dropped player's seat waits for a reconnect, in milliseconds: the room's
     * ({@link #setReconnectGraceMs}), else the server's {@code --reconnect-grace-ms}; 0 for none.
     */
    int reconnectGraceMs();

    /** The number of the tick being simulated, or of the last one simulated between ticks. */
    long currentTick();

    /** A seed fixed per room, so that games can make deterministic randomness. */
    long seed();

    /**
     * Makes this a replicating room: the server replicates the entity types declared in {@code file}
     * (every message with the {@code (tickwave.v1.entity)} option, see {@code docs/replication.md}),
     * sends each player the {@code ReplicationSchema} in its welcome and, at each snapshot, what it may
     * see of the returned state as a delta against its baseline. The game then sets values on that
     * state from its callbacks (game-loop thread only) and no longer writes snapshots: {@link Game#viewKey}
     * and {@link Game#writeSnapshot} are not called.
     *
     * <p>Call it once, from {@link Game#start}; a second call, or a call from any other callback, throws
     * {@link IllegalStateException}. A file whose declarations the schema refuses throws
     * {@link IllegalArgumentException} naming the field, and the room stays non-replicating.
     */
    ReplicatedState replicate(Descriptors.FileDescriptor file);

    /**
     * Sends {@code event}, the game's own message, to one player as a {@code GameEvent}: reliable and in
     * order with the player's other events, chat and notices, never dropped like a stale snapshot, and
     * apart from the replicated state (use it for one-off happenings: a kill, a round's result). Not
     * ordered with snapshots. A player not in this room (one who left) is ignored. Sent from
     * {@link Game#playerJoined}, it reaches the new player right after its welcome.
     *
     * <p>The event is serialized at once (it may be reused after the call) and each send allocates its
     * frame: events are meant to be rare, a few per player per second at most. A client that lets its
     * queue of such messages fill ({@code --outbox-capacity}) is closed as too slow (4010).
     */
    void sendEvent(int playerId, MessageLite event);

    /** {@link #sendEvent} to every player in the room, the same bytes to each (serialized once). */
    void broadcastEvent(MessageLite event);
}
