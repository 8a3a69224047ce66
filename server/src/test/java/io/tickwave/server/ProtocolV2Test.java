package io.tickwave.server;

import com.google.protobuf.ByteString;
import io.tickwave.protocol.ClientMessage;
import io.tickwave.protocol.ErrorCode;
import io.tickwave.protocol.Input;
import io.tickwave.protocol.Join;
import io.tickwave.protocol.ServerMessage;
import io.tickwave.server.api.SnapshotBuffer;
import io.tickwave.server.net.CloseCodes;
import io.tickwave.server.testgame.WalkerGame;
import io.tickwave.server.testgame.protocol.WalkerInput;
import io.tickwave.server.testing.TestClient;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Protocol version 2 end to end, over real WebSockets: clients never ack snapshots, the server takes
 * the newest snapshot it handed to a socket as that client's baseline, and version 1 clients are
 * refused with a clear error and close 4005.
 */
class ProtocolV2Test {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private static TickwaveServer start(io.tickwave.server.api.GameFactory games) {
        return TickwaveServer.start(ServerSettings.defaults().withPort(0).withHost("127.0.0.1")
                .withTickRate(60).withSnapshotRate(30), games);
    }

    /** Records the baseline the server passes for each snapshot it asks for. Loop thread writes, tests read. */
    static final class BaselineRecordingGame extends WalkerGame {
        final List<Long> baselines = new CopyOnWriteArrayList<>();

        @Override
        public void writeSnapshot(int viewerId, long baselineTick, SnapshotBuffer out) {
            baselines.add(baselineTick);
            super.writeSnapshot(viewerId, baselineTick, out);
        }
    }

    @Test
    void shouldAcknowledgeInputsInSnapshotsWhileTheClientSendsNoAcks() {
        try (TickwaveServer server = start(WalkerGame::new);
             TestClient client = TestClient.joined(server.port(), "no-acks")) {
            for (int seq = 1; seq <= 20; seq++) {
                client.input(seq, 1, 0);
            }
            client.awaitMessage(m -> m.hasSnapshot() && m.getSnapshot().getAckInputSeq() == 20, WAIT);
            long snapshotsBefore = client.received().stream().filter(ServerMessage::hasSnapshot).count();
            client.awaitMessage(m -> m.hasSnapshot()
                    && client.received().stream().filter(ServerMessage::hasSnapshot).count() > snapshotsBefore + 10, WAIT);
            assertEquals(0L, server.metrics().protocolErrors.sum(), "no error was needed to keep snapshots coming");
            assertEquals(0L, server.metrics().decodeErrors.sum());
        }
    }

    @Test
    void shouldRefuseAVersion1ClientWithBadProtocolVersionAnd4005() {
        try (TickwaveServer server = start(WalkerGame::new);
             TestClient client = TestClient.connect(server.port())) {
            client.send(ClientMessage.newBuilder()
                    .setJoin(Join.newBuilder().setName("old-client").setProtocolVersion(1)).build());
            ServerMessage error = client.awaitMessage(ServerMessage::hasError, WAIT);
            assertEquals(ErrorCode.BAD_PROTOCOL_VERSION, error.getError().getCode());
            assertTrue(error.getError().getMessage().contains("speaks protocol version 2, not 1"),
                    error.getError().getMessage());
            assertEquals(CloseCodes.BAD_PROTOCOL_VERSION, client.awaitClose(WAIT));
        }
    }

    @Test
    void shouldEchoAProtocolVersionAbove2To31AsUnsigned() {
        try (TickwaveServer server = start(WalkerGame::new);
             TestClient client = TestClient.connect(server.port())) {
            client.send(ClientMessage.newBuilder()
                    .setJoin(Join.newBuilder().setName("huge").setProtocolVersion(0xFFFF_FFFF)).build());
            ServerMessage error = client.awaitMessage(ServerMessage::hasError, WAIT);
            assertTrue(error.getError().getMessage().endsWith("not 4294967295"), error.getError().getMessage());
        }
    }

    @Test
    void shouldAnswerVersion1AckMemberAsAnUnknownMessage() {
        try (TickwaveServer server = start(WalkerGame::new);
             TestClient client = TestClient.joined(server.port(), "acker")) {
            // ClientMessage field 5 (v1's SnapshotAck{tick = 1}): tag 5/length-delimited, length 2, {tag 1/varint, 1}.
            client.sendRaw(new byte[]{0x2A, 0x02, 0x08, 0x01});
            ServerMessage error = client.awaitMessage(ServerMessage::hasError, WAIT);
            assertEquals(ErrorCode.UNKNOWN_MESSAGE, error.getError().getCode());
            assertEquals(CloseCodes.UNKNOWN_MESSAGE, client.awaitClose(WAIT));
        }
    }

    @Test
    void shouldPassTheNewestSnapshotHandedToTheSocketAsTheBaseline() {
        BaselineRecordingGame game = new BaselineRecordingGame();
        try (TickwaveServer server = start(() -> game);
             TestClient client = TestClient.joined(server.port(), "baseline")) {
            client.awaitMessage(m -> m.hasSnapshot() && game.baselines.stream().filter(b -> b > 0).count() >= 10, WAIT);
            Set<Long> ticksReceived = client.received().stream().filter(ServerMessage::hasSnapshot)
                    .map(m -> m.getSnapshot().getTick()).collect(Collectors.toSet());
            List<Long> baselines = List.copyOf(game.baselines);
            assertEquals(0L, baselines.get(0), "nothing was handed to the socket before the first snapshot");
            long previous = 0;
            for (long baseline : baselines) {
                assertTrue(baseline >= previous, "baselines only move forward: " + baselines);
                assertTrue(baseline == 0 || ticksReceived.contains(baseline),
                        "baseline " + baseline + " is a snapshot the client received; it got " + ticksReceived);
                previous = baseline;
            }
        }
    }

    @Test
    void shouldRecordTheClientsViewLagFromTheSnapshotTickItsInputsReport() throws Exception {
        try (TickwaveServer server = start(WalkerGame::new);
             TestClient client = TestClient.joined(server.port(), "lagger")) {
            ByteString payload = WalkerInput.newBuilder().setMoveX(1).build().toByteString();
            for (int seq = 1; seq <= 10; seq++) {
                long newest = client.awaitMessage(ServerMessage::hasSnapshot, WAIT).getSnapshot().getTick();
                client.send(ClientMessage.newBuilder().setInput(Input.newBuilder().setSeq(seq).setPayload(payload)
                        .setNewestSnapshotTick(newest)).build());
            }
            // A tick from the future is ignored, not recorded as a negative lag.
            client.send(ClientMessage.newBuilder().setInput(Input.newBuilder().setSeq(11).setPayload(payload)
                    .setNewestSnapshotTick(Long.MAX_VALUE)).build());
            client.awaitMessage(m -> m.hasSnapshot() && m.getSnapshot().getAckInputSeq() == 11, WAIT);
            String metrics = ServerIntegrationTest.get(server.port(), "/metrics").body();
            Matcher count = Pattern.compile("(?m)^tickwave_client_view_lag_ticks_count (\\S+)$").matcher(metrics);
            assertTrue(count.find(), metrics);
            assertEquals(10.0, Double.parseDouble(count.group(1)), "one lag per input that reported a past tick");
            assertFalse(metrics.contains("tickwave_client_view_lag_ticks{quantile=\"0.99\"} -"), metrics);
        }
    }
}
