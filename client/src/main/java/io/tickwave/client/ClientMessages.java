package io.tickwave.client;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.MessageLite;
import com.google.protobuf.WireFormat;

import io.tickwave.protocol.ChatSend;
import io.tickwave.protocol.ClientMessage;
import io.tickwave.protocol.Input;
import io.tickwave.protocol.Join;
import io.tickwave.protocol.Ping;

/**
 * Encodes the client → server messages of tickwave.proto ({@code ClientMessage}) straight with
 * protobuf's {@link CodedOutputStream}, field by field, into one exactly sized array per frame: no
 * builders, no message objects. The bots send tens of thousands of inputs a second through it. The
 * tests decode every frame with the generated classes to keep the two in step.
 *
 * <p>{@code Join}'s {@code options} (5), {@code room_id} (6) and {@code create_room} (7) are written by
 * number (docs/protocol.md); a server older than them skips them as unknown fields. Zero and empty
 * fields are left out, as proto3 does.
 *
 * <p>Stateless; any thread.
 */
public final class ClientMessages {

    /** The protocol version this library speaks (docs/protocol.md). */
    public static final int PROTOCOL_VERSION = 2;

    static final int JOIN_OPTIONS = 5;
    static final int JOIN_ROOM_ID = 6;
    static final int JOIN_CREATE_ROOM = 7;

    /** Writes a message's fields (without tag or length) into an exactly sized stream. */
    @FunctionalInterface
    public interface PayloadWriter {
        void writeTo(CodedOutputStream out) throws IOException;
    }

    private ClientMessages() {
    }

    /** {@code Join{name, protocol_version}}. */
    public static byte[] join(String name, int protocolVersion) {
        return join(name, protocolVersion, null, null, Map.of(), 0, false);
    }

    /**
     * A whole {@code Join}. {@code reconnectToken} and {@code seatToken} are left out when null or empty;
     * {@code options} are written in the map's iteration order.
     */
    public static byte[] join(String name, int protocolVersion, byte[] reconnectToken, String seatToken,
                              Map<String, String> options, int roomId, boolean createRoom) {
        byte[] nameBytes = utf8(name);
        byte[] seatBytes = seatToken == null || seatToken.isEmpty() ? null : utf8(seatToken);
        byte[] token = reconnectToken == null || reconnectToken.length == 0 ? null : reconnectToken;
        byte[][] keys = new byte[options.size()][];
        byte[][] values = new byte[options.size()][];
        int entries = 0;
        int inner = (nameBytes.length == 0 ? 0 : CodedOutputStream.computeByteArraySize(Join.NAME_FIELD_NUMBER, nameBytes))
                + (protocolVersion == 0 ? 0 : CodedOutputStream.computeUInt32Size(Join.PROTOCOL_VERSION_FIELD_NUMBER, protocolVersion))
                + (token == null ? 0 : CodedOutputStream.computeByteArraySize(Join.RECONNECT_TOKEN_FIELD_NUMBER, token))
                + (seatBytes == null ? 0 : CodedOutputStream.computeByteArraySize(Join.SEAT_TOKEN_FIELD_NUMBER, seatBytes))
                + (roomId == 0 ? 0 : CodedOutputStream.computeUInt32Size(JOIN_ROOM_ID, roomId))
                + (createRoom ? CodedOutputStream.computeBoolSize(JOIN_CREATE_ROOM, true) : 0);
        for (Map.Entry<String, String> option : options.entrySet()) {
            keys[entries] = utf8(option.getKey());
            values[entries] = utf8(option.getValue());
            int entry = entrySize(keys[entries], values[entries]);
            inner += CodedOutputStream.computeTagSize(JOIN_OPTIONS) + CodedOutputStream.computeUInt32SizeNoTag(entry) + entry;
            entries++;
        }
        int optionCount = entries;
        return frame(ClientMessage.JOIN_FIELD_NUMBER, inner, out -> {
            if (nameBytes.length != 0) {
                out.writeByteArray(Join.NAME_FIELD_NUMBER, nameBytes); // a proto string is length-delimited UTF-8, like bytes
            }
            if (protocolVersion != 0) {
                out.writeUInt32(Join.PROTOCOL_VERSION_FIELD_NUMBER, protocolVersion);
            }
            if (token != null) {
                out.writeByteArray(Join.RECONNECT_TOKEN_FIELD_NUMBER, token);
            }
            if (seatBytes != null) {
                out.writeByteArray(Join.SEAT_TOKEN_FIELD_NUMBER, seatBytes);
            }
            for (int i = 0; i < optionCount; i++) {
                // A map entry is a message {key = 1, value = 2}.
                out.writeTag(JOIN_OPTIONS, WireFormat.WIRETYPE_LENGTH_DELIMITED);
                out.writeUInt32NoTag(entrySize(keys[i], values[i]));
                if (keys[i].length != 0) {
                    out.writeByteArray(1, keys[i]);
                }
                if (values[i].length != 0) {
                    out.writeByteArray(2, values[i]);
                }
            }
            if (roomId != 0) {
                out.writeUInt32(JOIN_ROOM_ID, roomId);
            }
            if (createRoom) {
                out.writeBool(JOIN_CREATE_ROOM, true);
            }
        });
    }

    private static int entrySize(byte[] key, byte[] value) {
        return (key.length == 0 ? 0 : CodedOutputStream.computeByteArraySize(1, key))
                + (value.length == 0 ? 0 : CodedOutputStream.computeByteArraySize(2, value));
    }

    /** {@code Input{seq, payload, newest_snapshot_tick}}; {@code seq} is the wire's uint32 (as an int). */
    public static byte[] input(int seq, byte[] payload, int offset, int length, long newestSnapshotTick) {
        return input(seq, length, out -> out.writeRawBytes(payload, offset, length), newestSnapshotTick);
    }

    /** {@code Input} whose payload is {@code payload}'s serialized form, written in place (no intermediate array). */
    public static byte[] input(int seq, MessageLite payload, long newestSnapshotTick) {
        return input(seq, payload.getSerializedSize(), payload::writeTo, newestSnapshotTick);
    }

    /**
     * {@code Input} whose payload ({@code payloadSize} bytes, exactly) {@code payload} writes: for callers
     * that encode their input field by field, as the bots do.
     */
    public static byte[] input(int seq, int payloadSize, PayloadWriter payload, long newestSnapshotTick) {
        int inner = (seq == 0 ? 0 : CodedOutputStream.computeUInt32Size(Input.SEQ_FIELD_NUMBER, seq))
                + CodedOutputStream.computeTagSize(Input.PAYLOAD_FIELD_NUMBER) + CodedOutputStream.computeUInt32SizeNoTag(payloadSize)
                + payloadSize
                + (newestSnapshotTick != 0
                        ? CodedOutputStream.computeUInt64Size(Input.NEWEST_SNAPSHOT_TICK_FIELD_NUMBER, newestSnapshotTick) : 0);
        return frame(ClientMessage.INPUT_FIELD_NUMBER, inner, out -> {
            if (seq != 0) {
                out.writeUInt32(Input.SEQ_FIELD_NUMBER, seq);
            }
            // Written even when empty: an input without a payload is still an input.
            out.writeTag(Input.PAYLOAD_FIELD_NUMBER, WireFormat.WIRETYPE_LENGTH_DELIMITED);
            out.writeUInt32NoTag(payloadSize);
            payload.writeTo(out);
            if (newestSnapshotTick != 0) {
                out.writeUInt64(Input.NEWEST_SNAPSHOT_TICK_FIELD_NUMBER, newestSnapshotTick);
            }
        });
    }

    public static byte[] chat(String text) {
        byte[] textBytes = utf8(text);
        return frame(ClientMessage.CHAT_FIELD_NUMBER, CodedOutputStream.computeByteArraySize(ChatSend.TEXT_FIELD_NUMBER, textBytes),
                out -> out.writeByteArray(ChatSend.TEXT_FIELD_NUMBER, textBytes));
    }

    public static byte[] ping(long clientTime) {
        return frame(ClientMessage.PING_FIELD_NUMBER, CodedOutputStream.computeUInt64Size(Ping.CLIENT_TIME_FIELD_NUMBER, clientTime),
                out -> out.writeUInt64(Ping.CLIENT_TIME_FIELD_NUMBER, clientTime));
    }

    /** One {@code ClientMessage} member of {@code innerSize} bytes, which {@code body} writes. */
    public static byte[] frame(int member, int innerSize, PayloadWriter body) {
        int total = CodedOutputStream.computeTagSize(member) + CodedOutputStream.computeUInt32SizeNoTag(innerSize) + innerSize;
        byte[] bytes = new byte[total];
        CodedOutputStream out = CodedOutputStream.newInstance(bytes);
        try {
            out.writeTag(member, WireFormat.WIRETYPE_LENGTH_DELIMITED);
            out.writeUInt32NoTag(innerSize);
            body.writeTo(out);
            out.checkNoSpaceLeft();
        } catch (IOException | IllegalStateException e) {
            throw new UncheckedIOException("encoding a client frame into an exactly sized array (a payload of the wrong size?)",
                    e instanceof IOException io ? io : new IOException(e));
        }
        return bytes;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
