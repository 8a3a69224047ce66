package io.tickwave.server;

import io.tickwave.server.net.ConnectionRefusal;
import io.tickwave.server.testgame.WalkerGame;
import io.tickwave.server.testing.LocalAddresses;
import io.tickwave.server.testing.RawUpgrade;
import io.tickwave.server.testing.TestClient;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.IntSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The global and per-address WebSocket caps: a refused upgrade gets its status and a short body, is
 * counted by reason, and holds no slot; closing a connection frees its slot; HTTP keeps answering.
 */
class ConnectionCapsTest {

    private static TickwaveServer start(int maxConnections, int maxPerAddress) {
        return TickwaveServer.start(ServerSettings.defaults().withPort(0).withHost("127.0.0.1")
                .withMaxConnections(maxConnections).withMaxConnectionsPerAddress(maxPerAddress), WalkerGame::new);
    }

    private static void awaitValue(long expected, IntSupplier actual, String what) throws InterruptedException {
        for (int i = 0; i < 500 && actual.getAsInt() != expected; i++) {
            Thread.sleep(10);
        }
        assertEquals(expected, actual.getAsInt(), what);
    }

    private static void closeAll(List<RawUpgrade> upgrades) throws Exception {
        for (RawUpgrade upgrade : upgrades) {
            upgrade.close();
        }
    }

    @Test
    void shouldAnswer503OverTheGlobalCapAndAdmitAgainOnceOneCloses() throws Exception {
        List<RawUpgrade> open = new ArrayList<>();
        try (TickwaveServer server = start(3, 32)) {
            for (int i = 0; i < 3; i++) {
                open.add(RawUpgrade.open(server.port()));
                assertEquals(101, open.get(i).status(), open.get(i).head());
            }
            assertEquals(3, server.metrics().connectionsOpen.get());
            try (RawUpgrade fourth = RawUpgrade.open(server.port())) {
                assertEquals(503, fourth.status(), fourth.head());
                assertEquals(ConnectionRefusal.GLOBAL.body(), fourth.body());
            }
            assertEquals(1, server.metrics().connectionRefused(ConnectionRefusal.GLOBAL).sum());
            assertTrue(server.metricsText().contains("tickwave_connections_refused_total{reason=\"global\"} 1.0"),
                    server.metricsText());
            assertTrue(server.metricsText().contains("tickwave_connections_open 3.0"), server.metricsText());
            assertEquals(200, ServerIntegrationTest.get(server.port(), "/health").statusCode(),
                    "HTTP is not subject to the WebSocket cap");

            open.remove(0).close();
            awaitValue(2, server.metrics().connectionsOpen::get, "the closed connection's slot was given back");
            try (RawUpgrade again = RawUpgrade.open(server.port())) {
                assertEquals(101, again.status(), again.head());
                awaitValue(3, server.metrics().connectionsOpen::get, "the new connection holds a slot");
            }
            awaitValue(2, server.metrics().connectionsOpen::get, "released once, not twice");
        } finally {
            closeAll(open);
        }
    }

    @Test
    void shouldAnswer429OverThePerAddressCapOnlyToThatAddress() throws Exception {
        Optional<InetAddress> outside = LocalAddresses.nonLoopbackIpv4();
        assumeTrue(outside.isPresent(), "this machine has no non-loopback IPv4 address to connect from");
        List<RawUpgrade> open = new ArrayList<>();
        try (TickwaveServer server = TickwaveServer.start(ServerSettings.defaults().withPort(0).withHost("0.0.0.0")
                .withMaxConnections(100).withMaxConnectionsPerAddress(2), WalkerGame::new)) {
            for (int i = 0; i < 2; i++) {
                open.add(RawUpgrade.open(server.port(), outside.get(), null));
                assertEquals(101, open.get(i).status(), open.get(i).head());
            }
            try (RawUpgrade third = RawUpgrade.open(server.port(), outside.get(), null)) {
                assertEquals(429, third.status(), third.head());
                assertEquals(ConnectionRefusal.PER_ADDRESS.body(), third.body());
            }
            // Loopback is another address, and exempt from the per-address cap (bots, benchmarks, proxies).
            for (int i = 0; i < 3; i++) {
                open.add(RawUpgrade.open(server.port()));
                assertEquals(101, open.get(open.size() - 1).status(), open.get(open.size() - 1).head());
            }
            assertEquals(1, server.metrics().connectionRefused(ConnectionRefusal.PER_ADDRESS).sum());
            assertEquals(0, server.metrics().connectionRefused(ConnectionRefusal.GLOBAL).sum());
            assertTrue(server.metricsText().contains("tickwave_connections_refused_total{reason=\"per_address\"} 1.0"),
                    server.metricsText());

            open.remove(0).close();
            awaitValue(4, server.metrics().connectionsOpen::get, "the closed connection's slot was given back");
            try (RawUpgrade again = RawUpgrade.open(server.port(), outside.get(), null)) {
                assertEquals(101, again.status(), again.head());
            }
        } finally {
            closeAll(open);
        }
    }

    @Test
    void shouldGiveBackTheSlotOfAFailedHandshake() throws Exception {
        try (TickwaveServer server = start(1, 1)) {
            for (int i = 0; i < 3; i++) {
                assertEquals(426, ServerIntegrationTest.get(server.port(), "/ws").statusCode(),
                        "a plain GET /ws is not an upgrade: Upgrade Required");
            }
            assertEquals(0, server.metrics().connectionsOpen.get());
            try (TestClient client = TestClient.joined(server.port(), "after")) {
                assertTrue(client.received().stream().anyMatch(m -> m.hasWelcome()));
                assertEquals(1, server.metrics().connectionsOpen.get());
            }
        }
    }
}
