package io.tickwave.bots;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.WireFormat;
import org.junit.jupiter.api.Test;

import io.tickwave.arena.protocol.ArenaInput;
import io.tickwave.client.ServerMessageReader;
import io.tickwave.protocol.ClientMessage;
import io.tickwave.protocol.ErrorCode;
import io.tickwave.protocol.Pong;
import io.tickwave.protocol.ServerMessage;
import io.tickwave.protocol.Snapshot;
import io.tickwave.protocol.Welcome;

/** The hand-rolled encoder and reader against protoc's generated classes. */
class WireFormatTest {

    @Test
    void shouldEncodeInputThatGeneratedClassesDecode() throws IOException {
        ClientMessage m = ClientMessage.parseFrom(ClientFrames.arenaInput(70_000, -1, 1, 1.5f, true, 9_000_000_000L));
        assertEquals(ClientMessage.KindCase.INPUT, m.getKindCase());
        assertEquals(70_000, m.getInput().getSeq());
        ArenaInput in = ArenaInput.parseFrom(m.getInput().getPayload());
        assertEquals(-1, in.getMoveX());
        assertEquals(1, in.getMoveY());
        assertEquals(1.5f, in.getAim());
        assertTrue(in.getFire());
        assertEquals(9_000_000_000L, m.getInput().getNewestSnapshotTick(), "v2: the newest snapshot tick rides on the input");
    }

    @Test
    void shouldEncodeIdleInputAsEmptyPayload() throws IOException {
        ClientMessage m = ClientMessage.parseFrom(ClientFrames.arenaInput(1, 0, 0, 0f, false, 0));
        assertEquals(1, m.getInput().getSeq());
        assertEquals(0, m.getInput().getPayload().size());
        assertEquals(0, m.getInput().getNewestSnapshotTick());
        assertEquals(6, ClientFrames.arenaInput(1, 0, 0, 0f, false, 0).remaining(), "no tick: exactly v1's bytes");
    }

    @Test
    void shouldJoinWithTheVersionAskedFor() throws IOException {
        assertEquals(1, ClientMessage.parseFrom(ClientFrames.join("old", 1)).getJoin().getProtocolVersion());
        assertEquals(2, ClientMessage.parseFrom(ClientFrames.join("new", 2)).getJoin().getProtocolVersion());
    }

    @Test
    void shouldEncodeV1SnapshotAckAsClientMessageField5WithTick() throws IOException {
        // The generated class is gone with v2, so the bytes are checked field by field.
        CodedInputStream in = CodedInputStream.newInstance(ClientFrames.snapshotAckV1(123_456_789_012L));
        int tag = in.readTag();
        assertEquals(5, WireFormat.getTagFieldNumber(tag), "ClientMessage.snapshot_ack is field 5");
        assertEquals(WireFormat.WIRETYPE_LENGTH_DELIMITED, WireFormat.getTagWireType(tag));
        int limit = in.pushLimit(in.readRawVarint32());
        int inner = in.readTag();
        assertEquals(1, WireFormat.getTagFieldNumber(inner), "SnapshotAck.tick is field 1");
        assertEquals(WireFormat.WIRETYPE_VARINT, WireFormat.getTagWireType(inner));
        assertEquals(123_456_789_012L, in.readUInt64());
        assertTrue(in.isAtEnd());
        in.popLimit(limit);
        assertTrue(in.isAtEnd(), "nothing after the ack");
        // A v2 server's parser sees an unknown field, not a message it knows.
        assertEquals(ClientMessage.KindCase.KIND_NOT_SET, ClientMessage.parseFrom(ClientFrames.snapshotAckV1(7)).getKindCase());
    }

    @Test
    void shouldEncodeJoinPingAckAndChat() throws IOException {
        ClientMessage join = ClientMessage.parseFrom(ClientFrames.join("bot-7", 2));
        assertEquals("bot-7", join.getJoin().getName());
        assertEquals(2, join.getJoin().getProtocolVersion());
        assertEquals(-5L, ClientMessage.parseFrom(ClientFrames.ping(-5L)).getPing().getClientTime());
        assertEquals("héllo", ClientMessage.parseFrom(ClientFrames.chat("héllo")).getChat().getText());
    }

    @Test
    void shouldReadSnapshotWelcomePongAndErrorWrittenByGeneratedClasses() throws IOException {
        List<String> seen = new ArrayList<>();
        byte[] state = {9, 8, 7};
        ServerMessageReader.Handler handler = new ServerMessageReader.Handler() {
            @Override
            public void welcome(int playerId, int roomId, int tickRate, int snapshotRate, long tick, byte[] buf, int off, int len,
                                int schemaOffset, int schemaLength) {
                seen.add("welcome " + playerId + " " + roomId + " " + tickRate + " " + snapshotRate + " " + tick + " " + len
                        + " schema " + schemaLength);
            }

            @Override
            public void snapshot(long tick, int ackInputSeq, long baselineTick, long stateHash, byte[] buf, int off, int len) {
                byte[] copy = new byte[len];
                System.arraycopy(buf, off, copy, 0, len);
                assertArrayEquals(state, copy);
                seen.add("snapshot " + tick + " " + ackInputSeq + " " + baselineTick + " " + stateHash);
            }

            @Override
            public void pong(long clientTime) {
                seen.add("pong " + clientTime);
            }

            @Override
            public void error(int code, String message) {
                seen.add("error " + code + " " + message);
            }

            @Override
            public void chat(int playerId, String name, String text) {
                seen.add("chat " + text);
            }
        };
        read(ServerMessage.newBuilder().setWelcome(Welcome.newBuilder().setPlayerId(3).setRoomId(4).setTickRate(30)
                .setSnapshotRate(15).setTick(99).addPlayers(io.tickwave.protocol.PlayerInfo.newBuilder().setPlayerId(3).setName("me"))
                .setGameInfo(ByteString.copyFrom(new byte[5])).setRoomCapacity(8)).build(), handler);
        read(ServerMessage.newBuilder().setSnapshot(Snapshot.newBuilder().setTick(1234567890123L).setAckInputSeq(42)
                .setState(ByteString.copyFrom(state))).build(), handler);
        // A delta with a state hash whose top bit is set: read as unsigned 32 bits.
        read(ServerMessage.newBuilder().setSnapshot(Snapshot.newBuilder().setTick(1234567890124L).setAckInputSeq(43)
                .setBaselineTick(1234567890123L).setStateHash(0xF0000001).setState(ByteString.copyFrom(state))).build(), handler);
        read(ServerMessage.newBuilder().setPong(Pong.newBuilder().setClientTime(-77)).build(), handler);
        read(ServerMessage.newBuilder().setError(io.tickwave.protocol.Error.newBuilder()
                .setCode(ErrorCode.STALE_INPUT).setMessage("old")).build(), handler);
        read(ServerMessage.newBuilder().setChat(io.tickwave.protocol.ChatLine.newBuilder().setText("hi")).build(), handler);
        assertEquals(List.of("welcome 3 4 30 15 99 5 schema 0", "snapshot 1234567890123 42 0 " + ServerMessageReader.NO_STATE_HASH,
                "snapshot 1234567890124 43 1234567890123 " + 0xF0000001L, "pong -77",
                "error " + ErrorCode.STALE_INPUT_VALUE + " old", "chat hi"), seen);
    }

    @Test
    void shouldRejectASnapshotWhoseStateRunsPastTheFrame() {
        byte[] bytes = ServerMessage.newBuilder().setSnapshot(Snapshot.newBuilder().setTick(5)
                .setState(ByteString.copyFrom(new byte[40]))).build().toByteArray();
        assertThrows(IOException.class, () -> ServerMessageReader.read(bytes, 0, bytes.length - 1, null));
    }

    @Test
    void shouldRejectBytesThatAreNotAServerMessage() {
        byte[] garbage = {(byte) 0x08, 0x01}; // a varint field where a message member must be
        assertThrows(IOException.class, () -> ServerMessageReader.read(garbage, 0, garbage.length, null));
    }

    private static void read(ServerMessage message, ServerMessageReader.Handler handler) throws IOException {
        byte[] bytes = message.toByteArray();
        // The reader must respect offset and length, not the array's bounds.
        byte[] padded = new byte[bytes.length + 17];
        java.util.Arrays.fill(padded, (byte) 0xFF);
        System.arraycopy(bytes, 0, padded, 7, bytes.length);
        ServerMessageReader.read(padded, 7, bytes.length, handler);
    }

}
