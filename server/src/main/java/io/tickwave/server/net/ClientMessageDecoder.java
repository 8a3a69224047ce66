package io.tickwave.server.net;

import io.tickwave.protocol.ChatSend;
import io.tickwave.protocol.ClientMessage;
import io.tickwave.protocol.Input;
import io.tickwave.protocol.Join;
import io.tickwave.protocol.Ping;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Decodes a {@code ClientMessage} straight from a frame's bytes into a reusable {@link DecodedMessage},
 * so that an input allocates nothing (join names, join options and chat lines still become strings; they
 * are rare, and a frame's size bounds them).
 *
 * <p>It accepts and refuses exactly what the generated {@code ClientMessage.parseFrom} does (a jqwik
 * property test holds it to that): unknown fields are skipped by wire type, a known field with the
 * wrong wire type counts as unknown, the last oneof member wins and a member that appears again merges
 * into what it held before, strings must be valid UTF-8, every length is checked against what is left,
 * and varints follow protobuf's readers to the bit (see {@link Cursor#readVarint64}).
 *
 * <p>Stateless; any thread.
 */
public final class ClientMessageDecoder {

    /** Protobuf's own limit on nesting; only groups in unknown fields can nest here. */
    private static final int MAX_GROUP_DEPTH = 100;

    private static final int VARINT = 0;
    private static final int FIXED64 = 1;
    private static final int LENGTH_DELIMITED = 2;
    private static final int START_GROUP = 3;
    private static final int END_GROUP = 4;
    private static final int FIXED32 = 5;

    private ClientMessageDecoder() {
    }

    /** Thrown for bytes that are not a valid message; preallocated, without a stack trace. */
    private static final class Malformed extends Exception {
        private static final long serialVersionUID = 1L;
        static final Malformed INSTANCE = new Malformed();

        private Malformed() {
            super("malformed ClientMessage", null, false, false);
        }
    }

    /**
     * Decodes {@code frame} from its position to its limit (neither is moved) into {@code into}.
     *
     * @return false when the bytes are not a valid {@code ClientMessage}; {@code into} is then undefined
     */
    public static boolean decode(ByteBuffer frame, DecodedMessage into) {
        into.reset();
        try {
            Cursor cursor = into.cursor;
            cursor.buffer = frame;
            cursor.position = frame.position();
            cursor.limit = frame.limit();
            decodeEnvelope(cursor, into);
            return true;
        } catch (Malformed e) {
            return false;
        } finally {
            into.cursor.buffer = null;
        }
    }

    private static void decodeEnvelope(Cursor in, DecodedMessage out) throws Malformed {
        while (in.position < in.limit) {
            int tag = in.readTag();
            int field = tag >>> 3;
            int wireType = tag & 7;
            if (wireType == LENGTH_DELIMITED && field >= ClientMessage.JOIN_FIELD_NUMBER
                    && field <= ClientMessage.PING_FIELD_NUMBER) {
                int length = in.readLength();
                int end = in.position + length;
                int kind = kindOf(field);
                out.kind = kind;
                int savedLimit = in.limit;
                in.limit = end;
                switch (kind) {
                    case DecodedMessage.JOIN -> decodeJoin(in, out);
                    case DecodedMessage.INPUT -> decodeInput(in, out);
                    case DecodedMessage.CHAT -> decodeChat(in, out);
                    default -> decodePing(in, out);
                }
                in.limit = savedLimit;
            } else {
                skipField(in, tag, 0);
            }
        }
    }

    private static int kindOf(int field) {
        return switch (field) {
            case ClientMessage.JOIN_FIELD_NUMBER -> DecodedMessage.JOIN;
            case ClientMessage.INPUT_FIELD_NUMBER -> DecodedMessage.INPUT;
            case ClientMessage.CHAT_FIELD_NUMBER -> DecodedMessage.CHAT;
            default -> DecodedMessage.PING;
        };
    }

    private static void decodeJoin(Cursor in, DecodedMessage out) throws Malformed {
        while (in.position < in.limit) {
            int tag = in.readTag();
            if (tag == (Join.NAME_FIELD_NUMBER << 3 | LENGTH_DELIMITED)) {
                out.joinName = in.readUtf8();
            } else if (tag == (Join.PROTOCOL_VERSION_FIELD_NUMBER << 3 | VARINT)) {
                out.protocolVersion = in.readVarint32();
            } else if (tag == (Join.RECONNECT_TOKEN_FIELD_NUMBER << 3 | LENGTH_DELIMITED)) {
                out.joinReconnectToken = in.readBytes();
            } else if (tag == (Join.SEAT_TOKEN_FIELD_NUMBER << 3 | LENGTH_DELIMITED)) {
                out.joinSeatToken = in.readUtf8();
            } else if (tag == (Join.OPTIONS_FIELD_NUMBER << 3 | LENGTH_DELIMITED)) {
                decodeJoinOption(in, out);
            } else if (tag == (Join.ROOM_ID_FIELD_NUMBER << 3 | VARINT)) {
                out.joinRoomId = in.readVarint32();
            } else if (tag == (Join.CREATE_ROOM_FIELD_NUMBER << 3 | VARINT)) {
                out.joinCreateRoom = in.readVarint64() != 0; // protobuf reads a bool as a 64-bit varint
            } else {
                skipField(in, tag, 0);
            }
        }
    }

    /**
     * One {@code map<string, string>} entry: a message of key (1) and value (2), either missing meaning
     * empty; unknown fields and wrong wire types are skipped as protobuf's map entry parser does, and
     * both strings must be valid UTF-8.
     */
    private static void decodeJoinOption(Cursor in, DecodedMessage out) throws Malformed {
        int length = in.readLength();
        int savedLimit = in.limit;
        in.limit = in.position + length;
        String key = "";
        String value = "";
        while (in.position < in.limit) {
            int tag = in.readTag();
            if (tag == (1 << 3 | LENGTH_DELIMITED)) {
                key = in.readUtf8();
            } else if (tag == (2 << 3 | LENGTH_DELIMITED)) {
                value = in.readUtf8();
            } else {
                skipField(in, tag, 0, true);
            }
        }
        in.limit = savedLimit;
        out.putJoinOption(key, value);
    }

    private static void decodeInput(Cursor in, DecodedMessage out) throws Malformed {
        while (in.position < in.limit) {
            int tag = in.readTag();
            if (tag == (Input.SEQ_FIELD_NUMBER << 3 | VARINT)) {
                out.inputSeq = in.readVarint32() & 0xFFFF_FFFFL;
            } else if (tag == (Input.PAYLOAD_FIELD_NUMBER << 3 | LENGTH_DELIMITED)) {
                int length = in.readLength();
                out.payloadOffset = in.position;
                out.payloadLength = length;
                in.position += length;
            } else if (tag == (Input.NEWEST_SNAPSHOT_TICK_FIELD_NUMBER << 3 | VARINT)) {
                out.newestSnapshotTick = in.readVarint64();
            } else {
                skipField(in, tag, 0);
            }
        }
    }

    private static void decodeChat(Cursor in, DecodedMessage out) throws Malformed {
        while (in.position < in.limit) {
            int tag = in.readTag();
            if (tag == (ChatSend.TEXT_FIELD_NUMBER << 3 | LENGTH_DELIMITED)) {
                out.chatText = in.readUtf8();
            } else {
                skipField(in, tag, 0);
            }
        }
    }

    private static void decodePing(Cursor in, DecodedMessage out) throws Malformed {
        while (in.position < in.limit) {
            int tag = in.readTag();
            if (tag == (Ping.CLIENT_TIME_FIELD_NUMBER << 3 | VARINT)) {
                out.pingClientTime = in.readVarint64();
            } else {
                skipField(in, tag, 0);
            }
        }
    }

    /** Skips one unknown field whose tag was just read; an end-group tag here is an error (as in protobuf). */
    private static void skipField(Cursor in, int tag, int depth) throws Malformed {
        skipField(in, tag, depth, false);
    }

    /**
     * Skips one field. {@code skipped} tells the two ways protobuf passes over a field it does not read:
     * a message's unknown fields are kept, their varints read as int64 (a tenth byte with its high bit set
     * is accepted when its low bit is), while a map entry's unknown fields are skipped, which refuses any
     * varint whose tenth byte has its high bit set.
     */
    private static void skipField(Cursor in, int tag, int depth, boolean skipped) throws Malformed {
        switch (tag & 7) {
            case VARINT -> {
                if (skipped) {
                    in.skipVarint();
                } else {
                    in.readVarint64();
                }
            }
            case FIXED64 -> in.skip(8);
            case LENGTH_DELIMITED -> in.skip(in.readLength());
            case FIXED32 -> in.skip(4);
            case START_GROUP -> skipGroup(in, tag >>> 3, depth + 1, skipped);
            default -> throw Malformed.INSTANCE; // END_GROUP without a start, or wire types 6 and 7
        }
    }

    private static void skipGroup(Cursor in, int field, int depth, boolean skipped) throws Malformed {
        if (depth > MAX_GROUP_DEPTH) {
            throw Malformed.INSTANCE;
        }
        while (true) {
            if (in.position >= in.limit) {
                throw Malformed.INSTANCE;
            }
            int tag = in.readTag();
            if ((tag & 7) == END_GROUP) {
                if (tag >>> 3 != field) {
                    throw Malformed.INSTANCE;
                }
                return;
            }
            skipField(in, tag, depth, skipped);
        }
    }

    /** The read position over the frame, within the current (sub)message's limit. One per connection. */
    static final class Cursor {
        ByteBuffer buffer;
        int position;
        int limit;

        int readTag() throws Malformed {
            int tag = readVarint32();
            if (tag >>> 3 == 0) {
                throw Malformed.INSTANCE;
            }
            return tag;
        }

        /**
         * A varint read as protobuf reads tags, lengths and 32-bit fields: at most ten bytes, the low
         * 32 bits kept; malformed only when all ten bytes say "more follows".
         */
        int readVarint32() throws Malformed {
            long value = 0;
            for (int shift = 0; shift < 70; shift += 7) {
                byte b = nextByte();
                value |= (long) (b & 0x7F) << shift;
                if (b >= 0) {
                    return (int) value;
                }
            }
            throw Malformed.INSTANCE;
        }

        /**
         * A varint read as protobuf reads 64-bit fields. Its fast path takes only the lowest bit of a
         * tenth byte, so a tenth byte is refused only when it says "more follows" and that bit is 0;
         * the property test pins this against the generated parser.
         */
        long readVarint64() throws Malformed {
            long value = 0;
            for (int shift = 0; shift < 63; shift += 7) {
                byte b = nextByte();
                value |= (long) (b & 0x7F) << shift;
                if (b >= 0) {
                    return value;
                }
            }
            byte tenth = nextByte();
            if (tenth < 0 && (tenth & 1) == 0) {
                throw Malformed.INSTANCE;
            }
            return value | (long) (tenth & 1) << 63;
        }

        /** Passes over a varint as protobuf's {@code skipRawVarint} does: at most ten bytes, the tenth below 0x80. */
        void skipVarint() throws Malformed {
            for (int i = 0; i < 10; i++) {
                if (nextByte() >= 0) {
                    return;
                }
            }
            throw Malformed.INSTANCE;
        }

        private byte nextByte() throws Malformed {
            if (position >= limit) {
                throw Malformed.INSTANCE;
            }
            return buffer.get(position++);
        }

        /** A length prefix: its low 32 bits as protobuf reads them, not negative, not past the limit. */
        int readLength() throws Malformed {
            int length = readVarint32();
            if (length < 0 || length > limit - position) {
                throw Malformed.INSTANCE;
            }
            return length;
        }

        void skip(int bytes) throws Malformed {
            if (bytes > limit - position) {
                throw Malformed.INSTANCE;
            }
            position += bytes;
        }

        /** A length-delimited bytes field, copied. Allocates. */
        byte[] readBytes() throws Malformed {
            int length = readLength();
            byte[] bytes = new byte[length];
            buffer.get(position, bytes, 0, length);
            position += length;
            return bytes;
        }

        /** A length-delimited string that must be valid UTF-8 (proto3). Allocates. */
        String readUtf8() throws Malformed {
            int length = readLength();
            byte[] bytes = new byte[length];
            buffer.get(position, bytes, 0, length);
            position += length;
            try {
                return StandardCharsets.UTF_8.newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT)
                        .decode(ByteBuffer.wrap(bytes)).toString();
            } catch (CharacterCodingException e) {
                throw Malformed.INSTANCE;
            }
        }
    }
}
