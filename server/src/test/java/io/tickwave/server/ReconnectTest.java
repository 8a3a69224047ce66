package io.tickwave.server;

import com.google.protobuf.ByteString;
import io.tickwave.protocol.ErrorCode;
import io.tickwave.protocol.ServerMessage;
import io.tickwave.protocol.Welcome;
import io.tickwave.server.testgame.RecordingGame;
import io.tickwave.server.testing.TestClient;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

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
