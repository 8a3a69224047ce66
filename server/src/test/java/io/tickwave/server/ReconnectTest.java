package io.tickwave.server;

import com.google.protobuf.ByteString;
import io.tickwave.protocol.ErrorCode;
import io.tickwave.protocol.ServerMessage;
import io.tickwave.protocol.Welcome;
import io.tickwave.server.testgame.CommandGame;
import io.tickwave.server.testgame.RecordingGame;
import io.tickwave.server.testing.TestClient;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Reconnect tokens over real WebSockets: a dropped seat comes back within the grace period, and only then. */
class ReconnectTest {

    private static final ServerSettings SETTINGS = ServerSettings.defaults().withPort(0).withHost("127.0.0.1")
            .withTickRate(60).withSnapshotRate(30);
    private static final Duration WAIT = Duration.ofSeconds(10);

    private static Welcome welcomeOf(TestClient client) {
        return client.awaitMessage(ServerMessage::hasWelcome).getWelcome();
    }

    private static boolean namesPlayer(ServerMessage message, int playerId) {
        return message.hasPlayerLeft() && message.getPlayerLeft().getPlayerId() == playerId
                || message.hasPlayerJoined() && message.getPlayerJoined().getPlayerId() == playerId;
    }

    /** Waits until {@code client} has {@code more} snapshots beyond those it holds now. */
    private static void awaitMoreSnapshots(TestClient client, int more) {
        int now = (int) client.received().stream().filter(ServerMessage::hasSnapshot).count();
        client.awaitCount(ServerMessage::hasSnapshot, now + more, WAIT);
    }

    @Test
    void shouldGiveTheSeatBackWithinTheGracePeriodWithoutTellingTheRoom() {
        List<String> gameLog = new CopyOnWriteArrayList<>();
        try (TickwaveServer server = TickwaveServer.start(SETTINGS.withReconnectGraceMs(60_000),
                () -> new RecordingGame(gameLog));
             TestClient ann = TestClient.joined(server.port(), "ann");
             TestClient bob = TestClient.joined(server.port(), "bob")) {
            Welcome annWelcome = welcomeOf(ann);
            assertEquals(16, annWelcome.getReconnectToken().size(), "128 bits of token");
            assertFalse(annWelcome.getResumed());
            int annId = annWelcome.getPlayerId();
            ann.awaitMessage(m -> m.hasPlayerJoined() && m.getPlayerJoined().getName().equals("bob"));

            ann.drop();
            try (TestClient annAgain = TestClient.connect(server.port())) {
                annAgain.rejoin("ann", annWelcome.getReconnectToken());
                Welcome resumed = welcomeOf(annAgain);
                assertTrue(resumed.getResumed());
                assertEquals(annId, resumed.getPlayerId(), "same player id");
                assertEquals(annWelcome.getRoomId(), resumed.getRoomId(), "same room");
                assertNotEquals(annWelcome.getReconnectToken(), resumed.getReconnectToken(), "a fresh token");
                assertTrue(resumed.getPlayersList().stream().anyMatch(p -> p.getName().equals("bob")));
                ServerMessage first = annAgain.awaitMessage(ServerMessage::hasSnapshot);
                assertEquals(0, first.getSnapshot().getBaselineTick(), "a complete snapshot");

                awaitMoreSnapshots(bob, 3);
                assertTrue(bob.received().stream().noneMatch(m -> namesPlayer(m, annId)),
                        "bob saw ann neither leave nor join: " + bob.received().stream().filter(m -> !m.hasSnapshot()).toList());
                assertTrue(gameLog.contains("disconnected " + annId), gameLog.toString());
                assertTrue(gameLog.contains("reconnected " + annId), gameLog.toString());
                assertFalse(gameLog.contains("left " + annId), gameLog.toString());
                assertEquals(2, server.metrics().players.get());
            }
        }
    }

    @Test
    void shouldAnnounceTheLeaveOnceTheGraceIsOverAndThenRefuseTheToken() {
        List<String> gameLog = new CopyOnWriteArrayList<>();
        try (TickwaveServer server = TickwaveServer.start(SETTINGS.withReconnectGraceMs(300),
                () -> new RecordingGame(gameLog));
             TestClient ann = TestClient.joined(server.port(), "ann");
             TestClient bob = TestClient.joined(server.port(), "bob")) {
            Welcome annWelcome = welcomeOf(ann);
            int annId = annWelcome.getPlayerId();

            ann.drop();
            ServerMessage left = bob.awaitMessage(m -> m.hasPlayerLeft() && m.getPlayerLeft().getPlayerId() == annId);
            assertEquals("ann", left.getPlayerLeft().getName());
            assertTrue(gameLog.indexOf("disconnected " + annId) < gameLog.indexOf("left " + annId), gameLog.toString());

            try (TestClient late = TestClient.connect(server.port())) {
                late.rejoin("ann", annWelcome.getReconnectToken());
                ServerMessage refusal = late.awaitMessage(ServerMessage::hasError);
                assertEquals(ErrorCode.RECONNECT_REFUSED, refusal.getError().getCode());
                assertFalse(late.isClosed(), "a refused token does not close the connection");

                late.join("ann");
                Welcome fresh = welcomeOf(late);
                assertFalse(fresh.getResumed());
                assertNotEquals(annId, fresh.getPlayerId(), "a new seat is a new player");
            }
        }
    }

    @Test
    void shouldRefuseASpentTokenAndHandAConnectedSeatToTheNewerConnection() {
        List<String> gameLog = new CopyOnWriteArrayList<>();
        try (TickwaveServer server = TickwaveServer.start(SETTINGS.withReconnectGraceMs(60_000), () -> new RecordingGame(gameLog));
             TestClient ann = TestClient.joined(server.port(), "ann")) {
            Welcome first = welcomeOf(ann);
            ann.drop();
            try (TestClient annAgain = TestClient.connect(server.port());
                 TestClient replay = TestClient.connect(server.port());
                 TestClient annOnNewNetwork = TestClient.connect(server.port())) {
                annAgain.rejoin("ann", first.getReconnectToken());
                ByteString secondToken = welcomeOf(annAgain).getReconnectToken();

                replay.rejoin("ann", first.getReconnectToken());
                assertEquals(ErrorCode.RECONNECT_REFUSED, replay.awaitMessage(ServerMessage::hasError).getError().getCode(),
                        "a token that was used is spent");

                // The seat's connection still looks open to the server (as a half-open socket would): the
                // newer connection with its token takes the seat, and the old one is closed as final.
                annOnNewNetwork.rejoin("ann", secondToken);
                Welcome takenOver = welcomeOf(annOnNewNetwork);
                assertTrue(takenOver.getResumed());
                assertEquals(first.getPlayerId(), takenOver.getPlayerId(), "the same seat");
                assertEquals(4017, annAgain.awaitClose(WAIT), "the older connection is told its seat was taken over");
                awaitMoreSnapshots(annOnNewNetwork, 2);
                assertEquals(1, server.metrics().players.get());
                assertEquals(2, gameLog.stream().filter(line -> line.equals("disconnected " + first.getPlayerId())).count(),
                        "each lost connection is a disconnect for the game: " + gameLog);
                assertEquals(2, gameLog.stream().filter(line -> line.equals("reconnected " + first.getPlayerId())).count(), gameLog.toString());
            }
        }
    }

    @Test
    void shouldTellAResumedSeatItsLastInputSoThatAReloadedPageNumbersAboveIt() {
        try (TickwaveServer server = TickwaveServer.start(SETTINGS.withReconnectGraceMs(60_000), () -> new RecordingGame(new CopyOnWriteArrayList<>()));
             TestClient ann = TestClient.joined(server.port(), "ann")) {
            Welcome first = welcomeOf(ann);
            assertEquals(0, first.getLastInputSeq(), "a new seat has had no input");
            ann.input(41, 1, 0);
            ann.input(42, 1, 0);
            ann.awaitMessage(m -> m.hasSnapshot() && m.getSnapshot().getAckInputSeq() == 42);
            ann.drop();
            try (TestClient reloaded = TestClient.connect(server.port())) {
                reloaded.rejoin("ann", first.getReconnectToken());
                assertEquals(42, welcomeOf(reloaded).getLastInputSeq());
            }
        }
    }

    @Test
    void shouldAnswerTheTokenOfASeatKickedWhileAwayWithTheKick() {
        List<String> gameLog = new CopyOnWriteArrayList<>();
        try (TickwaveServer server = TickwaveServer.start(SETTINGS.withReconnectGraceMs(60_000),
                () -> new io.tickwave.server.testgame.CommandGame(gameLog, room -> { }, () -> 0));
             TestClient ann = TestClient.joined(server.port(), "ann");
             TestClient bob = TestClient.joined(server.port(), "bob")) {
            Welcome annWelcome = welcomeOf(ann);
            ann.drop();
            bob.chat("/kick " + annWelcome.getPlayerId() + " cheating");
            bob.awaitMessage(m -> m.hasPlayerLeft() && m.getPlayerLeft().getPlayerId() == annWelcome.getPlayerId());

            try (TestClient annAgain = TestClient.connect(server.port())) {
                annAgain.rejoin("ann", annWelcome.getReconnectToken());
                ServerMessage kicked = annAgain.awaitMessage(ServerMessage::hasError);
                assertEquals(ErrorCode.KICKED, kicked.getError().getCode(), "not RECONNECT_REFUSED, which would seat ann anew");
                assertTrue(kicked.getError().getMessage().contains("cheating"), kicked.getError().getMessage());
                assertEquals(4015, annAgain.awaitClose(WAIT));
                assertEquals(1, server.metrics().players.get());
            }
        }
    }

    @Test
    void shouldKeepADroppedSeatOnlyAsLongAsItsRoomsOwnGrace() {
        List<String> log = new CopyOnWriteArrayList<>();
        try (TickwaveServer server = TickwaveServer.start(SETTINGS.withReconnectGraceMs(60_000),
                () -> new CommandGame(log, room -> {
                    try {
                        room.setReconnectGraceMs(60_001);
                    } catch (IllegalArgumentException e) {
                        log.add("refused: " + e.getMessage());
                    }
                    room.setReconnectGraceMs(300);
                    log.add("grace " + room.reconnectGraceMs());
                }, () -> 0));
             TestClient ann = TestClient.joined(server.port(), "ann");
             TestClient bob = TestClient.joined(server.port(), "bob")) {
            Welcome annWelcome = welcomeOf(ann);
            assertEquals(16, annWelcome.getReconnectToken().size(), "the room keeps seats: a token");
            int annId = annWelcome.getPlayerId();
            ann.drop();
            // The server's 60 s would outlast the wait: the leave comes from the room's 300 ms.
            bob.awaitMessage(m -> m.hasPlayerLeft() && m.getPlayerLeft().getPlayerId() == annId);
            assertEquals(1, server.metrics().seatsExpired.get(), "the seat waited, then its grace ran out");
            assertTrue(log.contains("grace 300"), log.toString());
            assertTrue(log.stream().anyMatch(line -> line.startsWith("refused: ") && line.contains("60000")),
                    "a room cannot outwait the server's --reconnect-grace-ms: " + log);
        }
    }

    @Test
    void shouldEndAShortGraceFirstThoughItsSeatDroppedAfterALongerOne() throws Exception {
        try (TickwaveServer server = TickwaveServer.start(SETTINGS.withReconnectGraceMs(60_000),
                () -> new CommandGame(new CopyOnWriteArrayList<>(), room -> {
                    room.setCapacity(2);
                    room.setReconnectGraceMs(room.roomId() == 1 ? 30_000 : 300);
                }, () -> 0));
             TestClient ann = TestClient.joined(server.port(), "ann");
             TestClient bob = TestClient.joined(server.port(), "bob");
             TestClient carl = TestClient.joined(server.port(), "carl");
             TestClient dave = TestClient.joined(server.port(), "dave")) {
            assertEquals(1, welcomeOf(ann).getRoomId());
            Welcome carlWelcome = welcomeOf(carl);
            assertNotEquals(1, carlWelcome.getRoomId(), "carl is in the second room");
            ann.drop();
            awaitValue(1, () -> server.metrics().seatsWaiting.get(), "ann's seat waits 30 s");
            carl.drop();
            dave.awaitMessage(m -> m.hasPlayerLeft() && m.getPlayerLeft().getPlayerId() == carlWelcome.getPlayerId());
            assertEquals(1, server.metrics().seatsExpired.get(), "carl's 300 ms ran out, before ann's 30 s");
            assertEquals(1, server.metrics().seatsWaiting.get(), "ann's seat still waits");
            assertTrue(bob.received().stream().noneMatch(ServerMessage::hasPlayerLeft), "bob saw nobody leave");
        }
    }

    @Test
    void shouldGiveNoTokenAndLeaveAtOnceInARoomWithoutGrace() {
        List<String> log = new CopyOnWriteArrayList<>();
        try (TickwaveServer server = TickwaveServer.start(SETTINGS.withReconnectGraceMs(60_000),
                () -> new CommandGame(log, room -> room.setReconnectGraceMs(0), () -> 0));
             TestClient ann = TestClient.joined(server.port(), "ann");
             TestClient bob = TestClient.joined(server.port(), "bob")) {
            Welcome annWelcome = welcomeOf(ann);
            assertTrue(annWelcome.getReconnectToken().isEmpty(), "no reconnects in this room: no token");
            int annId = annWelcome.getPlayerId();
            ann.drop();
            // The server's 60 s would outlast the wait: the drop is a leave at once.
            bob.awaitMessage(m -> m.hasPlayerLeft() && m.getPlayerLeft().getPlayerId() == annId);
            assertEquals(0, server.metrics().seatsExpired.get(), "no seat waited");
        }
    }

    @Test
    void shouldCountResumedAndRefusedReconnectsAndTheSeatsWaiting() throws Exception {
        try (TickwaveServer server = TickwaveServer.start(SETTINGS.withReconnectGraceMs(60_000),
                () -> new RecordingGame(new CopyOnWriteArrayList<>()));
             TestClient ann = TestClient.joined(server.port(), "ann")) {
            ByteString token = welcomeOf(ann).getReconnectToken();
            ann.drop();
            awaitValue(1, () -> server.metrics().seatsWaiting.get(), "ann's seat waits");
            assertTrue(scrape(server).contains("tickwave_seats_waiting 1.0"), "the gauge on /metrics");
            try (TestClient annAgain = TestClient.connect(server.port());
                 TestClient replay = TestClient.connect(server.port())) {
                annAgain.rejoin("ann", token);
                assertTrue(welcomeOf(annAgain).getResumed());
                assertEquals(1, server.metrics().reconnectsResumed.get());
                assertEquals(0, server.metrics().seatsWaiting.get(), "the seat is taken back");

                replay.rejoin("ann", token);
                assertEquals(ErrorCode.RECONNECT_REFUSED, replay.awaitMessage(ServerMessage::hasError).getError().getCode());
                assertEquals(1, server.metrics().reconnectsRefused.get());
                String text = scrape(server);
                assertTrue(text.contains("tickwave_reconnects_total{outcome=\"resumed\"} 1.0"), text);
                assertTrue(text.contains("tickwave_reconnects_total{outcome=\"refused\"} 1.0"), text);
                assertTrue(text.contains("tickwave_seats_waiting 0.0"), text);
                assertTrue(text.contains("tickwave_seats_expired_total 0.0"), text);
            }
        }
    }

    @Test
    void shouldCountASeatWhoseGraceRanOut() throws Exception {
        try (TickwaveServer server = TickwaveServer.start(SETTINGS.withReconnectGraceMs(300),
                () -> new RecordingGame(new CopyOnWriteArrayList<>()));
             TestClient ann = TestClient.joined(server.port(), "ann");
             TestClient bob = TestClient.joined(server.port(), "bob")) {
            int annId = welcomeOf(ann).getPlayerId();
            welcomeOf(bob);
            assertEquals(0, server.metrics().seatsExpired.get());
            ann.drop();
            bob.awaitMessage(m -> m.hasPlayerLeft() && m.getPlayerLeft().getPlayerId() == annId);
            assertEquals(1, server.metrics().seatsExpired.get(), "the grace ran out");
            assertEquals(0, server.metrics().seatsWaiting.get(), "no seat waits any more");
            assertEquals(0, server.metrics().reconnectsResumed.get());
            String text = scrape(server);
            assertTrue(text.contains("tickwave_seats_expired_total 1.0"), text);
        }
    }

    private static String scrape(TickwaveServer server) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + server.port() + "/metrics")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode());
        return response.body();
    }

    private static void awaitValue(long expected, LongSupplier value, String what) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (value.getAsLong() != expected && System.nanoTime() - deadline < 0) {
            Thread.sleep(10);
        }
        assertEquals(expected, value.getAsLong(), what);
    }

    @Test
    void shouldForgetAKickedSeatsTokenOnceItsGraceIsOver() {
        try (TickwaveServer server = TickwaveServer.start(SETTINGS.withReconnectGraceMs(300),
                () -> new io.tickwave.server.testgame.CommandGame(new CopyOnWriteArrayList<>(), room -> { }, () -> 0));
             TestClient ann = TestClient.joined(server.port(), "ann");
             TestClient bob = TestClient.joined(server.port(), "bob")) {
            Welcome annWelcome = welcomeOf(ann);
            bob.chat("/kick " + annWelcome.getPlayerId() + " cheating");
            assertEquals(4015, ann.awaitClose(WAIT));
            awaitMoreSnapshots(bob, 20); // 20 snapshots at 30 Hz: well past the 300 ms grace

            try (TestClient annAgain = TestClient.connect(server.port())) {
                annAgain.rejoin("ann", annWelcome.getReconnectToken());
                assertEquals(ErrorCode.RECONNECT_REFUSED, annAgain.awaitMessage(ServerMessage::hasError).getError().getCode(),
                        "after the grace the kick is forgotten: the token names nothing");
                assertFalse(annAgain.isClosed());
            }
        }
    }

    @Test
    void shouldLeaveAtOnceWhenTheClientClosesNormally() {
        List<String> gameLog = new CopyOnWriteArrayList<>();
        try (TickwaveServer server = TickwaveServer.start(SETTINGS.withReconnectGraceMs(60_000),
                () -> new RecordingGame(gameLog));
             TestClient bob = TestClient.joined(server.port(), "bob")) {
            int annId;
            try (TestClient ann = TestClient.joined(server.port(), "ann")) {
                annId = welcomeOf(ann).getPlayerId();
            } // close 1000: a leave on purpose
            bob.awaitMessage(m -> m.hasPlayerLeft() && m.getPlayerLeft().getPlayerId() == annId);
            assertFalse(gameLog.contains("disconnected " + annId), gameLog.toString());
        }
    }
}
