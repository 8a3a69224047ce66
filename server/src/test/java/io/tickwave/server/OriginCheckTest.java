package io.tickwave.server;

import io.tickwave.server.net.ConnectionRefusal;
import io.tickwave.server.testgame.WalkerGame;
import io.tickwave.server.testing.RawUpgrade;
import io.tickwave.server.testing.TestClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.util.List;
import java.util.concurrent.CompletionException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Origin check at upgrade, with the default policy and with a list, over real sockets. */
class OriginCheckTest {

    private static TickwaveServer defaultPolicy;
    private static TickwaveServer listed;

    @BeforeAll
    static void startServers() {
        ServerSettings base = ServerSettings.defaults().withPort(0).withHost("127.0.0.1");
        defaultPolicy = TickwaveServer.start(base, WalkerGame::new);
        listed = TickwaveServer.start(base.withAllowedOrigins(List.of("https://game.example.com")), WalkerGame::new);
    }

    @AfterAll
    static void stopServers() {
        defaultPolicy.close();
        listed.close();
    }

    /** The JDK client's upgrade with an Origin header: the status it got (101 when it opened). */
    private static int upgradeStatus(int port, String origin) {
        try {
            WebSocket socket = HttpClient.newHttpClient().newWebSocketBuilder().header("Origin", origin)
                    .buildAsync(URI.create("ws://127.0.0.1:" + port + "/ws"), new WebSocket.Listener() {
                    }).join();
            socket.abort();
            return 101;
        } catch (CompletionException e) {
            assertInstanceOf(WebSocketHandshakeException.class, e.getCause(), e.toString());
            return ((WebSocketHandshakeException) e.getCause()).getResponse().statusCode();
        }
    }

    @Test
    void shouldAdmitTheServersOwnOriginAndLocalhostByDefault() {
        assertEquals(101, upgradeStatus(defaultPolicy.port(), "http://127.0.0.1:" + defaultPolicy.port()));
        assertEquals(101, upgradeStatus(defaultPolicy.port(), "http://localhost:5173"));
    }

    @Test
    void shouldRefuseAForeignOriginWith403AndCountIt() throws Exception {
        long before = defaultPolicy.metrics().connectionRefused(ConnectionRefusal.ORIGIN).sum();
        assertEquals(403, upgradeStatus(defaultPolicy.port(), "https://evil.example.net"));
        assertEquals(403, upgradeStatus(defaultPolicy.port(), "null"));
        try (RawUpgrade file = RawUpgrade.open(defaultPolicy.port(), null, "file://")) {
            assertEquals(403, file.status(), file.head());
            assertEquals(ConnectionRefusal.ORIGIN.body(), file.body());
        }
        assertEquals(before + 3, defaultPolicy.metrics().connectionRefused(ConnectionRefusal.ORIGIN).sum());
        assertTrue(defaultPolicy.metricsText().contains("tickwave_connections_refused_total{reason=\"origin\"}"));
    }

    @Test
    void shouldAdmitAClientWithoutOrigin() {
        try (TestClient bot = TestClient.joined(defaultPolicy.port(), "bot")) {
            assertTrue(bot.received().stream().anyMatch(m -> m.hasWelcome()));
        }
    }

    @Test
    void shouldAdmitOnlyTheListedOriginsWhenAListIsGiven() {
        assertEquals(101, upgradeStatus(listed.port(), "https://game.example.com"));
        assertEquals(403, upgradeStatus(listed.port(), "http://127.0.0.1:" + listed.port()));
        assertEquals(403, upgradeStatus(listed.port(), "http://localhost:5173"));
    }
}
