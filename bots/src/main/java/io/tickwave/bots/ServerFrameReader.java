package io.tickwave.bots;

import java.io.IOException;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.WireFormat;
import io.tickwave.protocol.Error;
import io.tickwave.protocol.Pong;
import io.tickwave.protocol.ServerMessage;
import io.tickwave.protocol.Snapshot;
import io.tickwave.protocol.Welcome;

/**
 * Reads the top level of a {@code ServerMessage} (tickwave.proto) with protobuf's
 * {@link CodedInputStream} and hands the fields a bot needs to a {@link Handler}, without building
 * message objects: a snapshot's game state stays in the caller's array as an offset and a length.
 *
 * <p>Stateless; any thread. The handler is called on the calling thread, during {@link #read}.
 */
final class ServerFrameReader {

    /** Receives the decoded fields. {@code buf} is valid only during the call. */
    interface Handler {
        void welcome(int playerId, int roomId, int tickRate, int snapshotRate, long tick, byte[] buf, int gameInfoOffset, int gameInfoLength);

        void snapshot(long tick, int ackInputSeq, byte[] buf, int stateOffset, int stateLength);

        void pong(long clientTime);

        void error(int code, String message);

        /** chat, player_joined, player_left: counted, not read. */
        void other(int member);
    }

    private ServerFrameReader() {
    }

    /** @throws IOException when the bytes are not a ServerMessage */
    static void read(byte[] buf, int length, Handler handler) throws IOException {
        CodedInputStream in = CodedInputStream.newInstance(buf, 0, length);
        int tag = in.readTag();
        if (tag == 0 || WireFormat.getTagWireType(tag) != WireFormat.WIRETYPE_LENGTH_DELIMITED) {
            throw new IOException("not a ServerMessage: first tag " + tag);
        }
        int member = WireFormat.getTagFieldNumber(tag);
        int size = in.readRawVarint32();
        int limit = in.pushLimit(size);
        switch (member) {
            case ServerMessage.WELCOME_FIELD_NUMBER -> readWelcome(in, buf, handler);
            case ServerMessage.SNAPSHOT_FIELD_NUMBER -> readSnapshot(in, buf, handler);
            case ServerMessage.PONG_FIELD_NUMBER -> readPong(in, handler);
            case ServerMessage.ERROR_FIELD_NUMBER -> readError(in, handler);
            default -> {
                in.skipRawBytes(size);
                handler.other(member);
            }
        }
        in.popLimit(limit);
    }

    private static void readWelcome(CodedInputStream in, byte[] buf, Handler handler) throws IOException {
        int playerId = 0;
        int roomId = 0;
        int tickRate = 0;
        int snapshotRate = 0;
        long tick = 0;
        int infoOffset = 0;
        int infoLength = 0;
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
            switch (WireFormat.getTagFieldNumber(tag)) {
                case Welcome.PLAYER_ID_FIELD_NUMBER -> playerId = in.readUInt32();
                case Welcome.ROOM_ID_FIELD_NUMBER -> roomId = in.readUInt32();
                case Welcome.TICK_RATE_FIELD_NUMBER -> tickRate = in.readUInt32();
                case Welcome.SNAPSHOT_RATE_FIELD_NUMBER -> snapshotRate = in.readUInt32();
                case Welcome.TICK_FIELD_NUMBER -> tick = in.readUInt64();
                case Welcome.GAME_INFO_FIELD_NUMBER -> {
                    infoLength = in.readRawVarint32();
                    infoOffset = in.getTotalBytesRead();
                    in.skipRawBytes(infoLength);
                }
                default -> in.skipField(tag);
            }
        }
        handler.welcome(playerId, roomId, tickRate, snapshotRate, tick, buf, infoOffset, infoLength);
    }

    private static void readSnapshot(CodedInputStream in, byte[] buf, Handler handler) throws IOException {
        long tick = 0;
        int ackInputSeq = 0;
        int stateOffset = 0;
        int stateLength = 0;
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
            switch (WireFormat.getTagFieldNumber(tag)) {
                case Snapshot.TICK_FIELD_NUMBER -> tick = in.readUInt64();
                case Snapshot.ACK_INPUT_SEQ_FIELD_NUMBER -> ackInputSeq = in.readUInt32();
                case Snapshot.STATE_FIELD_NUMBER -> {
                    stateLength = in.readRawVarint32();
                    stateOffset = in.getTotalBytesRead();
                    in.skipRawBytes(stateLength);
                }
                default -> in.skipField(tag);
            }
        }
        handler.snapshot(tick, ackInputSeq, buf, stateOffset, stateLength);
    }

    private static void readPong(CodedInputStream in, Handler handler) throws IOException {
        long clientTime = 0;
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
            if (WireFormat.getTagFieldNumber(tag) == Pong.CLIENT_TIME_FIELD_NUMBER) {
                clientTime = in.readUInt64();
            } else {
                in.skipField(tag);
            }
        }
        handler.pong(clientTime);
    }

    private static void readError(CodedInputStream in, Handler handler) throws IOException {
        int code = 0;
        String message = "";
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
            switch (WireFormat.getTagFieldNumber(tag)) {
                case Error.CODE_FIELD_NUMBER -> code = in.readEnum();
                case Error.MESSAGE_FIELD_NUMBER -> message = in.readString();
                default -> in.skipField(tag);
            }
        }
        handler.error(code, message);
    }
}
