package io.tickwave.server.net;

import io.tickwave.server.net.websocket.FrameParser;

/**
 * The WebSocket close codes the server sends, as listed in docs/protocol.md. Ours are in the
 * 4000–4999 range that RFC 6455 leaves to applications.
 */
public final class CloseCodes {

    /** The server is shutting down (RFC 6455 "going away"). */
    public static final int GOING_AWAY = 1001;
    /** The server failed to handle the client (RFC 6455 "internal error"), e.g. the game could not open a room. */
    public static final int INTERNAL_ERROR = 1011;
    /** The client broke the WebSocket framing rules (RFC 6455 "protocol error"): bad RSV bits, opcode, masking. */
    public static final int PROTOCOL_ERROR = FrameParser.PROTOCOL_ERROR;
    /** A message in more than 64 fragments (RFC 6455 "policy violation"). */
    public static final int POLICY_VIOLATION = FrameParser.POLICY_VIOLATION;
    /** A message over {@code --max-frame-bytes} (RFC 6455 "message too big"). */
    public static final int MESSAGE_TOO_BIG = FrameParser.MESSAGE_TOO_BIG;
    /** A text frame: the protocol is binary protobuf only. */
    public static final int TEXT_FRAME = 4001;
    /** A binary frame that is not a decodable {@code ClientMessage}. */
    public static final int MALFORMED = 4002;
    /** A {@code ClientMessage} with no member set, or one this server does not know. */
    public static final int UNKNOWN_MESSAGE = 4004;
    /** {@code join.protocol_version} is not the one this server speaks. */
    public static final int BAD_PROTOCOL_VERSION = 4005;
    /** More messages per second than the limit allows. */
    public static final int RATE_LIMITED = 4008;
    /** Nothing received for longer than the idle timeout (also how half-open connections end). */
    public static final int IDLE_TIMEOUT = 4009;
    /** The client did not take its frames for longer than the stall timeout, or its outbox overflowed. */
    public static final int TOO_SLOW = 4010;
    /** The server could not accept the join (its event ring was full). */
    public static final int SERVER_BUSY = 4011;
    /**
     * No join was accepted within the join timeout of the upgrade. Pings of either kind do not extend it,
     * so an upgraded socket cannot hold a connection without playing.
     */
    public static final int JOIN_TIMEOUT = 4012;
    /**
     * Cluster only: the join carried no seat token, or one that is malformed, expired, signed with
     * another key or for another node, or its room was full when the join arrived. Get a new one from
     * {@code POST /matchmake}.
     */
    public static final int SEAT_REFUSED = 4014;
    /** The game kicked the player ({@code RoomContext.kick}), after Error KICKED with its reason. Final: do not reconnect. */
    public static final int KICKED = 4015;
    /** The game ended the room ({@code RoomContext.end}), after Error ROOM_ENDED with its reason. Final: do not reconnect. */
    public static final int ROOM_ENDED = 4016;
    /**
     * A newer connection presented this connection's reconnect token and took its seat (the client came
     * back before the server saw this socket die, or the seat is played in another tab). Final: do not
     * reconnect, or the two would take the seat from each other.
     */
    public static final int SEAT_TAKEN_OVER = 4017;

    /**
     * Rematch: this server is draining (shutting down or emptied for a deploy) and the client should find
     * another node; sent to the clients left at the drain deadline, and after Error SERVER_DRAINING to a
     * new join during a drain.
     */
    public static final int REMATCH = 4013;

    /** Every code the server itself decides to send; each is counted, and listed from start at zero. */
    public static final int[] SERVER_SENT = {GOING_AWAY, PROTOCOL_ERROR, POLICY_VIOLATION, MESSAGE_TOO_BIG,
        INTERNAL_ERROR, TEXT_FRAME, MALFORMED, UNKNOWN_MESSAGE, BAD_PROTOCOL_VERSION, RATE_LIMITED, IDLE_TIMEOUT,
        TOO_SLOW, SERVER_BUSY, JOIN_TIMEOUT, REMATCH, SEAT_REFUSED, KICKED, ROOM_ENDED, SEAT_TAKEN_OVER};

    private CloseCodes() {
    }
}
