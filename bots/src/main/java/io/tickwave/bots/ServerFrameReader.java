package io.tickwave.bots;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import io.tickwave.protocol.Error;
import io.tickwave.protocol.Pong;
import io.tickwave.protocol.ServerMessage;
import io.tickwave.protocol.Snapshot;
import io.tickwave.protocol.Welcome;

/**
 * Reads the top level of a {@code ServerMessage} (tickwave.proto) straight from the bytes the
 * connection received, by hand (varints and lengths, nothing else), and hands the fields a bot needs
 * to a {@link Handler}. No message objects are built and nothing is copied: a snapshot's game state
 * and a welcome's game info and replication schema stay in the caller's array as an offset and a
 * length, for the pilot (or the bot's replica, when it decodes) to parse only when it wants to. Field numbers come from the generated classes, so tickwave.proto
 * stays the one source; the tests feed it frames that the generated classes wrote.
 *
 * <p>Stateless; any thread. The handler is called on the calling thread, during {@link #read}.
 */
final class ServerFrameReader {

    /** Receives the decoded fields. {@code buf} is valid only during the call. */
    interface Handler {
        /** {@code schemaLength} is 0 when the game does not replicate (no {@code replication_schema}). */
        void welcome(int playerId, int roomId, int tickRate, int snapshotRate, long tick, byte[] buf, int gameInfoOffset, int gameInfoLength,
                     int schemaOffset, int schemaLength);

        /**
         * Called just before {@link #welcome}: the seat's reconnect token ({@code length} 0 when the server
         * gives none) and whether this welcome resumed a dropped seat.
         */
        default void reconnectToken(byte[] buf, int offset, int length, boolean resumed) {
        }

        /** {@code stateHash} is the unsigned 32-bit {@code state_hash}, or {@link #NO_STATE_HASH} when the snapshot has none. */
        void snapshot(long tick, int ackInputSeq, long baselineTick, long stateHash, byte[] buf, int stateOffset, int stateLength);

        void pong(long clientTime);

        void error(int code, String message);

        /** chat, player_joined, player_left: counted, not read. */
        void other(int member);
    }

    /** {@code state_hash} was absent: outside the unsigned 32-bit range a present one has. */
    static final long NO_STATE_HASH = -1;

    private static final int VARINT = 0;
    private static final int FIXED64 = 1;
    private static final int LENGTH_DELIMITED = 2;
    private static final int FIXED32 = 5;

    /**
     * A position in the bytes being read. One per call: small and short-lived, so the JIT keeps it
     * off the heap.
     */
    private static final class Cursor {
        final byte[] buf;
        int at;

        Cursor(byte[] buf, int at) {
            this.buf = buf;
            this.at = at;
        }

        long varint(int end) throws IOException {
            long value = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                if (at >= end) {
                    throw new IOException("varint runs past the end of its message");
                }
                byte b = buf[at++];
                value |= (long) (b & 0x7F) << shift;
                if (b >= 0) {
                    return value;
                }
            }
            throw new IOException("varint longer than 10 bytes");
        }

        /** A little-endian 32-bit value, unsigned. */
        long fixed32(int end) throws IOException {
            if (end - at < 4) {
                throw new IOException("fixed32 runs past the end of its message");
            }
            long v = (buf[at] & 0xFFL) | (buf[at + 1] & 0xFFL) << 8 | (buf[at + 2] & 0xFFL) << 16 | (buf[at + 3] & 0xFFL) << 24;
            at += 4;
            return v;
        }

        /** Reads a length prefix and checks that its bytes are there; returns the length. */
        int length(int end) throws IOException {
            long n = varint(end);
            if (n < 0 || n > end - at) {
                throw new IOException("length " + n + " runs past the end of its message");
            }
            return (int) n;
        }

        void skip(int wireType, int end) throws IOException {
            switch (wireType) {
                case VARINT -> varint(end);
                case FIXED64 -> at += 8;
                case LENGTH_DELIMITED -> {
                    int n = length(end); // before the addition: at += length(end) would add to the old at
                    at += n;
                }
                case FIXED32 -> at += 4;
                default -> throw new IOException("unsupported wire type " + wireType);
            }
            if (at > end) {
                throw new IOException("field runs past the end of its message");
            }
        }
    }

    private ServerFrameReader() {
    }

    /** @throws IOException when {@code buf[offset, offset + length)} is not a ServerMessage */
    static void read(byte[] buf, int offset, int length, Handler handler) throws IOException {
        int end = offset + length;
        Cursor in = new Cursor(buf, offset);
        long tag = in.varint(end);
        if ((tag & 7) != LENGTH_DELIMITED) {
            throw new IOException("not a ServerMessage: first tag " + tag);
        }
        int member = (int) (tag >>> 3);
        int size = in.length(end);
        int memberEnd = in.at + size;
        switch (member) {
            case ServerMessage.SNAPSHOT_FIELD_NUMBER -> readSnapshot(in, memberEnd, handler);
            case ServerMessage.WELCOME_FIELD_NUMBER -> readWelcome(in, memberEnd, handler);
            case ServerMessage.PONG_FIELD_NUMBER -> readPong(in, memberEnd, handler);
            case ServerMessage.ERROR_FIELD_NUMBER -> readError(in, memberEnd, handler);
            default -> handler.other(member);
        }
    }

    private static void readSnapshot(Cursor in, int end, Handler handler) throws IOException {
        long tick = 0;
        int ackInputSeq = 0;
        long baselineTick = 0;
        long stateHash = NO_STATE_HASH;
        int stateOffset = 0;
        int stateLength = 0;
        while (in.at < end) {
            long tag = in.varint(end);
            switch ((int) (tag >>> 3)) {
                case Snapshot.TICK_FIELD_NUMBER -> tick = in.varint(end);
                case Snapshot.ACK_INPUT_SEQ_FIELD_NUMBER -> ackInputSeq = (int) in.varint(end);
                case Snapshot.BASELINE_TICK_FIELD_NUMBER -> baselineTick = in.varint(end);
                case Snapshot.STATE_HASH_FIELD_NUMBER -> {
                    if ((tag & 7) != FIXED32) {
                        throw new IOException("state_hash is not a fixed32 (wire type " + (tag & 7) + ")");
                    }
                    stateHash = in.fixed32(end);
                }
                case Snapshot.STATE_FIELD_NUMBER -> {
                    stateLength = in.length(end);
                    stateOffset = in.at;
                    in.at += stateLength;
                }
                default -> in.skip((int) (tag & 7), end);
            }
        }
        handler.snapshot(tick, ackInputSeq, baselineTick, stateHash, in.buf, stateOffset, stateLength);
    }

    private static void readWelcome(Cursor in, int end, Handler handler) throws IOException {
        int playerId = 0;
        int roomId = 0;
        int tickRate = 0;
        int snapshotRate = 0;
        long tick = 0;
        int infoOffset = 0;
        int infoLength = 0;
        int tokenOffset = 0;
        int tokenLength = 0;
        boolean resumed = false;
        int schemaOffset = 0;
        int schemaLength = 0;
        while (in.at < end) {
            long tag = in.varint(end);
            switch ((int) (tag >>> 3)) {
                case Welcome.PLAYER_ID_FIELD_NUMBER -> playerId = (int) in.varint(end);
                case Welcome.ROOM_ID_FIELD_NUMBER -> roomId = (int) in.varint(end);
                case Welcome.TICK_RATE_FIELD_NUMBER -> tickRate = (int) in.varint(end);
                case Welcome.SNAPSHOT_RATE_FIELD_NUMBER -> snapshotRate = (int) in.varint(end);
                case Welcome.TICK_FIELD_NUMBER -> tick = in.varint(end);
                case Welcome.GAME_INFO_FIELD_NUMBER -> {
                    infoLength = in.length(end);
                    infoOffset = in.at;
                    in.at += infoLength;
                }
                case Welcome.RECONNECT_TOKEN_FIELD_NUMBER -> {
                    tokenLength = in.length(end);
                    tokenOffset = in.at;
                    in.at += tokenLength;
                }
                case Welcome.RESUMED_FIELD_NUMBER -> resumed = in.varint(end) != 0;
                case Welcome.REPLICATION_SCHEMA_FIELD_NUMBER -> {
                    schemaLength = in.length(end);
                    schemaOffset = in.at;
                    in.at += schemaLength;
                }
                default -> in.skip((int) (tag & 7), end);
            }
        }
        handler.reconnectToken(in.buf, tokenOffset, tokenLength, resumed);
        handler.welcome(playerId, roomId, tickRate, snapshotRate, tick, in.buf, infoOffset, infoLength, schemaOffset, schemaLength);
    }

    private static void readPong(Cursor in, int end, Handler handler) throws IOException {
        long clientTime = 0;
        while (in.at < end) {
            long tag = in.varint(end);
            if ((tag >>> 3) == Pong.CLIENT_TIME_FIELD_NUMBER) {
                clientTime = in.varint(end);
            } else {
                in.skip((int) (tag & 7), end);
            }
        }
        handler.pong(clientTime);
    }

    private static void readError(Cursor in, int end, Handler handler) throws IOException {
        int code = 0;
        String message = "";
        while (in.at < end) {
            long tag = in.varint(end);
            switch ((int) (tag >>> 3)) {
                case Error.CODE_FIELD_NUMBER -> code = (int) in.varint(end);
                case Error.MESSAGE_FIELD_NUMBER -> {
                    int n = in.length(end);
                    message = new String(in.buf, in.at, n, StandardCharsets.UTF_8);
                    in.at += n;
                }
                default -> in.skip((int) (tag & 7), end);
            }
        }
        handler.error(code, message);
    }
}
