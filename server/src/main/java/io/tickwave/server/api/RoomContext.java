package io.tickwave.server.api;

import com.google.protobuf.Descriptors;
import com.google.protobuf.MessageLite;
import io.tickwave.replication.ReplicatedState;

/**
 * What the server tells a game about its room, and what the game may ask of it. Game-loop thread only:
 * call it from the game's callbacks.
 */
public interface RoomContext {

    /** The room's id, unique for the life of the process. */
    int roomId();

    /** Simulation steps per second. */
    int tickRateHz();

    /** Snapshots per second sent to each player. */
    int snapshotRateHz();

    /** The fixed simulated time of one {@link Game#tick}, in nanoseconds. */
    long tickIntervalNanos();

    /** The most players this room takes. */
    int capacity();

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
