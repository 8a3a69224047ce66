package io.tickwave.server;

import io.tickwave.protocol.ServerMessage;
import io.tickwave.protocol.Snapshot;
import io.tickwave.protocol.Welcome;
import io.tickwave.server.testgame.ThrowingGame;
import io.tickwave.server.testgame.WalkerGame;
import io.tickwave.server.testgame.protocol.WalkerPosition;
import io.tickwave.server.testgame.protocol.WalkerWorld;
import io.tickwave.server.testing.TestClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The real server on an ephemeral port, driven by real WebSocket clients: the happy paths. */
class ServerIntegrationTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static TickwaveServer server;

    @BeforeAll
    static void startServer() {
        server = TickwaveServer.start(ServerSettings.defaults().withPort(0).withHost("127.0.0.1")
                .withTickRate(60).withSnapshotRate(20).withRoomCapacity(2), WalkerGame::new);
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    private static WalkerPosition ownWalker(ServerMessage message, int playerId) throws Exception {
        return WalkerWorld.parseFrom(message.getSnapshot().getState()).getWalkersList().stream()
                .filter(walker -> walker.getPlayerId() == playerId).findFirst().orElseThrow();
    }

    static HttpResponse<String> get(int port, String path) throws Exception {
        return HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void shouldWelcomeAJoiningPlayerWithItsIdRoomAndRates() {
        try (TestClient client = TestClient.joined(server.port(), "ann")) {
            Welcome welcome = client.awaitMessage(ServerMessage::hasWelcome).getWelcome();
            assertTrue(welcome.getPlayerId() > 0);
            assertTrue(welcome.getRoomId() > 0);
            assertEquals(60, welcome.getTickRate());
            assertEquals(20, welcome.getSnapshotRate());
            assertEquals(2, welcome.getProtocolVersion());
            assertTrue(welcome.getPlayersList().stream().anyMatch(p -> p.getName().equals("ann")));
        }
    }

    @Test
    void shouldAdvanceAckInputSeqAndMoveThePlayersEntity() throws Exception {
        try (TestClient client = TestClient.joined(server.port(), "mover")) {
            int playerId = client.awaitMessage(ServerMessage::hasWelcome).getWelcome().getPlayerId();
            ServerMessage before = client.awaitMessage(ServerMessage::hasSnapshot);
            float startX = ownWalker(before, playerId).getX();
            for (int seq = 1; seq <= 5; seq++) {
                client.input(seq, 1, 0);
            }
            ServerMessage acked = client.awaitMessage(m -> m.hasSnapshot() && m.getSnapshot().getAckInputSeq() == 5);
            ServerMessage later = client.awaitMessage(m -> m.hasSnapshot()
                    && m.getSnapshot().getTick() > acked.getSnapshot().getTick() + 6);
            assertTrue(ownWalker(later, playerId).getX() > startX, "moved right from " + startX);
            List<Long> acks = client.received().stream().filter(ServerMessage::hasSnapshot)
                    .map(m -> (long) m.getSnapshot().getAckInputSeq()).toList();
            for (int i = 1; i < acks.size(); i++) {
                assertTrue(acks.get(i) >= acks.get(i - 1), "ack_input_seq never goes back: " + acks);
            }
        }
    }

    @Test
    void shouldSendSnapshotsEveryTickRateOverSnapshotRateTicks() {
        try (TestClient client = TestClient.joined(server.port(), "watcher")) {
            List<ServerMessage> snapshots = client.awaitCount(ServerMessage::hasSnapshot, 12, WAIT);
            for (int i = 1; i < snapshots.size(); i++) {
                Snapshot previous = snapshots.get(i - 1).getSnapshot();
                Snapshot current = snapshots.get(i).getSnapshot();
                long gap = current.getTick() - previous.getTick();
                // Snapshots come on every third tick; a gap of 6 or 9 would be a stale one replaced on a
                // starved machine, which is allowed, while any other gap is not.
                assertTrue(gap > 0 && gap % 3 == 0, "60 Hz ticks, 20 Hz snapshots: gap " + gap);
            }
        }
    }

    @Test
    void shouldAnswerPingWithPongEchoingClientTime() {
        try (TestClient client = TestClient.connect(server.port())) {
            client.ping(123_456_789L);
            ServerMessage pong = client.awaitMessage(ServerMessage::hasPong);
            assertEquals(123_456_789L, pong.getPong().getClientTime());
        }
    }

    /** A server of its own, for tests that count seats in rooms. */
    private static TickwaveServer freshServer() {
        return TickwaveServer.start(ServerSettings.defaults().withPort(0).withHost("127.0.0.1").withRoomCapacity(2),
                WalkerGame::new);
    }

    @Test
    void shouldBroadcastChatToEveryoneInTheRoomSenderIncludedAndNobodyElse() {
        try (TickwaveServer own = freshServer();
             TestClient ann = TestClient.joined(own.port(), "ann");
             TestClient bob = TestClient.joined(own.port(), "bob");
             TestClient cid = TestClient.joined(own.port(), "cid")) {
            int annRoom = ann.awaitMessage(ServerMessage::hasWelcome).getWelcome().getRoomId();
            int bobRoom = bob.awaitMessage(ServerMessage::hasWelcome).getWelcome().getRoomId();
            int cidRoom = cid.awaitMessage(ServerMessage::hasWelcome).getWelcome().getRoomId();
            assertEquals(annRoom, bobRoom);
            assertFalse(cidRoom == annRoom, "room capacity 2 puts the third player in a second room");

            ann.chat("hello room");
            for (TestClient member : List.of(ann, bob)) {
                ServerMessage line = member.awaitMessage(m -> m.hasChat() && m.getChat().getText().equals("hello room"));
                assertEquals("ann", line.getChat().getName());
            }
            cid.chat("marker");
            cid.awaitMessage(m -> m.hasChat() && m.getChat().getText().equals("marker"));
            assertFalse(cid.received().stream().anyMatch(m -> m.hasChat() && m.getChat().getText().equals("hello room")));
        }
    }

    @Test
    void shouldAnnounceJoinsAndLeavesToTheRoom() {
        try (TickwaveServer own = freshServer();
             TestClient ann = TestClient.joined(own.port(), "ann")) {
            int annRoom = ann.awaitMessage(ServerMessage::hasWelcome).getWelcome().getRoomId();
            TestClient bob = TestClient.joined(own.port(), "bob");
            assertEquals(annRoom, bob.awaitMessage(ServerMessage::hasWelcome).getWelcome().getRoomId());
            int bobId = bob.awaitMessage(ServerMessage::hasWelcome).getWelcome().getPlayerId();
            ann.awaitMessage(m -> m.hasPlayerJoined() && m.getPlayerJoined().getPlayerId() == bobId);
            bob.close();
            ServerMessage left = ann.awaitMessage(m -> m.hasPlayerLeft() && m.getPlayerLeft().getPlayerId() == bobId);
            assertEquals("bob", left.getPlayerLeft().getName());
            assertTrue(ann.received().stream().anyMatch(m -> m.hasPlayerJoined()
                    && m.getPlayerJoined().getName().equals("ann")), "a joiner hears its own arrival too");
        }
    }

    @Test
    void shouldOpenASecondRoomWhenTheFirstIsFullAndReportBothInHealth() throws Exception {
        try (TickwaveServer own = freshServer();
             TestClient ann = TestClient.joined(own.port(), "ann");
             TestClient bob = TestClient.joined(own.port(), "bob");
             TestClient cid = TestClient.joined(own.port(), "cid")) {
            int first = ann.awaitMessage(ServerMessage::hasWelcome).getWelcome().getRoomId();
            assertEquals(first, bob.awaitMessage(ServerMessage::hasWelcome).getWelcome().getRoomId());
            Welcome third = cid.awaitMessage(ServerMessage::hasWelcome).getWelcome();
            assertFalse(third.getRoomId() == first);
            assertEquals(1, third.getPlayersCount(), "the new room holds only its first player");
            assertTrue(get(own.port(), "/health").body().contains("\"players\":3,\"rooms\":2"));
        }
    }

    @Test
    void shouldKeepOtherRoomsRunningWhenOneRoomsGameThrows() {
        try (TickwaveServer own = TickwaveServer.start(ServerSettings.defaults().withPort(0).withHost("127.0.0.1")
                .withRoomCapacity(1), ThrowingGame::new);
             TestClient bomb = TestClient.joined(own.port(), ThrowingGame.TRIGGER_NAME);
             TestClient calm = TestClient.joined(own.port(), "calm")) {
            calm.awaitCount(ServerMessage::hasSnapshot, 20, WAIT);
            assertTrue(own.metrics().gameErrors.get() > 0);
            assertFalse(bomb.received().stream().anyMatch(ServerMessage::hasSnapshot),
                    "the failing room's snapshots are not sent");
        }
    }

    @Test
    void shouldCloseClientsWithGoingAwayOnShutdown() {
        TickwaveServer own = freshServer();
        try (TestClient ann = TestClient.joined(own.port(), "ann")) {
            own.close();
            assertEquals(1001, ann.awaitClose(WAIT));
        }
    }

    @Test
    void shouldAnswerHealthMetricsAndServeAPage() throws Exception {
        try (TestClient client = TestClient.joined(server.port(), "ann")) {
            client.awaitMessage(ServerMessage::hasSnapshot);
            HttpResponse<String> health = get(server.port(), "/health");
            assertEquals(200, health.statusCode());
            assertTrue(health.body().matches("\\{\"status\":\"ok\",\"players\":[1-9]\\d*,\"rooms\":[1-9]\\d*,\"tick\":\\d+}"),
                    health.body());
            HttpResponse<String> metrics = get(server.port(), "/metrics");
            assertEquals(200, metrics.statusCode());
            for (String name : List.of("tickwave_ticks_total", "tickwave_tick_duration_seconds{quantile=\"0.99\"}",
                    "tickwave_tick_lateness_seconds", "tickwave_tick_overruns_total", "tickwave_ring_full_drops_total",
                    "tickwave_decode_errors_total", "tickwave_players", "tickwave_bytes_out_total",
                    "tickwave_frames_out_total", "tickwave_stale_snapshots_dropped_total")) {
                assertTrue(metrics.body().contains(name), "metrics lack " + name);
            }
            HttpResponse<String> page = get(server.port(), "/");
            assertEquals(200, page.statusCode());
            assertTrue(page.body().contains("<html"));
            HttpResponse<String> proto = get(server.port(), "/proto/tickwave.proto");
            assertTrue(proto.body().contains("message ClientMessage"));
        }
    }

    @Test
    void shouldServeTheFrameworksProtoFilesButNoGamesOwn() throws Exception {
        HttpResponse<String> envelope = get(server.port(), "/proto/tickwave.proto");
        assertEquals(200, envelope.statusCode());
        assertTrue(envelope.body().contains("package tickwave.v1;"), envelope.body());
        HttpResponse<String> options = get(server.port(), "/proto/tickwave_options.proto");
        assertEquals(200, options.statusCode());
        assertTrue(options.body().contains("message EntityOptions"), options.body());
        HttpResponse<String> descriptor = get(server.port(), "/proto/google/protobuf/descriptor.proto");
        assertEquals(200, descriptor.statusCode(), "tickwave_options.proto's import, fetched beside it");
        assertTrue(descriptor.body().contains("message FieldOptions"));
        assertEquals(404, get(server.port(), "/proto/arena.proto").statusCode(),
                "the sample game's messages ship with the sample game, not with the server");
    }
}
