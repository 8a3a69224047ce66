package io.tickwave.server;

import com.google.protobuf.ByteString;
import io.tickwave.protocol.ErrorCode;
import io.tickwave.protocol.ServerMessage;
import io.tickwave.server.testgame.WalkerGame;
import io.tickwave.server.testing.TestClient;
import org.junit.jupiter.api.Test;

import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A graceful drain through the server's API and over HTTP, seen by real WebSocket clients. */
class DrainTest {

    private static final ServerSettings SETTINGS = ServerSettings.defaults().withPort(0).withHost("127.0.0.1")
            .withTickRate(60).withSnapshotRate(30).withReconnectGraceMs(60_000);
    private static final Duration WAIT = Duration.ofSeconds(10);

    private static HttpResponse<String> post(int port, String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static long snapshots(TestClient client) {
        return client.received().stream().filter(ServerMessage::hasSnapshot).count();
    }

    @Test
    void shouldRefuseNewJoinsKeepRoomsPlayingAndCloseWithRematchAtTheDeadline() throws Exception {
        TickwaveServer server = TickwaveServer.start(SETTINGS.withDrainTimeoutMs(1_500), WalkerGame::new);
        try (TestClient ann = TestClient.joined(server.port(), "ann");
             TestClient bob = TestClient.joined(server.port(), "bob")) {
            HttpResponse<String> ready = ServerIntegrationTest.get(server.port(), "/ready");
            assertEquals(200, ready.statusCode());
            assertTrue(ready.body().contains("\"status\":\"ready\""), ready.body());
            ByteString bobToken = bob.awaitMessage(ServerMessage::hasWelcome).getWelcome().getReconnectToken();
            bob.drop();

            server.startDrain();

            HttpResponse<String> draining = ServerIntegrationTest.get(server.port(), "/ready");
            assertEquals(503, draining.statusCode());
            assertTrue(draining.body().contains("\"status\":\"draining\""), draining.body());
            assertEquals(200, ServerIntegrationTest.get(server.port(), "/health").statusCode(), "still alive");
            try (TestClient late = TestClient.connect(server.port())) {
                late.join("cat");
                assertEquals(ErrorCode.SERVER_DRAINING, late.awaitMessage(ServerMessage::hasError).getError().getCode());
                assertEquals(4013, late.awaitClose(WAIT));
            }
            try (TestClient bobAgain = TestClient.connect(server.port())) {
                bobAgain.rejoin("bob", bobToken);
                assertTrue(bobAgain.awaitMessage(ServerMessage::hasWelcome).getWelcome().getResumed(),
                        "a seat held here is given back during a drain");

                long before = snapshots(ann);
                ann.awaitCount(ServerMessage::hasSnapshot, (int) before + 5, WAIT);

                assertEquals(4013, ann.awaitClose(WAIT), "the room outlived the drain: rematch");
                assertEquals(4013, bobAgain.awaitClose(WAIT));
            }
            server.drained().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            assertThrows(ConnectException.class, () -> ServerIntegrationTest.get(server.port(), "/health"),
                    "the server stopped after the drain");
        } finally {
            server.close();
        }
    }

    @Test
    void shouldEndTheDrainAsSoonAsTheRoomsAreEmpty() throws Exception {
        TickwaveServer server = TickwaveServer.start(SETTINGS.withDrainTimeoutMs(600_000), WalkerGame::new);
        try (TestClient ann = TestClient.joined(server.port(), "ann")) {
            server.startDrain();
            ann.awaitMessage(ServerMessage::hasSnapshot);
        } // close 1000: the last room empties
        try {
            server.drained().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } finally {
            server.close();
        }
    }

    @Test
    void shouldStartTheDrainOnAPostToAdminDrainFromLoopback() throws Exception {
        TickwaveServer server = TickwaveServer.start(SETTINGS.withDrainTimeoutMs(600_000), WalkerGame::new);
        try (TestClient ann = TestClient.joined(server.port(), "ann")) {
            assertEquals(405, ServerIntegrationTest.get(server.port(), "/admin/drain").statusCode(), "GET starts nothing");
            assertEquals(200, ServerIntegrationTest.get(server.port(), "/ready").statusCode());

            HttpResponse<String> accepted = post(server.port(), "/admin/drain");
            assertEquals(202, accepted.statusCode());
            assertTrue(accepted.body().contains("\"status\":\"draining\""), accepted.body());
            assertEquals(503, ServerIntegrationTest.get(server.port(), "/ready").statusCode());
            assertTrue(server.draining());
            ann.awaitMessage(ServerMessage::hasSnapshot);
        } finally {
            server.close();
        }
    }
}
