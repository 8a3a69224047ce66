package io.tickwave.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import org.junit.jupiter.api.Test;

import io.tickwave.protocol.ChatLine;
import io.tickwave.protocol.ClientMessage;
import io.tickwave.protocol.Error;
import io.tickwave.protocol.ErrorCode;
import io.tickwave.protocol.GameEvent;
import io.tickwave.protocol.Join;
import io.tickwave.protocol.PlayerJoined;
import io.tickwave.protocol.PlayerLeft;
import io.tickwave.protocol.Pong;
import io.tickwave.protocol.ServerMessage;
import io.tickwave.protocol.Snapshot;
import io.tickwave.protocol.Welcome;

/** The transport-free protocol core, fed frames the generated classes wrote; what it sends decoded the same way. */
class ClientSessionTest {

    private final List<ClientMessage> sent = new ArrayList<>();
    private final List<String> heard = new ArrayList<>();
    private long now = 1_000;
    private final ClientSession session = new ClientSession(frame -> sent.add(decode(frame)), new TickwaveListener() {
        @Override
        public void onWelcome(Welcome welcome) {
            heard.add("welcome " + welcome.getPlayerId() + " " + welcome.getResumed());
        }

        @Override
        public void onJoinRefused(int errorCode, String message) {
            heard.add("refused " + TickwaveException.errorName(errorCode) + " " + message);
        }

        @Override
        public void onState(StateUpdate update) {
            heard.add("state " + update.tick() + " ack " + update.ackInputSeq() + " " + update.state().length + " bytes");
        }

        @Override
        public void onEvent(long tick, byte[] payload) {
            heard.add("event " + tick + " " + payload.length + " bytes");
        }

        @Override
        public void onChat(int playerId, String name, String text) {
            heard.add("chat " + playerId + " " + name + ": " + text);
        }

        @Override
        public void onPlayerJoined(int playerId, String name) {
            heard.add("joined " + playerId + " " + name);
        }

        @Override
        public void onPlayerLeft(int playerId, String name) {
            heard.add("left " + playerId + " " + name);
        }

        @Override
        public void onRtt(long rttNanos) {
            heard.add("rtt " + rttNanos);
        }

        @Override
        public void onError(int errorCode, String message) {
            heard.add("error " + TickwaveException.errorName(errorCode));
        }

        @Override
        public void onDecodeError(String problem) {
            heard.add("decode error");
        }
    }, () -> now);

    private static ClientMessage decode(byte[] frame) {
        try {
            return ClientMessage.parseFrom(frame);
        } catch (InvalidProtocolBufferException e) {
            throw new AssertionError(e);
        }
    }

    private void receive(ServerMessage message) {
        byte[] bytes = message.toByteArray();
        byte[] padded = new byte[bytes.length + 10]; // the session must keep to offset and length
        System.arraycopy(bytes, 0, padded, 5, bytes.length);
        session.receive(padded, 5, bytes.length);
    }

    private static ServerMessage welcome(int playerId, String token, boolean resumed) {
        return ServerMessage.newBuilder().setWelcome(Welcome.newBuilder().setPlayerId(playerId).setRoomId(1).setProtocolVersion(2)
                .setReconnectToken(ByteString.copyFromUtf8(token)).setResumed(resumed)).build();
    }

    private static ServerMessage snapshot(long tick, int ack) {
        return ServerMessage.newBuilder().setSnapshot(Snapshot.newBuilder().setTick(tick).setAckInputSeq(ack)
                .setState(ByteString.copyFrom(new byte[] {1, 2, 3}))).build();
    }

    private static ServerMessage error(ErrorCode code) {
        return ServerMessage.newBuilder().setError(Error.newBuilder().setCode(code).setMessage("no")).build();
    }

    @Test
    void shouldJoinWithOptionsRoomAndSeatTokenAndTheProtocolVersion() {
        session.join(JoinRequest.named("ann").withOption("team", "red").withOption("skin", "").inRoom(77).withSeatToken("seat"));
        Join join = sent.get(0).getJoin();
        assertEquals("ann", join.getName());
        assertEquals(ClientMessages.PROTOCOL_VERSION, join.getProtocolVersion());
        assertEquals("seat", join.getSeatToken());
        assertTrue(join.getReconnectToken().isEmpty());
        assertEquals(Map.of("team", "red", "skin", ""), join.getOptionsMap());
        assertEquals(77, join.getRoomId());
        assertFalse(join.getCreateRoom());
        assertTrue(join.getUnknownFields().asMap().isEmpty(), "every field written is one the protocol names");

        ClientMessage privateRoom = decode(ClientMessages.join("bo", 2, null, null, JoinRequest.named("bo").options(), 0, true));
        assertTrue(privateRoom.getJoin().getCreateRoom());
    }

    @Test
    void shouldRefuseJoinOptionsTheServerWouldRefuse() {
        JoinRequest ann = JoinRequest.named("ann");
        assertThrows(IllegalArgumentException.class, () -> ann.withOption("", "x"));
        assertThrows(IllegalArgumentException.class, () -> ann.withOption("k".repeat(33), "x"));
        assertThrows(IllegalArgumentException.class, () -> ann.withOption("k", "v".repeat(257)));
        assertFalse(ann.inNewPrivateRoom().inRoom(3).createRoom(), "a room id replaces a private room: never both");
        assertEquals(0, ann.inRoom(3).inNewPrivateRoom().roomId());
        JoinRequest full = ann;
        for (int i = 0; i < JoinRequest.MAX_OPTIONS; i++) {
            full = full.withOption("k" + i, "v");
        }
        JoinRequest sixteen = full;
        assertThrows(IllegalArgumentException.class, () -> sixteen.withOption("one-more", "v"));
    }

    @Test
    void shouldNumberInputsFromOneAndReportTheNewestSnapshotTick() {
        assertThrows(IllegalStateException.class, () -> session.sendInput(new byte[] {1}), "not joined yet");
        session.join(JoinRequest.named("ann"));
        receive(welcome(3, "token-1", false));
        assertEquals(List.of("welcome 3 false"), heard);

        session.sendInput(new byte[] {9});
        receive(snapshot(40, 1));
        receive(snapshot(41, 1));
        session.sendInput(new byte[0]);
        assertEquals(1, sent.get(1).getInput().getSeq());
        assertEquals(0, sent.get(1).getInput().getNewestSnapshotTick(), "no snapshot yet");
        assertEquals(ByteString.copyFrom(new byte[] {9}), sent.get(1).getInput().getPayload());
        assertEquals(2, sent.get(2).getInput().getSeq());
        assertEquals(41, sent.get(2).getInput().getNewestSnapshotTick());
        assertEquals(2, session.lastInputSeq());
        assertEquals(1, session.ackedInputSeq());
        assertTrue(heard.contains("state 41 ack 1 3 bytes"), "a game that does not replicate gets its own state bytes: " + heard);
    }

    @Test
    void shouldResumeWithTheNewestTokenAndGoOnNumberingInputs() {
        session.join(JoinRequest.named("ann"));
        receive(welcome(3, "token-1", false));
        session.sendInput(new byte[0]);
        session.connectionEnded();
        assertFalse(session.joined());
        assertTrue(session.holdsSeat());

        session.rejoin();
        Join resume = sent.get(2).getJoin();
        assertEquals(ByteString.copyFromUtf8("token-1"), resume.getReconnectToken());
        receive(welcome(3, "token-2", true));
        session.sendInput(new byte[0]);
        assertEquals(2, sent.get(3).getInput().getSeq(), "above the inputs sent before the drop");

        session.connectionEnded();
        session.rejoin();
        assertEquals(ByteString.copyFromUtf8("token-2"), sent.get(4).getJoin().getReconnectToken(), "the newest welcome's token");
    }

    @Test
    void shouldJoinANewSeatWhenTheReconnectTokenIsRefused() {
        session.join(JoinRequest.named("ann").withSeatToken("seat"));
        receive(welcome(3, "token-1", false));
        session.connectionEnded();
        session.rejoin();
        receive(error(ErrorCode.RECONNECT_REFUSED));
        Join fresh = sent.get(2).getJoin();
        assertTrue(fresh.getReconnectToken().isEmpty(), "a new seat, without the spent token");
        assertEquals("ann", fresh.getName());
        assertEquals(List.of("welcome 3 false", "error RECONNECT_REFUSED"), heard);
        assertTrue(session.joinPending());
    }

    @Test
    void shouldReportARefusedJoinApartFromOtherErrors() {
        session.join(JoinRequest.named(" "));
        receive(error(ErrorCode.BAD_NAME));
        assertFalse(session.joinPending());
        session.join(JoinRequest.named("ann"));
        receive(welcome(5, "t", false));
        receive(error(ErrorCode.STALE_INPUT));
        assertEquals(List.of("refused BAD_NAME no", "welcome 5 false", "error STALE_INPUT"), heard);
        assertThrows(IllegalStateException.class, () -> session.join(JoinRequest.named("ann")), "joined on this connection");
    }

    @Test
    void shouldTimeTheRoundTripOfEachPing() {
        session.ping();
        long stamped = sent.get(0).getPing().getClientTime();
        assertEquals(1_000, stamped);
        now = 1_000 + 4_000_000;
        receive(ServerMessage.newBuilder().setPong(Pong.newBuilder().setClientTime(stamped)).build());
        assertEquals(4_000_000, session.rttNanos());
        assertEquals(4_000_000, session.smoothedRttNanos(), "the first sample is the smoothed one");
        assertEquals(List.of("rtt 4000000"), heard);
    }

    @Test
    void shouldDispatchEventsChatAndTheRoomsJoinsAndLeaves() {
        receive(ServerMessage.newBuilder().setEvent(GameEvent.newBuilder().setTick(12).setPayload(ByteString.copyFrom(new byte[4]))).build());
        receive(ServerMessage.newBuilder().setChat(ChatLine.newBuilder().setPlayerId(2).setName("bob").setText("héllo")).build());
        receive(ServerMessage.newBuilder().setPlayerJoined(PlayerJoined.newBuilder().setPlayerId(7).setName("cy")).build());
        receive(ServerMessage.newBuilder().setPlayerLeft(PlayerLeft.newBuilder().setPlayerId(7).setName("cy")).build());
        session.receive(new byte[] {(byte) 0x08, 0x01}, 0, 2); // not a ServerMessage
        assertEquals(List.of("event 12 4 bytes", "chat 2 bob: héllo", "joined 7 cy", "left 7 cy", "decode error"), heard);
    }

    @Test
    void shouldWriteInputsOfMessagesAndBytesAlike() throws InvalidProtocolBufferException {
        ChatLine someMessage = ChatLine.newBuilder().setName("n").setText("t").build();
        ClientMessage fromMessage = decode(ClientMessages.input(-1, someMessage, 5));
        assertEquals(-1, fromMessage.getInput().getSeq(), "seq 2^32 - 1, the wire's uint32");
        assertEquals(someMessage, ChatLine.parseFrom(fromMessage.getInput().getPayload()));
        byte[] payload = someMessage.toByteArray();
        assertArrayEquals(ClientMessages.input(-1, someMessage, 5), ClientMessages.input(-1, payload, 0, payload.length, 5));
        assertEquals("héllo", decode(ClientMessages.chat("héllo")).getChat().getText());
        assertEquals(-5L, decode(ClientMessages.ping(-5L)).getPing().getClientTime());
    }

    @Test
    void shouldKnowWhichClosesAreFinal() {
        for (int code : new int[] {1000, 1002, 1008, 1009, 1011, 4001, 4004, 4005, 4008, 4015, 4016, 4017}) {
            assertTrue(CloseCodes.isFinal(code), "final: " + code);
        }
        for (int code : new int[] {1001, 1006, 4009, 4010, 4011, 4012, 4013, 4014}) {
            assertFalse(CloseCodes.isFinal(code), "worth reconnecting: " + code);
        }
    }
}
