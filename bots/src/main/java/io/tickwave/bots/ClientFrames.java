package io.tickwave.bots;

import java.nio.ByteBuffer;
import java.util.Map;

import com.google.protobuf.CodedOutputStream;

import io.tickwave.client.ClientMessages;

/**
 * The bots' client → server frames, as {@link ByteBuffer}s for their NIO pump: the envelope is the
 * client library's {@link ClientMessages} (no builders, one exactly sized array a frame); what is the
 * bots' own is here: the sample game's {@code ArenaInput}, written field by field straight into the
 * input frame, and protocol v1's snapshot ack for A/B runs against the previous server build. The
 * tests decode every frame with the generated classes.
 *
 * <p>Stateless; any thread.
 */
final class ClientFrames {

    /**
     * Protocol v1 only: {@code SnapshotAck snapshot_ack = 5}, gone from tickwave.proto (and so from
     * the generated classes) in v2; written by hand for A/B runs against v1 servers.
     */
    private static final int SNAPSHOT_ACK_V1 = 5;

    // arena.v1.ArenaInput
    private static final int MOVE_X = 1;
    private static final int MOVE_Y = 2;
    private static final int AIM = 3;
    private static final int FIRE = 4;

    private ClientFrames() {
    }

    /** {@code Join{name, protocol_version}}: 2 for this server, 1 for the previous build. */
    static ByteBuffer join(String name, int protocolVersion) {
        return join(name, protocolVersion, null);
    }

    /** {@code Join{name, protocol_version, reconnect_token}}; no token field when {@code reconnectToken} is null. */
    static ByteBuffer join(String name, int protocolVersion, byte[] reconnectToken) {
        return join(name, protocolVersion, reconnectToken, null);
    }

    /**
     * {@code Join{name, protocol_version, reconnect_token, seat_token}}: a token field only when it is not
     * null. The seat token is the one {@code POST /matchmake} answered (a cluster node requires it).
     */
    static ByteBuffer join(String name, int protocolVersion, byte[] reconnectToken, String seatToken) {
        return ByteBuffer.wrap(ClientMessages.join(name, protocolVersion, reconnectToken, seatToken, Map.of(), 0, false));
    }

    /**
     * {@code Input{seq, payload = ArenaInput{move_x, move_y, aim, fire}, newest_snapshot_tick}}. Zero
     * fields are left out as proto3 does, so a tick of 0 (none seen, or protocol v1) writes v1's bytes.
     */
    static ByteBuffer arenaInput(int seq, int moveX, int moveY, float aim, boolean fire, long newestSnapshotTick) {
        int arena = (moveX != 0 ? CodedOutputStream.computeSInt32Size(MOVE_X, moveX) : 0)
                + (moveY != 0 ? CodedOutputStream.computeSInt32Size(MOVE_Y, moveY) : 0)
                + (aim != 0f ? CodedOutputStream.computeFloatSize(AIM, aim) : 0)
                + (fire ? CodedOutputStream.computeBoolSize(FIRE, true) : 0);
        return ByteBuffer.wrap(ClientMessages.input(seq, arena, out -> {
            if (moveX != 0) {
                out.writeSInt32(MOVE_X, moveX);
            }
            if (moveY != 0) {
                out.writeSInt32(MOVE_Y, moveY);
            }
            if (aim != 0f) {
                out.writeFloat(AIM, aim);
            }
            if (fire) {
                out.writeBool(FIRE, true);
            }
        }, newestSnapshotTick));
    }

    static ByteBuffer chat(String text) {
        return ByteBuffer.wrap(ClientMessages.chat(text));
    }

    static ByteBuffer ping(long clientTime) {
        return ByteBuffer.wrap(ClientMessages.ping(clientTime));
    }

    /** Protocol v1's {@code SnapshotAck{uint64 tick = 1}}; a v2 server closes a client that sends it. */
    static ByteBuffer snapshotAckV1(long tick) {
        return ByteBuffer.wrap(ClientMessages.frame(SNAPSHOT_ACK_V1, CodedOutputStream.computeUInt64Size(1, tick),
                out -> out.writeUInt64(1, tick)));
    }
}
