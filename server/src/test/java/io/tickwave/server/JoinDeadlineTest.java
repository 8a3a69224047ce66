package io.tickwave.server;

import io.tickwave.protocol.ServerMessage;
import io.tickwave.server.net.CloseCodes;
import io.tickwave.server.testgame.WalkerGame;
import io.tickwave.server.testing.TestClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A WebSocket that never joins is closed with 4012 {@code --join-timeout-ms} after the upgrade, however
 * busily it pings; a client that joined in time is not.
 */
class JoinDeadlineTest {

    private static final int JOIN_TIMEOUT_MS = 1_000;
    private static TickwaveServer server;

    @BeforeAll
    static void startServer() {
        // An idle timeout far beyond the join timeout, so only the join deadline can close these clients.
        server = TickwaveServer.start(ServerSettings.defaults().withPort(0).withHost("127.0.0.1")
                .withJoinTimeoutMs(JOIN_TIMEOUT_MS).withIdleTimeoutMs(60_000), WalkerGame::new);
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    /** Pings (both kinds) every 100 ms until the server closes; returns the close code and the time taken. */
    private static long[] pingUntilClosed(TestClient client, long startNs) throws InterruptedException {
        for (int i = 0; i < 50 && !client.isClosed(); i++) {
            client.sendWebSocketPing();
            client.ping(i);
            Thread.sleep(100);
        }
        int code = client.awaitClose(Duration.ofSeconds(1));
        return new long[]{code, (System.nanoTime() - startNs) / 1_000_000};
    }

    @Test
    void shouldCloseAConnectionThatOnlyPingsWithJoinTimeout() throws Exception {
        long closesBefore = server.metrics().closesByCode().get(CloseCodes.JOIN_TIMEOUT);
        long startNs = System.nanoTime();
        try (TestClient client = TestClient.connect(server.port())) {
            long[] closed = pingUntilClosed(client, startNs);
            assertEquals(CloseCodes.JOIN_TIMEOUT, closed[0]);
            assertTrue(closed[1] >= JOIN_TIMEOUT_MS - 100, "closed too early, after " + closed[1] + " ms");
            assertTrue(closed[1] < JOIN_TIMEOUT_MS * 3, "closed only after " + closed[1] + " ms");
            assertTrue(client.received().stream().anyMatch(ServerMessage::hasPong), "protocol pings were answered");
        }
        assertEquals(closesBefore + 1, server.metrics().closesByCode().get(CloseCodes.JOIN_TIMEOUT));
        assertTrue(server.metricsText().contains("tickwave_closes_total{code=\"4012\"}"), server.metricsText());
    }

    @Test
    void shouldCloseAConnectionWhoseJoinsAreAllRefusedWithJoinTimeout() throws Exception {
        try (TestClient client = TestClient.connect(server.port())) {
            long startNs = System.nanoTime();
            for (int i = 0; i < 30 && !client.isClosed(); i++) {
                client.join(" ");
                Thread.sleep(100);
            }
            assertEquals(CloseCodes.JOIN_TIMEOUT, client.awaitClose(Duration.ofSeconds(1)),
                    "after " + (System.nanoTime() - startNs) / 1_000_000 + " ms");
        }
    }

    @Test
    void shouldCloseAConnectionWhoseReconnectWasRefusedAndThatThenOnlyPingsWithJoinTimeout() throws Exception {
        try (TestClient client = TestClient.connect(server.port())) {
            long startNs = System.nanoTime();
            client.rejoin("ghost", com.google.protobuf.ByteString.copyFrom(new byte[16])); // a token nobody was given
            assertEquals(io.tickwave.protocol.ErrorCode.RECONNECT_REFUSED,
                    client.awaitMessage(ServerMessage::hasError).getError().getCode());
            long[] closed = pingUntilClosed(client, startNs);
            assertEquals(CloseCodes.JOIN_TIMEOUT, closed[0], "a refused reconnect is no join: closed after " + closed[1] + " ms");
        }
    }

    @Test
    void shouldKeepAJoinedClientPastTheJoinTimeout() throws Exception {
        try (TestClient client = TestClient.joined(server.port(), "joiner")) {
            for (int i = 0; i < 25; i++) {
                client.sendWebSocketPing();
                Thread.sleep(100);
            }
            assertFalse(client.isClosed(), "a joined client was closed");
        }
    }
}
