package io.tickwave.server.loop;

import io.tickwave.protocol.ClientMessage;
import io.tickwave.protocol.Input;
import io.tickwave.protocol.Join;
import io.tickwave.protocol.ServerMessage;
import io.tickwave.protocol.Snapshot;
import io.tickwave.server.ServerSettings;
import io.tickwave.server.net.CloseCodes;
import io.tickwave.server.testgame.RecordingGame;
import io.tickwave.server.testgame.ThrowingGame;
import io.tickwave.server.testgame.WalkerGame;
import io.tickwave.server.testgame.protocol.WalkerInput;
import io.tickwave.server.testgame.protocol.WalkerPosition;
import io.tickwave.server.testgame.protocol.WalkerWorld;
import io.tickwave.server.testing.LoopHarness;
import io.tickwave.server.transport.memory.MemoryConnection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The game loop without sockets or threads: a hand-driven clock makes every tick deterministic. */
class GameLoopTest {

    private static final ServerSettings SETTINGS = ServerSettings.defaults().withTickRate(60).withSnapshotRate(30)
            .withRingSize(1024).withStallTimeoutMs(500);

    private LoopHarness harness;

    @AfterEach
    void closeHarness() {
        if (harness != null) {
            harness.close();
        }
    }

    private static void join(MemoryConnection connection, String name) {
        connection.send(ClientMessage.newBuilder().setJoin(Join.newBuilder().setName(name).setProtocolVersion(2)).build());
    }

    private static void input(MemoryConnection connection, int seq, int moveX) {
        connection.send(ClientMessage.newBuilder().setInput(Input.newBuilder().setSeq(seq)
                .setPayload(WalkerInput.newBuilder().setMoveX(moveX).build().toByteString())).build());
    }

    private static io.tickwave.protocol.Welcome welcome(MemoryConnection connection) {
        return connection.received().stream().filter(ServerMessage::hasWelcome).findFirst().orElseThrow().getWelcome();
    }

    private static List<Snapshot> snapshots(MemoryConnection connection) {
        return connection.received().stream().filter(ServerMessage::hasSnapshot).map(ServerMessage::getSnapshot).toList();
    }

    @Test
    void shouldRunExactlyOneTickPerIntervalWithoutDrift() {
        harness = new LoopHarness(SETTINGS, WalkerGame::new);
        long interval = harness.tickIntervalNs();
        // Wake up at uneven times, always a little late: deadlines must stay on the original grid.
        for (int i = 0; i < 600; i++) {
            harness.advanceNs(interval / 3 + (i % 7) * 1_000);
            harness.runDutyCycle();
        }
        long elapsed = 600L * (interval / 3) + 600L / 7 * 21_000 + 15_000;
        long expectedTicks = elapsed / interval;
        long ticks = harness.metrics().ticks.get();
        assertTrue(Math.abs(ticks - expectedTicks) <= 1, "ticks " + ticks + " vs expected " + expectedTicks);
        assertEquals(0, harness.metrics().tickOverruns.get());
    }

    @Test
    void shouldCountOverrunsAndSkipMissedTicksInsteadOfBursting() {
        harness = new LoopHarness(SETTINGS, WalkerGame::new);
        harness.runTicks(1);
        harness.advanceNs(harness.tickIntervalNs() * 5 + 1);
        harness.runDutyCycle();
        harness.runDutyCycle();
        // Deadline 2 runs late; deadlines 3 to 6 have passed too and are skipped, each counted once.
        assertEquals(2, harness.metrics().ticks.get(), "one late tick runs, the missed ones are skipped");
        assertEquals(4, harness.metrics().tickOverruns.get());
    }

    @Test
    void shouldSendOneSnapshotEveryTicksPerSnapshotWithAdvancingTicks() {
        harness = new LoopHarness(SETTINGS, WalkerGame::new);
        MemoryConnection client = harness.connect();
        join(client, "ann");
        harness.runTicks(20);
        List<Snapshot> snapshots = snapshots(client);
        assertEquals(10, snapshots.size());
        for (int i = 1; i < snapshots.size(); i++) {
            assertEquals(SETTINGS.ticksPerSnapshot(), snapshots.get(i).getTick() - snapshots.get(i - 1).getTick());
        }
    }

    @Test
    void shouldAckOnlyInputsTheSimulationHasApplied() throws Exception {
        harness = new LoopHarness(SETTINGS, WalkerGame::new);
        MemoryConnection client = harness.connect();
        join(client, "ann");
        harness.runTicks(2);
        input(client, 1, 1);
        input(client, 2, 1);
        harness.runTicks(2);
        Snapshot last = snapshots(client).get(snapshots(client).size() - 1);
        assertEquals(2, last.getAckInputSeq());
        WalkerPosition walker = WalkerWorld.parseFrom(last.getState()).getWalkers(0);
        assertTrue(walker.getX() > 0, "the walker moved right: " + walker);
    }

    @Test
    void shouldDropStaleSnapshotForSlowClientInsteadOfQueueingIt() {
        harness = new LoopHarness(SETTINGS, WalkerGame::new);
        MemoryConnection slow = harness.connect();
        MemoryConnection fast = harness.connect();
        join(slow, "slow");
        join(fast, "fast");
        harness.runTicks(2);
        slow.stopReading();
        harness.runTicks(20);
        // The one snapshot in flight stays; each newer one replaces the pending one.
        assertTrue(harness.metrics().staleSnapshotsDropped.get() >= 8,
                "stale dropped: " + harness.metrics().staleSnapshotsDropped.get());
        assertEquals(11, snapshots(fast).size());
    }

    @Test
    void shouldCloseClientStalledLongerThanTheStallTimeout() {
        harness = new LoopHarness(SETTINGS.withReconnectGraceMs(1_000), WalkerGame::new);
        MemoryConnection slow = harness.connect();
        join(slow, "slow");
        harness.runTicks(2);
        slow.stopReading();
        harness.runTicks(SETTINGS.tickRateHz()); // one second, twice the stall timeout
        assertEquals(CloseCodes.TOO_SLOW, slow.closeCode());
        assertEquals(1, harness.metrics().players.get(), "a slow client's seat waits for a reconnect");
        harness.runTicks(SETTINGS.tickRateHz() * 2); // past the grace period
        assertEquals(0, harness.metrics().players.get(), "the stalled player left its room");
        assertEquals(0, harness.metrics().rooms.get());
    }

    @Test
    void shouldRefuseWhatAFullRingCannotTakeAndLoseOrReorderNothingItAccepted() {
        harness = new LoopHarness(SETTINGS.withRingSize(64).withMaxMessagesPerSecond(1_000), WalkerGame::new);
        MemoryConnection client = harness.connect();
        join(client, "ann");
        harness.runTicks(1);
        for (int seq = 1; seq <= 100; seq++) {
            input(client, seq, 1);
        }
        long refused = client.received().stream()
                .filter(m -> m.hasError() && m.getError().getCode() == io.tickwave.protocol.ErrorCode.SERVER_BUSY).count();
        assertEquals(100 - 64, refused, "the ring holds 64 events; the rest are refused, not blocked on");
        assertEquals(refused, harness.metrics().ringFullDrops.sum());
        harness.runTicks(6); // a cycle takes at most ring-size / 4 = 16 events, so the tick cannot starve

        assertEquals(64, harness.metrics().inputsApplied.get());
        assertEquals(64, snapshots(client).get(snapshots(client).size() - 1).getAckInputSeq(),
                "the accepted inputs 1..64 were applied in order");
    }

    @Test
    void shouldDeliverALeaveDeferredByAFullRingExactlyOnceAfterThatClientsEarlierEvents() {
        List<String> gameLog = new ArrayList<>();
        harness = new LoopHarness(SETTINGS.withRingSize(64).withMaxMessagesPerSecond(1_000),
                () -> new RecordingGame(gameLog));
        MemoryConnection leaver = harness.connect();
        MemoryConnection stayer = harness.connect();
        join(leaver, "leaver");
        join(stayer, "stayer");
        harness.runTicks(1);
        input(leaver, 1, 1);
        for (int seq = 1; seq <= 100; seq++) {
            input(stayer, seq, 1); // fills the ring: 63 go in, the rest are refused
        }
        leaver.disconnect();
        leaver.disconnect(); // a transport may report a close twice; still one leave
        assertEquals(1, harness.metrics().leavesDeferred.sum(), "the full ring could not take the leave");

        harness.runTicks(8); // a cycle drains at most 16 of the 64 events; the leave comes after them

        int leaverId = welcome(leaver).getPlayerId();
        assertEquals(1, gameLog.stream().filter(line -> line.equals("left " + leaverId)).count(), "left exactly once");
        assertTrue(gameLog.indexOf("input " + leaverId + " 1") < gameLog.indexOf("left " + leaverId),
                "the leave did not overtake the leaver's own input");
        assertEquals(63, gameLog.stream().filter(line -> line.startsWith("input " + welcome(stayer).getPlayerId() + " "))
                .count(), "nothing the ring accepted was lost");
        assertEquals(1, stayer.received().stream().filter(m -> m.hasPlayerLeft()
                && m.getPlayerLeft().getPlayerId() == leaverId).count(), "the room heard player_left once");
        assertEquals(1, harness.metrics().leaves.get());
        assertEquals(1, harness.metrics().players.get());
    }

    @Test
    void shouldCloseAClientWhoseDrainThrowsWith1011AndStillServeTheRestOfItsBatch() {
        harness = new LoopHarness(SETTINGS, WalkerGame::new);
        MemoryConnection broken = harness.connect();
        MemoryConnection first = harness.connect();
        MemoryConnection second = harness.connect();
        join(broken, "broken");
        join(first, "first");
        join(second, "second");
        harness.runTicks(2);
        int snapshotsBefore = snapshots(first).size();
        broken.failSends(new IllegalStateException("transport bug"));

        harness.runTicks(2); // one snapshot tick: the broken client is drained first in the batch

        assertEquals(CloseCodes.INTERNAL_ERROR, broken.closeCode(), "not stranded joined but unserved");
        assertEquals(1, harness.metrics().drainErrors.sum());
        assertEquals(snapshotsBefore + 1, snapshots(first).size(), "the rest of the batch got its frames");
        assertEquals(snapshotsBefore + 1, snapshots(second).size());
        harness.runTicks(2);
        assertEquals(2, harness.metrics().players.get(), "the closed client left its room");
        assertEquals(1, harness.metrics().drainErrors.sum(), "a closed client is not drained again");
    }

    @Test
    void shouldCloseAJoinerWithInternalErrorWhenTheGameCannotOpenARoomAndServeTheNextOne() {
        int[] created = {0};
        harness = new LoopHarness(SETTINGS, () -> {
            if (created[0]++ == 0) {
                throw new IllegalStateException("first room fails to load its map");
            }
            return new WalkerGame();
        });
        MemoryConnection unlucky = harness.connect();
        join(unlucky, "unlucky");
        harness.runTicks(1);
        assertEquals(CloseCodes.INTERNAL_ERROR, unlucky.closeCode());
        MemoryConnection next = harness.connect();
        join(next, "next");
        harness.runTicks(2);
        assertTrue(next.received().stream().anyMatch(ServerMessage::hasWelcome));
        assertEquals(1, harness.metrics().gameErrors.get());
        assertEquals(0, harness.metrics().loopErrors.get());
        assertEquals(1, harness.metrics().players.get());
    }

    @Test
    void shouldSendAHugeBacklogWithoutDeepeningTheStack() {
        harness = new LoopHarness(SETTINGS.withOutboxCapacity(65_536), WalkerGame::new);
        MemoryConnection client = harness.connect();
        client.discardMessages();
        byte[] message = io.tickwave.server.net.ServerMessages.chat(1, "x", "y");
        for (int i = 0; i < 60_000; i++) {
            assertTrue(client.outbox().offerMessage(message));
        }
        // The in-memory transport completes every send inside sendBinary, as Undertow may: each
        // completion calls drain again, which must loop rather than recurse 60,000 deep.
        client.requestDrain();
        harness.flushOutbound();
        assertEquals(60_000, client.framesReceived());
    }

    @Test
    void shouldCloseAClientThatNeverReadsButKeepsPinging() {
        harness = new LoopHarness(SETTINGS, WalkerGame::new);
        MemoryConnection client = harness.connect();
        client.stopReading();
        for (int i = 0; i < 100 && client.closeCode() == 0; i++) {
            client.send(ClientMessage.newBuilder().setPing(io.tickwave.protocol.Ping.newBuilder().setClientTime(i)).build());
        }
        assertEquals(CloseCodes.TOO_SLOW, client.closeCode(), "pongs must not pile up without bound");
    }

    @Test
    void shouldKeepOtherRoomsTickingWhenOneGameThrows() {
        harness = new LoopHarness(SETTINGS.withRoomCapacity(1), ThrowingGame::new);
        MemoryConnection bomb = harness.connect();
        MemoryConnection calm = harness.connect();
        join(bomb, ThrowingGame.TRIGGER_NAME);
        join(calm, "calm");
        harness.runTicks(10);
        assertEquals(2, harness.metrics().rooms.get());
        assertTrue(harness.metrics().gameErrors.get() >= 10);
        assertEquals(5, snapshots(calm).size());
        assertEquals(0, snapshots(bomb).size(), "a snapshot the game failed to write is not sent");
    }
}
