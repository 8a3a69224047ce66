package io.tickwave.server;

import io.tickwave.protocol.ServerMessage;
import io.tickwave.server.net.ConnectionRefusal;
import io.tickwave.server.testgame.WalkerGame;
import io.tickwave.server.testing.RawUpgrade;
import io.tickwave.server.testing.TestClient;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The connection cap under a flood of sockets, over real sockets: upgrades and half-open sockets (that
 * never send a request) opened as fast as a few threads can, up to and well past {@code --max-connections};
 * the refusals are answered 503, {@code /health} keeps answering 200, and a joined player keeps
 * receiving snapshots without a gap.
 */
class ConnectionFloodTest {

    private static final int MAX_CONNECTIONS = 20;
    private static final int UPGRADES = 80;
    private static final int HALF_OPEN_SOCKETS = 150;
    private static final long MAX_SNAPSHOT_GAP_NS = 500_000_000L;
    /** How long the flooded state is held after the last socket opened, with every socket still open. */
    private static final long HOLD_MS = 500;

    @Test
    void shouldAnswer503PastTheCapAndKeepServingHealthAndAJoinedPlayerUnderASocketFlood() throws Exception {
        List<AutoCloseable> open = Collections.synchronizedList(new ArrayList<>());
        Map<Integer, Integer> upgradeStatuses = new ConcurrentHashMap<>();
        List<Integer> healthStatuses = Collections.synchronizedList(new ArrayList<>());
        AtomicBoolean flooding = new AtomicBoolean(true);
        ExecutorService threads = Executors.newFixedThreadPool(7);
        try (TickwaveServer server = TickwaveServer.start(ServerSettings.defaults().withPort(0).withHost("127.0.0.1")
                .withMaxConnections(MAX_CONNECTIONS), WalkerGame::new);
             TestClient player = TestClient.joined(server.port(), "player")) {
            player.awaitMessage(ServerMessage::hasSnapshot);
            int port = server.port();
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
            Future<?> health = threads.submit(() -> {
                while (flooding.get()) {
                    healthStatuses.add(http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health"))
                            .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding()).statusCode());
                }
                return null;
            });

            long start = System.nanoTime();
            List<Future<?>> flood = new ArrayList<>();
            for (int thread = 0; thread < 4; thread++) {
                flood.add(threads.submit(() -> {
                    for (int i = 0; i < UPGRADES / 4; i++) {
                        RawUpgrade upgrade = RawUpgrade.open(port);
                        open.add(upgrade);
                        upgradeStatuses.merge(upgrade.status(), 1, Integer::sum);
                    }
                    return null;
                }));
            }
            for (int thread = 0; thread < 2; thread++) {
                flood.add(threads.submit(() -> {
                    for (int i = 0; i < HALF_OPEN_SOCKETS / 2; i++) {
                        open.add(halfOpen(port));
                    }
                    return null;
                }));
            }
            for (Future<?> task : flood) {
                task.get(30, TimeUnit.SECONDS);
            }
            Thread.sleep(HOLD_MS);
            long end = System.nanoTime();
            flooding.set(false);
            health.get(10, TimeUnit.SECONDS);

            assertEquals(Map.of(101, MAX_CONNECTIONS - 1, 503, UPGRADES - (MAX_CONNECTIONS - 1)), upgradeStatuses,
                    "the player holds one slot; every upgrade past the cap is answered 503");
            assertEquals(UPGRADES - (MAX_CONNECTIONS - 1), server.metrics().connectionRefused(ConnectionRefusal.GLOBAL).sum());
            assertFalse(healthStatuses.isEmpty());
            assertTrue(healthStatuses.stream().allMatch(status -> status == 200), healthStatuses.toString());
            long gapNs = player.longestSnapshotGapNs(start, end);
            assertTrue(gapNs < MAX_SNAPSHOT_GAP_NS, "the player went " + gapNs / 1_000_000 + " ms without a snapshot");
            assertFalse(player.isClosed());
        } finally {
            flooding.set(false);
            threads.shutdownNow();
            synchronized (open) {
                for (AutoCloseable socket : open) {
                    socket.close();
                }
            }
        }
    }

    /** A socket that connects and never sends a byte. */
    private static Socket halfOpen(int port) throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
        return socket;
    }
}
