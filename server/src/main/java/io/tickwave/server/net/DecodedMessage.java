package io.tickwave.server.net;

import java.util.HashMap;
import java.util.Map;

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
    /**
     * {@code Join.options}, the last value of each key winning as in protobuf. At most
     * {@link JoinOptions#MAX_ENTRIES} + 1 distinct keys are kept, so a flood of entries costs no more
     * than that: {@link #joinOptionsOverflow} says more arrived.
     */
    public final Map<String, String> joinOptions = new HashMap<>();
    /** More distinct option keys arrived than {@link #joinOptions} keeps. */
    public boolean joinOptionsOverflow;
    /** {@code Join.room_id}, unsigned: 0 for join-or-create. */
    public int joinRoomId;
    /** {@code Join.create_room}. */
    public boolean joinCreateRoom;
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
    /** Keeps one option entry, unless {@link JoinOptions#MAX_ENTRIES} + 1 distinct keys are kept already. */
    void putJoinOption(String key, String value) {
        if (joinOptions.size() > JoinOptions.MAX_ENTRIES && !joinOptions.containsKey(key)) {
            joinOptionsOverflow = true;
            return;
        }
        joinOptions.put(key, value);
    }

    void reset() {
        kind = NONE;
        joinName = "";
        chatText = "";
        protocolVersion = 0;
        joinReconnectToken = null;
        joinSeatToken = "";
        if (!joinOptions.isEmpty()) {
            joinOptions.clear();
        }
        joinOptionsOverflow = false;
        joinRoomId = 0;
        joinCreateRoom = false;
        inputSeq = 0;
        payloadOffset = 0;
        payloadLength = 0;
        newestSnapshotTick = 0;
        pingClientTime = 0;
    }
}
