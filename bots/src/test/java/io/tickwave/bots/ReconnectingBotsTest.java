package io.tickwave.bots;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

import org.junit.jupiter.api.Test;

import io.tickwave.server.ServerSettings;
import io.tickwave.server.TickwaveServer;
import io.tickwave.server.testgame.WalkerGame;

/** Bots whose server drains (4013) and comes back on the same port play on by themselves. */
class ReconnectingBotsTest {

    private static final int BOTS = 4;

    private static void await(LongSupplier value, long atLeast, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (value.getAsLong() < atLeast && System.nanoTime() - deadline < 0) {
            Thread.sleep(20);
        }
        assertTrue(value.getAsLong() >= atLeast, what + ": " + value.getAsLong() + ", expected at least " + atLeast);
    }

    @Test
    void shouldCountTheRematchAndJoinTheServerAgainOnceItIsBack() throws Exception {
        ServerSettings serverSettings = ServerSettings.defaults().withHost("127.0.0.1").withPort(0)
                .withTickRate(30).withSnapshotRate(30).withDrainTimeoutMs(200);
        TickwaveServer first = TickwaveServer.start(serverSettings, WalkerGame::new);
        int port = first.port();
        SwarmStats stats = new SwarmStats();
        SwarmSettings settings = SwarmSettings.defaults(URI.create("ws://127.0.0.1:" + port + "/ws")).withIoThreads(1);
        try (Swarm swarm = new Swarm(settings, stats)) {
            swarm.addBots(BOTS, Duration.ZERO);
            await(stats.connected::get, BOTS, "bots connected");

            first.startDrain().get(10, TimeUnit.SECONDS);
            await(stats.rematches::sum, BOTS, "4013 closes counted as rematches");
            assertEquals(BOTS, stats.drops.sum());

            try (TickwaveServer second = TickwaveServer.start(serverSettings.withPort(port), WalkerGame::new)) {
                await(stats.reconnects::sum, BOTS, "bots back");
                // The new server knows none of the old tokens: each was refused, then a new seat joined.
                assertEquals(BOTS, stats.reconnectsRefused.sum());
                assertEquals(0, stats.resumed.sum());
                assertEquals(BOTS, stats.connected.get());
                assertEquals(BOTS, second.metrics().players.get());
                RunReport.Reconnects reconnects = RunReport.Reconnects.of(stats);
                assertEquals(BOTS, reconnects.reconnectMs().count(), "one drop-to-welcome time per bot");
            }
        } finally {
            first.close();
        }
    }
}
