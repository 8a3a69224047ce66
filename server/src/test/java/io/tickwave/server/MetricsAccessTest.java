package io.tickwave.server;

import io.tickwave.server.testgame.WalkerGame;
import io.tickwave.server.testing.LocalAddresses;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** /metrics is not for the public: loopback clients only on the game port, or a listener of its own. */
class MetricsAccessTest {

    private static HttpResponse<String> get(String host, int port, String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://" + host + ":" + port + path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void shouldAnswerMetricsOnTheGamePortToLoopbackClientsOnly() throws Exception {
        Optional<InetAddress> outside = LocalAddresses.nonLoopbackIpv4();
        assumeTrue(outside.isPresent(), "this machine has no non-loopback IPv4 address to test from");
        try (TickwaveServer server = TickwaveServer.start(ServerSettings.defaults().withPort(0).withHost("0.0.0.0"),
                WalkerGame::new)) {
            HttpResponse<String> local = get("127.0.0.1", server.port(), "/metrics");
            assertEquals(200, local.statusCode());
            assertTrue(local.body().contains("tickwave_ticks_total"), local.body());
            String outsideHost = outside.get().getHostAddress();
            assertEquals(404, get(outsideHost, server.port(), "/metrics").statusCode(), "from " + outsideHost);
            assertEquals(200, get(outsideHost, server.port(), "/health").statusCode(), "health stays public");
        }
    }

    @Test
    void shouldServeMetricsOnlyOnTheMetricsPortWhenOneIsGiven() throws Exception {
        try (TickwaveServer server = TickwaveServer.start(ServerSettings.defaults().withPort(0).withHost("127.0.0.1")
                .withMetricsPort(0), WalkerGame::new)) {
            assertNotEquals(server.port(), server.metricsPort());
            HttpResponse<String> metrics = get("127.0.0.1", server.metricsPort(), "/metrics");
            assertEquals(200, metrics.statusCode());
            assertTrue(metrics.body().contains("tickwave_ticks_total"), metrics.body());
            assertEquals(404, get("127.0.0.1", server.port(), "/metrics").statusCode(), "not on the game port");
            assertEquals(404, get("127.0.0.1", server.metricsPort(), "/health").statusCode(), "nothing else there");
            assertEquals(200, get("127.0.0.1", server.port(), "/health").statusCode());
        }
    }
}
