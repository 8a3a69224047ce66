package io.tickwave.server;

import io.tickwave.protocol.ServerMessage;
import io.tickwave.server.net.CloseCodes;
import io.tickwave.server.testgame.BulkyGame;
import io.tickwave.server.testing.TestClient;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A client that stops reading, over real sockets: its unsent snapshots are replaced rather than
 * queued, it is closed once stalled past the limit, and another client is served throughout.
 */
class SlowClientTest {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @Test
    void shouldDropStaleSnapshotsThenCloseAStalledClientWhileOthersKeepReceiving() {
        try (TickwaveServer server = TickwaveServer.start(ServerSettings.defaults().withPort(0).withHost("127.0.0.1")
                .withTickRate(60).withSnapshotRate(60).withStallTimeoutMs(1_000)
                // A client closed as too slow keeps its seat for a reconnect this long, then leaves.
                .withReconnectGraceMs(1_000), BulkyGame::new);
             TestClient stuck = TestClient.joined(server.port(), "stuck");
             TestClient reader = TestClient.joined(server.port(), "reader")) {
            stuck.stopReading();
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (server.metrics().closesByCode().getOrDefault(CloseCodes.TOO_SLOW, 0L) == 0
                    && System.nanoTime() - deadline < 0) {
                reader.ping(System.nanoTime()); // the reader stays active, as a player would
                sleep(100);
            }
            assertEquals(1L, server.metrics().closesByCode().get(CloseCodes.TOO_SLOW), server.metricsText());
            assertTrue(server.metrics().staleSnapshotsDropped.get() > 0, "unsent snapshots were replaced");
            long readerSnapshots = reader.received().stream().filter(ServerMessage::hasSnapshot).count();
            reader.awaitCount(ServerMessage::hasSnapshot, (int) readerSnapshots + 30, Duration.ofSeconds(10));
            long playersDeadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (server.metrics().players.get() != 1 && System.nanoTime() - playersDeadline < 0) {
                sleep(20);
            }
            assertEquals(1, server.metrics().players.get(), "the stalled player left the room");
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
