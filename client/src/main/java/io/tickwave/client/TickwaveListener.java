package io.tickwave.client;

import io.tickwave.protocol.Welcome;
import io.tickwave.replication.EntityType;
import io.tickwave.replication.ReplicaClient;

/**
 * What a client hears from the server. Every method does nothing unless overridden, so a listener
 * overrides only what it needs.
 *
 * <p><b>Threading.</b> A {@link ClientSession} calls these on the thread that feeds it; a
 * {@link TickwaveClient} calls them all on its one event thread, one at a time and in the order the
 * server sent them. Don't block in them. Arrays and views passed in ({@link StateUpdate}, the
 * {@link ReplicaClient}) are valid only during the call; copy what you keep.
 */
public interface TickwaveListener {

    /** A seat: a new one, or ({@code welcome.getResumed()}) the same player taken back after a reconnect. */
    default void onWelcome(Welcome welcome) {
    }

    /**
     * The join was refused (the {@code Error} that answered it: BAD_NAME, ROOM_FULL, JOIN_REFUSED with the
     * game's reason, …). Unless a close follows, the connection stays open and may join again.
     */
    default void onJoinRefused(int errorCode, String message) {
    }

    /**
     * A snapshot arrived; for a game that replicates it has been applied to the replica
     * ({@link StateUpdate#replica()}), after the entity callbacks below.
     */
    default void onState(StateUpdate update) {
    }

    /** An entity appeared in the replicated state ({@code state} already holds it). */
    default void onEntityAdded(int id, EntityType type, ReplicaClient state) {
    }

    /** Fields of an entity changed: bit {@code i} of {@code changedMask} stands for field {@code i}. */
    default void onEntityChanged(int id, EntityType type, int changedMask, ReplicaClient state) {
    }

    /** An entity left the state (destroyed, or out of view); {@code state} no longer holds it. */
    default void onEntityRemoved(int id, EntityType type) {
    }

    /** A {@code GameEvent}: the game's own message, to be parsed with the game's class. */
    default void onEvent(long tick, byte[] payload) {
    }

    /** A chat line; {@code playerId} 0 is a notice from the server or the game. */
    default void onChat(int playerId, String name, String text) {
    }

    default void onPlayerJoined(int playerId, String name) {
    }

    default void onPlayerLeft(int playerId, String name) {
    }

    /** A pong came back: the round trip of that ping. */
    default void onRtt(long rttNanos) {
    }

    /**
     * An {@code Error} other than a join's refusal: a dropped message (STALE_INPUT, CHAT_RATE_LIMITED, …),
     * a refused reconnect token (the client then joins a new seat by itself), or one announcing a close
     * (KICKED, ROOM_ENDED, SERVER_DRAINING, …). {@link TickwaveException#errorName} names the code.
     */
    default void onError(int errorCode, String message) {
    }

    /**
     * Something the server sent could not be decoded, or the rebuilt state's hash did not match the
     * snapshot's {@code state_hash}: a bug in this client or a mismatched build. The replicated state
     * waits for the next complete snapshot (one comes with every new connection).
     */
    default void onDecodeError(String problem) {
    }

    /**
     * The connection ended ({@link CloseCodes}; 1006 without a close frame). {@code willReconnect}: the
     * client will connect again by itself (after {@link #onReconnecting}) and resume the seat.
     */
    default void onClosed(int code, String reason, boolean willReconnect) {
    }

    /** A reconnect is scheduled: attempt {@code attempt} (from 1) in {@code delayMillis}. */
    default void onReconnecting(int attempt, long delayMillis) {
    }
}
