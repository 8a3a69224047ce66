package io.tickwave.client;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import io.tickwave.protocol.ChatLine;
import io.tickwave.protocol.Error;
import io.tickwave.protocol.GameEvent;
import io.tickwave.protocol.PlayerJoined;
import io.tickwave.protocol.Pong;
import io.tickwave.protocol.ServerMessage;
import io.tickwave.protocol.Snapshot;
import io.tickwave.protocol.Welcome;

/**
 * Reads a {@code ServerMessage} (tickwave.proto) straight from the bytes a connection received, by
 * hand (varints and lengths, nothing else), and hands its fields to a {@link Handler}. No message
 * objects are built and nothing is copied: a snapshot's state, an event's payload and a welcome's game
 * info and replication schema stay in the caller's array as an offset and a length, to be parsed only
 * when wanted. Only an error message, a chat line and the join and leave notices build strings. Field
 * numbers come from the generated classes, so tickwave.proto stays the one source; the tests feed it
 * frames that the generated classes wrote.
 *
 * <p>This is the hot path of {@link ClientSession} and of the bots, which drive thousands of
 * connections a process and read every snapshot with it.
 *
 * <p>Stateless; any thread. The handler is called on the calling thread, during {@link #read}.
 */
public final class ServerMessageReader {

    /**
     * Receives the decoded fields. {@code buf} is valid only during the call. Every method does nothing
     * unless overridden.
     */
    public interface Handler {
        /** {@code schemaLength} is 0 when the game does not replicate (no {@code replication_schema}). */
        default void welcome(int playerId, int roomId, int tickRate, int snapshotRate, long tick, byte[] buf, int gameInfoOffset,
                             int gameInfoLength, int schemaOffset, int schemaLength) {
        }

        /**
         * Called just before {@link #welcome}: the seat's reconnect token ({@code length} 0 when the server
         * gives none) and whether this welcome resumed a dropped seat.
         */
        default void reconnectToken(byte[] buf, int offset, int length, boolean resumed) {
        }

        /** {@code stateHash} is the unsigned 32-bit {@code state_hash}, or {@link #NO_STATE_HASH} when the snapshot has none. */
        default void snapshot(long tick, int ackInputSeq, long baselineTick, long stateHash, byte[] buf, int stateOffset,
                              int stateLength) {
        }

        default void pong(long clientTime) {
        }

        /** {@code code} is the {@code ErrorCode} number (also one newer than this build's enum). */
        default void error(int code, String message) {
        }

        /** A {@code GameEvent}: the game's own message in {@code buf[payloadOffset, +payloadLength)}. */
        default void event(long tick, byte[] buf, int payloadOffset, int payloadLength) {
        }

        /** A chat line; {@code playerId} 0 is a server notice. */
        default void chat(int playerId, String name, String text) {
        }

        default void playerJoined(int playerId, String name) {
        }

        default void playerLeft(int playerId, String name) {
        }

        /** A member this reader does not know (a newer server's). */
        default void unknown(int member) {
        }
    }

    /** {@code state_hash} was absent: outside the unsigned 32-bit range a present one has. */
    public static final long NO_STATE_HASH = -1;

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

        /** A length-delimited UTF-8 string. */
        String string(int end) throws IOException {
            int n = length(end);
            String value = new String(buf, at, n, StandardCharsets.UTF_8);
            at += n;
            return value;
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

    private ServerMessageReader() {
    }

    /** @throws IOException when {@code buf[offset, offset + length)} is not a ServerMessage */
    public static void read(byte[] buf, int offset, int length, Handler handler) throws IOException {
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
            case ServerMessage.EVENT_FIELD_NUMBER -> readEvent(in, memberEnd, handler);
            case ServerMessage.CHAT_FIELD_NUMBER -> readChat(in, memberEnd, handler);
            case ServerMessage.PLAYER_JOINED_FIELD_NUMBER -> readPlayer(in, memberEnd, handler, true);
            case ServerMessage.PLAYER_LEFT_FIELD_NUMBER -> readPlayer(in, memberEnd, handler, false);
            default -> handler.unknown(member);
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
                case Error.MESSAGE_FIELD_NUMBER -> message = in.string(end);
                default -> in.skip((int) (tag & 7), end);
            }
        }
        handler.error(code, message);
    }

    private static void readEvent(Cursor in, int end, Handler handler) throws IOException {
        long tick = 0;
        int payloadOffset = 0;
        int payloadLength = 0;
        while (in.at < end) {
            long tag = in.varint(end);
            switch ((int) (tag >>> 3)) {
                case GameEvent.TICK_FIELD_NUMBER -> tick = in.varint(end);
                case GameEvent.PAYLOAD_FIELD_NUMBER -> {
                    payloadLength = in.length(end);
                    payloadOffset = in.at;
                    in.at += payloadLength;
                }
                default -> in.skip((int) (tag & 7), end);
            }
        }
        handler.event(tick, in.buf, payloadOffset, payloadLength);
    }

    private static void readChat(Cursor in, int end, Handler handler) throws IOException {
        int playerId = 0;
        String name = "";
        String text = "";
        while (in.at < end) {
            long tag = in.varint(end);
            switch ((int) (tag >>> 3)) {
                case ChatLine.PLAYER_ID_FIELD_NUMBER -> playerId = (int) in.varint(end);
                case ChatLine.NAME_FIELD_NUMBER -> name = in.string(end);
                case ChatLine.TEXT_FIELD_NUMBER -> text = in.string(end);
                default -> in.skip((int) (tag & 7), end);
            }
        }
        handler.chat(playerId, name, text);
    }

    /** player_joined and player_left have the same fields (the tests read both from generated frames). */
    private static void readPlayer(Cursor in, int end, Handler handler, boolean joined) throws IOException {
        int playerId = 0;
        String name = "";
        while (in.at < end) {
            long tag = in.varint(end);
            switch ((int) (tag >>> 3)) {
                case PlayerJoined.PLAYER_ID_FIELD_NUMBER -> playerId = (int) in.varint(end);
                case PlayerJoined.NAME_FIELD_NUMBER -> name = in.string(end);
                default -> in.skip((int) (tag & 7), end);
            }
        }
        if (joined) {
            handler.playerJoined(playerId, name);
        } else {
            handler.playerLeft(playerId, name);
        }
    }
}
