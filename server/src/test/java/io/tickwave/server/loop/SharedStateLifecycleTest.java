package io.tickwave.server.loop;

import io.tickwave.protocol.ClientMessage;
import io.tickwave.protocol.Join;
import io.tickwave.protocol.ServerMessage;
import io.tickwave.protocol.Snapshot;
import io.tickwave.server.ServerSettings;
import io.tickwave.server.net.SharedStatePool;
import io.tickwave.server.api.GameFactory;
import io.tickwave.server.testgame.ReplicatedWalkerGame;
import io.tickwave.server.testgame.WalkerGame;
import io.tickwave.server.testing.LoopHarness;
import io.tickwave.server.transport.memory.MemoryConnection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Shared state buffers over many snapshots: every one goes back to the pool however its frames end
 * (written, replaced unsent, dropped with a disconnect), so steady state allocates none; and a client
 * that stops reading gets whole frames, in order, once it reads again.
 */
class SharedStateLifecycleTest {

    private static final ServerSettings SETTINGS = ServerSettings.defaults().withTickRate(60).withSnapshotRate(60)
            .withStallTimeoutMs(60_000).withIdleTimeoutMs(600_000);
    private LoopHarness harness;

    @AfterEach
    void close() {
        if (harness != null) {
            harness.close();
        }
    }

    private static void join(MemoryConnection connection, String name) {
        connection.send(ClientMessage.newBuilder().setJoin(Join.newBuilder().setName(name).setProtocolVersion(2)).build());
    }

    private static List<Long> snapshotTicks(MemoryConnection connection) {
        return connection.received().stream().filter(ServerMessage::hasSnapshot).map(ServerMessage::getSnapshot)
                .map(Snapshot::getTick).toList();
    }

    /** Buffers made and not back in the pool: held by frames (or leaked). */
    private static long outstanding(SharedStatePool pool) {
        return pool.created() - pool.idle();
    }

    @Test
    void shouldReturnEverySharedStateToThePoolWhileSomeClientsDropStaleSnapshotsOrLeave() {
        assertEveryBufferComesBack(WalkerGame::new);
    }

    @Test
    void shouldReturnEverySharedStateOfAReplicatingGameToThePoolWhileSomeClientsDropStaleSnapshotsOrLeave() {
        // Stalled clients keep older baselines, so one snapshot holds several encodings, shared unevenly.
        assertEveryBufferComesBack(ReplicatedWalkerGame::new);
        assertTrue(harness.metrics().replicationEncodingsShared.get() > 0, "some encodings were shared");
    }

    private void assertEveryBufferComesBack(GameFactory games) {
        harness = new LoopHarness(SETTINGS.withRoomCapacity(8), games);
        List<MemoryConnection> clients = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            MemoryConnection client = harness.connect();
            join(client, "p" + i);
            clients.add(client);
        }
        harness.runTicks(5);
        SharedStatePool pool = harness.loop().sharedStates();
        for (int round = 0; round < 200; round++) {
            // Every round some clients stall (their snapshots pile up as stale), later read again.
            for (int i = 0; i < 4; i++) {
                MemoryConnection client = clients.get(i);
                if ((round + i) % 5 == 0) {
                    client.stopReading();
                } else if ((round + i) % 5 == 2) {
                    client.resumeReading();
                }
            }
            harness.runTicks(3);
        }
        assertTrue(harness.metrics().staleSnapshotsDropped.get() > 100, "stale snapshots were dropped");
        // Two clients go while they hold unwritten snapshots.
        clients.get(0).stopReading();
        clients.get(1).stopReading();
        harness.runTicks(3);
        clients.get(0).disconnect();
        clients.get(1).disconnect();
        harness.runTicks(3);
        for (MemoryConnection client : clients.subList(2, 8)) {
            client.resumeReading();
        }
        harness.runTicks(1);
        long createdBefore = pool.created();
        harness.runTicks(500);
        assertEquals(createdBefore, pool.created(), "steady state takes buffers from the pool only");
        assertTrue(harness.metrics().snapshotsSent.get() > 3_000);
        assertEquals(0, outstanding(pool), "every buffer came back: created " + pool.created() + ", idle " + pool.idle());
    }

    @Test
    void shouldGiveAClientThatReadsAgainWholeFramesInOrder() {
        harness = new LoopHarness(SETTINGS, WalkerGame::new);
        MemoryConnection client = harness.connect();
        join(client, "slow");
        harness.runTicks(3);
        client.stopReading();
        int before = snapshotTicks(client).size();
        harness.runTicks(30);
        assertEquals(before, snapshotTicks(client).size(), "nothing arrives while it does not read");
        client.resumeReading();
        harness.runTicks(5);
        List<Long> ticks = snapshotTicks(client);
        assertTrue(ticks.size() >= before + 5, "received " + ticks);
        for (int i = 1; i < ticks.size(); i++) {
            assertTrue(ticks.get(i) > ticks.get(i - 1), "in order: " + ticks);
        }
        assertEquals(ticks.get(ticks.size() - 1), client.baselineTick(), "the baseline is the newest written");
    }
}
