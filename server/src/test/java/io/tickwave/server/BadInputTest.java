package io.tickwave.server;

import com.google.protobuf.ByteString;
import io.tickwave.protocol.ClientMessage;
import io.tickwave.protocol.ErrorCode;
import io.tickwave.protocol.Join;
import io.tickwave.protocol.ServerMessage;
import io.tickwave.server.net.CloseCodes;
import io.tickwave.server.testgame.ThrowingGame;
import io.tickwave.server.testing.TestClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every kind of bad input gets its defined answer (docs/protocol.md), and an observer in the same room
 * keeps receiving snapshots throughout.
 */
class BadInputTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static TickwaveServer server;
    private TestClient observer;

    @BeforeAll
    static void startServer() {
        server = TickwaveServer.start(ServerSettings.defaults().withPort(0).withHost("127.0.0.1")
                .withMaxFrameBytes(1024).withMaxInputBytes(64).withMaxMessagesPerSecond(40)
                .withMaxChatChars(20).withChatLinesPerSecond(1),
                ThrowingGame::new);
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @BeforeEach
    void joinObserver() {
        observer = TestClient.joined(server.port(), "observer");
    }

    @AfterEach
    void observerWasServedThroughout() {
        long before = observer.received().stream().filter(ServerMessage::hasSnapshot).count();
        observer.awaitCount(ServerMessage::hasSnapshot, (int) before + 5, WAIT);
        observer.close();
    }

    private static void assertError(TestClient client, ErrorCode code) {
        ServerMessage error = client.awaitMessage(ServerMessage::hasError);
        assertEquals(code, error.getError().getCode(), error.getError().getMessage());
    }

    @Test
    void shouldCloseWithMalformedOnAnUndecodableFrame() {
        try (TestClient client = TestClient.connect(server.port())) {
            client.sendRaw(new byte[]{(byte) 0xFF, (byte) 0xFF, (byte) 0xFF});
            assertError(client, ErrorCode.MALFORMED_MESSAGE);
            assertEquals(CloseCodes.MALFORMED, client.awaitClose(WAIT));
        }
    }

    @Test
    void shouldCloseOnATextFrame() {
        try (TestClient client = TestClient.connect(server.port())) {
            client.sendText("{\"join\":{}}");
            assertEquals(CloseCodes.TEXT_FRAME, client.awaitClose(WAIT));
        }
    }

    @Test
    void shouldCloseWithMessageTooBigOnAFrameOverTheLimit() {
        try (TestClient client = TestClient.connect(server.port())) {
            client.sendRaw(new byte[4096]);
            assertEquals(CloseCodes.MESSAGE_TOO_BIG, client.awaitClose(WAIT));
        }
    }

    @Test
    void shouldCloseWithUnknownMessageOnAnEmptyOrUnknownKind() {
        try (TestClient empty = TestClient.connect(server.port());
             TestClient unknown = TestClient.connect(server.port())) {
            empty.sendRaw(new byte[0]);
            assertError(empty, ErrorCode.UNKNOWN_MESSAGE);
            assertEquals(CloseCodes.UNKNOWN_MESSAGE, empty.awaitClose(WAIT));
            unknown.sendRaw(new byte[]{(byte) (15 << 3), 1}); // field 15, a varint: a kind from the future
            assertEquals(CloseCodes.UNKNOWN_MESSAGE, unknown.awaitClose(WAIT));
        }
    }

    @Test
    void shouldRefuseInputAndChatBeforeJoinButKeepTheConnection() {
        try (TestClient client = TestClient.connect(server.port())) {
            client.input(1, 1, 0);
            assertError(client, ErrorCode.NOT_JOINED);
            client.join("late");
            client.awaitMessage(ServerMessage::hasWelcome);
            assertTrue(!client.isClosed());
        }
    }

    @Test
    void shouldRefuseASecondJoin() {
        try (TestClient client = TestClient.joined(server.port(), "twice")) {
            client.join("again");
            assertError(client, ErrorCode.ALREADY_JOINED);
            assertEquals(1, client.received().stream().filter(ServerMessage::hasWelcome).count());
        }
    }

    @Test
    void shouldCloseOnAWrongProtocolVersion() {
        try (TestClient client = TestClient.connect(server.port())) {
            client.send(ClientMessage.newBuilder().setJoin(Join.newBuilder().setName("old").setProtocolVersion(7)).build());
            assertError(client, ErrorCode.BAD_PROTOCOL_VERSION);
            assertEquals(CloseCodes.BAD_PROTOCOL_VERSION, client.awaitClose(WAIT));
        }
    }

    @Test
    void shouldRefuseABadNameAndAcceptAGoodOneAfterwards() {
        try (TestClient client = TestClient.connect(server.port())) {
            client.join("   ");
            assertError(client, ErrorCode.BAD_NAME);
            client.join("a\u202Eb"); // a right-to-left override: invisible, and used to spoof names
            client.awaitCount(m -> m.hasError() && m.getError().getCode() == ErrorCode.BAD_NAME, 2, WAIT);
            client.join("fine");
            client.awaitMessage(ServerMessage::hasWelcome);
        }
    }

    @Test
    void shouldRefuseInvisibleZalgoAndOverWideNamesWithAReason() {
        try (TestClient client = TestClient.connect(server.port())) {
            String[] badNames = {"\u2800\u2800", "\u3164", "\u115F\u00A0", "Z\u0351\u0352\u0353ALGO", "\uFDFD"};
            for (String name : badNames) {
                client.join(name);
            }
            var refusals = client.awaitCount(m -> m.hasError() && m.getError().getCode() == ErrorCode.BAD_NAME,
                    badNames.length, WAIT);
            assertTrue(refusals.get(0).getError().getMessage().contains("no visible character"), refusals.toString());
            client.join("Zoë");
            client.awaitMessage(ServerMessage::hasWelcome);
        }
    }

    @Test
    void shouldEchoUint32ValuesUnsigned() {
        try (TestClient client = TestClient.joined(server.port(), "unsigned")) {
            client.input(0xFFFF_FFFFL, 1, 0);
            client.input(7, 1, 0);
            ServerMessage stale = client.awaitMessage(m -> m.hasError() && m.getError().getCode() == ErrorCode.STALE_INPUT);
            assertTrue(stale.getError().getMessage().contains("last accepted 4294967295"), stale.getError().getMessage());
        }
        try (TestClient client = TestClient.connect(server.port())) {
            client.send(ClientMessage.newBuilder().setJoin(Join.newBuilder().setName("old").setProtocolVersion(-1)).build());
            ServerMessage error = client.awaitMessage(ServerMessage::hasError);
            assertTrue(error.getError().getMessage().endsWith("not 4294967295"), error.getError().getMessage());
        }
    }

    @Test
    void shouldRefuseStaleAndOversizedInputs() {
        try (TestClient client = TestClient.joined(server.port(), "sloppy")) {
            client.input(5, 1, 0);
            client.input(5, 1, 0);
            assertError(client, ErrorCode.STALE_INPUT);
            client.inputWithPayload(6, ByteString.copyFrom(new byte[100]));
            client.awaitMessage(m -> m.hasError() && m.getError().getCode() == ErrorCode.INPUT_TOO_LARGE);
        }
    }

    @Test
    void shouldRefuseChatLinesTooLongOrTooFrequent() {
        try (TestClient client = TestClient.joined(server.port(), "chatty")) {
            client.chat("x".repeat(21));
            assertError(client, ErrorCode.CHAT_TOO_LONG);
            for (int i = 0; i < 6; i++) {
                client.chat("line " + i);
            }
            client.awaitMessage(m -> m.hasError() && m.getError().getCode() == ErrorCode.CHAT_RATE_LIMITED);
            assertTrue(observer.received().stream().noneMatch(m -> m.hasChat() && m.getChat().getText().length() > 20));
        }
    }

    @Test
    void shouldCloseAFloodingClientWithRateLimited() {
        try (TestClient client = TestClient.joined(server.port(), "flood")) {
            try {
                for (int i = 0; i < 200 && !client.isClosed(); i++) {
                    client.ping(i);
                }
            } catch (java.util.concurrent.CompletionException closedWhileSending) {
                // The server's close can overtake our sends; the close code below is what matters.
            }
            assertEquals(CloseCodes.RATE_LIMITED, client.awaitClose(WAIT));
        }
    }

    @Test
    void shouldCloseAnIdleConnectionButNotOneThatSendsWebSocketPings() {
        try (TickwaveServer idleServer = TickwaveServer.start(ServerSettings.defaults().withPort(0)
                .withHost("127.0.0.1").withIdleTimeoutMs(1_000), ThrowingGame::new);
             TestClient silent = TestClient.connect(idleServer.port());
             TestClient pinging = TestClient.connect(idleServer.port())) {
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (!silent.isClosed() && System.nanoTime() - deadline < 0) {
                pinging.sendWebSocketPing();
                sleep(200);
            }
            assertEquals(CloseCodes.IDLE_TIMEOUT, silent.awaitClose(WAIT));
            for (int i = 0; i < 10; i++) { // two more idle timeouts' worth
                pinging.sendWebSocketPing();
                sleep(200);
            }
            assertTrue(!pinging.isClosed(), "WebSocket pings count as signs of life");
        }
    }

    @Test
    void shouldCountGameErrorsAndLetTheRoomRecoverOnceTheCauseLeaves() {
        long errorsBefore = server.metrics().gameErrors.get();
        try (TestClient bomb = TestClient.joined(server.port(), ThrowingGame.TRIGGER_NAME)) {
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (server.metrics().gameErrors.get() < errorsBefore + 10 && System.nanoTime() - deadline < 0) {
                sleep(20);
            }
            assertTrue(server.metrics().gameErrors.get() >= errorsBefore + 10);
            assertTrue(server.metricsText().contains("tickwave_game_errors_total"));
            assertTrue(bomb.received().stream().noneMatch(ServerMessage::hasSnapshot));
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
