package io.tickwave.client;

/**
 * What a WebSocket close code from a Tickwave server means to a client (the close-code table of
 * docs/protocol.md): whether reconnecting could help.
 *
 * <p>Stateless; any thread.
 */
public final class CloseCodes {

    public static final int NORMAL = 1000;
    public static final int GOING_AWAY = 1001;
    /** RFC 6455's code for a connection that ended without a close frame; never sent on the wire. */
    public static final int ABNORMAL = 1006;
    public static final int IDLE_TIMEOUT = 4009;
    public static final int TOO_SLOW = 4010;
    public static final int JOIN_TIMEOUT = 4012;
    /** The server drains: rejoin elsewhere (a cluster: matchmake again; else retry the same address). */
    public static final int REMATCH = 4013;
    /** Cluster nodes: the seat token was refused or its room was full: matchmake again. */
    public static final int SEAT_REFUSED = 4014;
    /** {@code RoomContext.kick}: after {@code Error KICKED}. Final. */
    public static final int KICKED = 4015;
    /** {@code RoomContext.end}: after {@code Error ROOM_ENDED}. Final. */
    public static final int ROOM_ENDED = 4016;
    /** A newer connection came back with this seat's reconnect token and has the seat now. Final. */
    public static final int SEAT_TAKEN_OVER = 4017;

    private CloseCodes() {
    }

    /**
     * Whether a client must not reconnect after this close: a leave on purpose (1000), a close for
     * breaking the protocol (1002, 1008, 1009, 4001–4008), the server failing to seat the player (1011),
     * a kick (4015), the room's end (4016) or a seat taken over by a newer connection (4017). Every other
     * code — 1006 (no close frame), 1001, 4009, 4010, a full server's 4011, 4012, 4013, 4014 and codes this
     * build does not know — is worth another connection (for 4014, a new seat first).
     */
    public static boolean isFinal(int code) {
        return switch (code) {
            case NORMAL, 1002, 1008, 1009, 1011, KICKED, ROOM_ENDED, SEAT_TAKEN_OVER -> true;
            default -> code >= 4001 && code <= 4008;
        };
    }
}
