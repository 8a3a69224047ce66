package io.tickwave.bots;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.WireFormat;

/**
 * Encodes the client → server messages of tickwave.proto ({@code ClientMessage}) straight with
 * protobuf's {@link CodedOutputStream}, field by field, so that the send path allocates only the
 * frame's own bytes (which the WebSocket keeps until they are written) instead of builders and
 * message objects. The field numbers are those of tickwave.proto and arena.proto; the tests decode
 * every frame with the generated classes to keep the two in step.
 *
 * <p>Stateless; any thread.
 */
final class ClientFrames {

    // ClientMessage oneof members
    private static final int JOIN = 1;
    private static final int INPUT = 2;
    private static final int CHAT = 3;
    private static final int PING = 4;
    /**
     * Protocol v1 only: {@code SnapshotAck snapshot_ack = 5}, gone from tickwave.proto (and so from
     * the generated classes) in v2; written by hand for A/B runs against v1 servers.
     */
    private static final int SNAPSHOT_ACK_V1 = 5;
    /** {@code Input.newest_snapshot_tick}, v2. */
    private static final int INPUT_NEWEST_SNAPSHOT_TICK = 3;

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
        byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
        byte[] seatBytes = seatToken == null ? null : seatToken.getBytes(StandardCharsets.UTF_8);
        int inner = CodedOutputStream.computeByteArraySize(1, nameBytes) + CodedOutputStream.computeUInt32Size(2, protocolVersion)
                + (reconnectToken == null ? 0 : CodedOutputStream.computeByteArraySize(3, reconnectToken))
                + (seatBytes == null ? 0 : CodedOutputStream.computeByteArraySize(4, seatBytes));
        return frame(JOIN, inner, out -> {
            out.writeByteArray(1, nameBytes);
            out.writeUInt32(2, protocolVersion);
            if (reconnectToken != null) {
                out.writeByteArray(3, reconnectToken);
            }
            if (seatBytes != null) {
                out.writeByteArray(4, seatBytes); // a proto string is length-delimited UTF-8, like bytes
            }
        });
    }

    /**
     * {@code Input{seq, payload = ArenaInput{move_x, move_y, aim, fire}, newest_snapshot_tick}}. Zero
     * fields are left out as proto3 does, so a tick of 0 (none seen, or protocol v1) writes v1's bytes.
     */
    static ByteBuffer arenaInput(int seq, int moveX, int moveY, float aim, boolean fire, long newestSnapshotTick) {
        int arena = (moveX != 0 ? CodedOutputStream.computeSInt32Size(1, moveX) : 0)
                + (moveY != 0 ? CodedOutputStream.computeSInt32Size(2, moveY) : 0)
                + (aim != 0f ? CodedOutputStream.computeFloatSize(3, aim) : 0)
                + (fire ? CodedOutputStream.computeBoolSize(4, true) : 0);
        int inner = CodedOutputStream.computeUInt32Size(1, seq)
                + CodedOutputStream.computeTagSize(2) + CodedOutputStream.computeUInt32SizeNoTag(arena) + arena
                + (newestSnapshotTick != 0 ? CodedOutputStream.computeUInt64Size(INPUT_NEWEST_SNAPSHOT_TICK, newestSnapshotTick) : 0);
        return frame(INPUT, inner, out -> {
            out.writeUInt32(1, seq);
            out.writeTag(2, WireFormat.WIRETYPE_LENGTH_DELIMITED);
            out.writeUInt32NoTag(arena);
            if (moveX != 0) {
                out.writeSInt32(1, moveX);
            }
            if (moveY != 0) {
                out.writeSInt32(2, moveY);
            }
            if (aim != 0f) {
                out.writeFloat(3, aim);
            }
            if (fire) {
                out.writeBool(4, true);
            }
            if (newestSnapshotTick != 0) {
                out.writeUInt64(INPUT_NEWEST_SNAPSHOT_TICK, newestSnapshotTick);
            }
        });
    }

    static ByteBuffer chat(String text) {
        byte[] textBytes = text.getBytes(StandardCharsets.UTF_8);
        return frame(CHAT, CodedOutputStream.computeByteArraySize(1, textBytes), out -> out.writeByteArray(1, textBytes));
    }

    static ByteBuffer ping(long clientTime) {
        return frame(PING, CodedOutputStream.computeUInt64Size(1, clientTime), out -> out.writeUInt64(1, clientTime));
    }

    /** Protocol v1's {@code SnapshotAck{uint64 tick = 1}}; a v2 server closes a client that sends it. */
    static ByteBuffer snapshotAckV1(long tick) {
        return frame(SNAPSHOT_ACK_V1, CodedOutputStream.computeUInt64Size(1, tick), out -> out.writeUInt64(1, tick));
    }

    @FunctionalInterface
    private interface Body {
        void write(CodedOutputStream out) throws IOException;
    }

    private static ByteBuffer frame(int member, int innerSize, Body body) {
        int total = CodedOutputStream.computeTagSize(member) + CodedOutputStream.computeUInt32SizeNoTag(innerSize) + innerSize;
        byte[] bytes = new byte[total];
        CodedOutputStream out = CodedOutputStream.newInstance(bytes);
        try {
            out.writeTag(member, WireFormat.WIRETYPE_LENGTH_DELIMITED);
            out.writeUInt32NoTag(innerSize);
            body.write(out);
            out.checkNoSpaceLeft();
        } catch (IOException e) {
            throw new UncheckedIOException("encoding a client frame into an exactly sized array", e);
        }
        return ByteBuffer.wrap(bytes);
    }
}
