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
    private static final int ACK = 5;

    private ClientFrames() {
    }

    static ByteBuffer join(String name) {
        byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
        int inner = CodedOutputStream.computeByteArraySize(1, nameBytes) + CodedOutputStream.computeUInt32Size(2, 2);
        return frame(JOIN, inner, out -> {
            out.writeByteArray(1, nameBytes);
            out.writeUInt32(2, 2);
        });
    }

    /**
     * {@code Input{seq, payload = ArenaInput{move_x, move_y, aim, fire}}}. Zero fields are left out as
     * proto3 does.
     */
    static ByteBuffer arenaInput(int seq, int moveX, int moveY, float aim, boolean fire) {
        int arena = (moveX != 0 ? CodedOutputStream.computeSInt32Size(1, moveX) : 0)
                + (moveY != 0 ? CodedOutputStream.computeSInt32Size(2, moveY) : 0)
                + (aim != 0f ? CodedOutputStream.computeFloatSize(3, aim) : 0)
                + (fire ? CodedOutputStream.computeBoolSize(4, true) : 0);
        int inner = CodedOutputStream.computeUInt32Size(1, seq)
                + CodedOutputStream.computeTagSize(2) + CodedOutputStream.computeUInt32SizeNoTag(arena) + arena;
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
        });
    }

    static ByteBuffer chat(String text) {
        byte[] textBytes = text.getBytes(StandardCharsets.UTF_8);
        return frame(CHAT, CodedOutputStream.computeByteArraySize(1, textBytes), out -> out.writeByteArray(1, textBytes));
    }

    static ByteBuffer ping(long clientTime) {
        return frame(PING, CodedOutputStream.computeUInt64Size(1, clientTime), out -> out.writeUInt64(1, clientTime));
    }

    static ByteBuffer ack(long tick) {
        return frame(ACK, CodedOutputStream.computeUInt64Size(1, tick), out -> out.writeUInt64(1, tick));
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
