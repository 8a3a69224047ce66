package io.tickwave.server.loop;

import io.tickwave.server.net.ClientConnection;

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
    /** The loop tick this player joined at. */
    long joinedAtTick;

    Session(int playerId, String name, ClientConnection connection, Room room) {
        this.playerId = playerId;
        this.name = name;
        this.connection = connection;
        this.room = room;
    }
}
