package io.tickwave.server;

import io.tickwave.protocol.ServerMessage;
import io.tickwave.server.testgame.BlockingGame;
import io.tickwave.server.testgame.WalkerGame;
import io.tickwave.server.testing.TestClient;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code GET /health} over real HTTP from the real server: 200 while the loop ticks, 503 when it does not. */
class HealthTest {

    private static final ServerSettings SETTINGS = ServerSettings.defaults().withPort(0).withHost("127.0.0.1")
            .withTickRate(60).withSnapshotRate(30);

    /** Polls {@code /health} until its answer passes {@code test}, for up to {@code wait}. */
    private static HttpResponse<String> awaitHealth(int port, Predicate<HttpResponse<String>> test, Duration wait)
            throws Exception {
        long deadline = System.nanoTime() + wait.toNanos();
        HttpResponse<String> response = ServerIntegrationTest.get(port, "/health");
        while (!test.test(response) && System.nanoTime() - deadline < 0) {
            Thread.sleep(50);
            response = ServerIntegrationTest.get(port, "/health");
        }
        return response;
    }

    @Test
    void shouldAnswer503StalledOnceTheLoopThreadHasStopped() throws Exception {
        try (TickwaveServer server = TickwaveServer.start(SETTINGS, WalkerGame::new)) {
            HttpResponse<String> live = ServerIntegrationTest.get(server.port(), "/health");
            assertEquals(200, live.statusCode());
            assertTrue(live.body().contains("\"status\":\"ok\""), live.body());

            server.stopLoopForTest();

            HttpResponse<String> dead = ServerIntegrationTest.get(server.port(), "/health");
            assertEquals(503, dead.statusCode(), "no waiting for the stall timeout when the thread is gone");
            assertTrue(dead.body().contains("\"status\":\"stalled\""), dead.body());
            assertTrue(dead.body().contains("not running"), dead.body());
        }
    }

    @Test
    void shouldAnswer503WhileATickHangsAnd200AgainOnceItGoesOn() throws Exception {
        BlockingGame game = new BlockingGame();
        try (TickwaveServer server = TickwaveServer.start(SETTINGS, () -> game);
             TestClient client = TestClient.connect(server.port())) {
            client.join("ann"); // the welcome only goes out after the blocked tick
            assertTrue(game.awaitBlocked(10_000), "the room's first tick blocks the loop");
            assertEquals(200, ServerIntegrationTest.get(server.port(), "/health").statusCode(),
                    "a tick shorter than the stall limit is no stall");

            HttpResponse<String> hung = awaitHealth(server.port(), r -> r.statusCode() == 503, Duration.ofSeconds(5));
            assertEquals(503, hung.statusCode(), hung.body());
            assertTrue(hung.body().contains("\"status\":\"stalled\"") && hung.body().contains("no tick finished"),
                    hung.body());

            game.release();
            HttpResponse<String> recovered = awaitHealth(server.port(), r -> r.statusCode() == 200, Duration.ofSeconds(5));
            assertEquals(200, recovered.statusCode(), recovered.body());
            client.awaitMessage(ServerMessage::hasSnapshot);
        } finally {
            game.release();
        }
    }
}
