package io.tickwave.server.loop;

import io.tickwave.server.net.ClientConnection;
import io.tickwave.server.net.CloseCodes;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A player in a room: the loop's view of one joined connection. Owned by the game-loop thread.
 */
final class Session {

    final int playerId;
    final String name;
    final ClientConnection connection;
    final Room room;
    /** The newest input seq handed to the game. */
    long lastDeliveredSeq;
    /** The newest input seq the simulation has stepped with: {@link #lastDeliveredSeq} as of the last tick. */
    long appliedSeq;
    /** Set once the loop asked the transport to close this client; no further sends are attempted. */
    boolean closeRequested;
    /** Cluster only: the matchmaker's reservation this player's seat token filled, or null. */
    String seatReservation;
    /** The options the player joined with (immutable; empty if none), for {@code RoomContext.joinOptions}. */
    Map<String, String> joinOptions = Map.of();
    /** The loop tick this player joined at. */
    long joinedAtTick;
    /**
     * Messages for this player from before its welcome went out (events the game sent from
     * {@code playerJoined}), so that the welcome is always the first message; null once welcomed.
     */
    private List<byte[]> heldUntilWelcome = new ArrayList<>(0);

    Session(int playerId, String name, ClientConnection connection, Room room) {
        this.playerId = playerId;
        this.name = name;
        this.connection = connection;
        this.room = room;
    }

    /**
     * Queues a message that must arrive (welcome, chat, notices, game events); a client whose queue is
     * full is too slow and is closed, as one whose snapshots stall is.
     */
    void sendReliable(byte[] message) {
        if (heldUntilWelcome != null) {
            heldUntilWelcome.add(message);
            return;
        }
        offerReliable(message);
    }

    /** Sends the welcome, then what was held for after it. */
    void sendWelcome(byte[] welcome) {
        List<byte[]> held = heldUntilWelcome;
        heldUntilWelcome = null;
        offerReliable(welcome);
        for (int i = 0; i < held.size(); i++) {
            offerReliable(held.get(i));
        }
    }

    private void offerReliable(byte[] message) {
        if (closeRequested) {
            return;
        }
        if (connection.outbox().offerMessage(message)) {
            connection.requestDrain();
        } else {
            closeAsTooSlow("outbox full");
        }
    }

    /** Closes this client with 4010 once; no further sends are attempted. */
    void closeAsTooSlow(String why) {
        closeRequested = true;
        connection.requestClose(CloseCodes.TOO_SLOW, "too slow: " + why);
    }
}
