package io.tickwave.server.net;

/**
 * One decoded {@code ClientMessage}, reused for every frame of a connection: which member was set and
 * its fields. An input's payload is not copied: it is {@link #payloadLength} bytes at
 * {@link #payloadOffset} of the frame it was decoded from, valid while that frame is.
 *
 * <p>Owned by the connection's IO thread.
 */
public final class DecodedMessage {

    public static final int NONE = 0;
    public static final int JOIN = 1;
    public static final int INPUT = 2;
    public static final int CHAT = 3;
    public static final int PING = 4;

    /** One of the constants above: the oneof member that appeared last, or {@link #NONE}. */
    public int kind;
    public String joinName = "";
    public int protocolVersion;
    /** {@code Join.reconnect_token}, or null when the join carried none (an empty one counts as none). */
    public byte[] joinReconnectToken;
    /** {@code join.seat_token}: empty when absent. */
    public String joinSeatToken = "";
    public String chatText = "";
    /** Input seq, as an unsigned 32-bit value. */
    public long inputSeq;
    public int payloadOffset;
    public int payloadLength;
    public long newestSnapshotTick;
    public long pingClientTime;

    final ClientMessageDecoder.Cursor cursor = new ClientMessageDecoder.Cursor();

    /**
     * Clears every member. Within one message the members are not cleared when another replaces the
     * oneof: like the generated parser, which keeps a member's builder once made, a member that
     * appears again merges into what it held before.
     */
    void reset() {
        kind = NONE;
        joinName = "";
        chatText = "";
        protocolVersion = 0;
        joinReconnectToken = null;
        joinSeatToken = "";
        inputSeq = 0;
        payloadOffset = 0;
        payloadLength = 0;
        newestSnapshotTick = 0;
        pingClientTime = 0;
    }
}
