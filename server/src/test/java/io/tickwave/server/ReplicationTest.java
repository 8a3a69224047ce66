package io.tickwave.server;

import io.tickwave.protocol.GameEvent;
import io.tickwave.protocol.ReplicationSchema;
import io.tickwave.protocol.ServerMessage;
import io.tickwave.protocol.Snapshot;
import io.tickwave.replication.EntityType;
import io.tickwave.replication.ReplicaClient;
import io.tickwave.server.api.Game;
import io.tickwave.server.api.InputPayload;
import io.tickwave.server.api.RoomContext;
import io.tickwave.server.testgame.ReplicatedWalkerGame;
import io.tickwave.server.testgame.WalkerGame;
import io.tickwave.server.testgame.protocol.Walker;
import io.tickwave.server.testgame.protocol.WalkerEvent;
import io.tickwave.server.testgame.protocol.WalkerReplicated;
import io.tickwave.server.testgame.protocol.WalkerWorld;
import io.tickwave.server.testing.TestClient;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A replicating game over real WebSockets: clients rebuild the state from the deltas with the
 * {@code ReplicaClient} a real client uses and check it against every {@code state_hash}; late joiners
 * start from a complete snapshot; game events are reliable, ordered and addressed; and games that
 * write their own snapshots are served as before.
 */
class ReplicationTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private static ServerSettings settings() {
        return ServerSettings.defaults().withPort(0).withHost("127.0.0.1").withTickRate(60).withSnapshotRate(30);
    }

    private static List<Snapshot> snapshots(TestClient client) {
        return client.received().stream().filter(ServerMessage::hasSnapshot).map(ServerMessage::getSnapshot).toList();
    }

    private static List<WalkerEvent> walkerEvents(List<GameEvent> events) throws Exception {
        List<WalkerEvent> parsed = new ArrayList<>();
        for (GameEvent event : events) {
            parsed.add(WalkerEvent.parseFrom(event.getPayload()));
        }
        return parsed;
    }

    /** The x of {@code playerId}'s walker in the client's rebuilt state, as the client sees it. */
    private static double walkerX(ReplicaClient replica, int playerId) {
        for (int i = 0; i < replica.entityCount(); i++) {
            EntityType type = replica.typeAt(i);
            if (type.typeId() == 1
                    && replica.qAt(i, type.field(Walker.PLAYER_ID_FIELD_NUMBER).index()) == playerId) {
                return replica.value(replica.idAt(i), type.field(Walker.X_FIELD_NUMBER).index());
            }
        }
        throw new AssertionError("no walker of player " + playerId + " in the rebuilt state");
    }

    /** Every baseline a client is sent is a snapshot it received earlier (over TCP: the newest written). */
    private static void assertBaselinesAreSnapshotsReceivedBefore(List<Snapshot> snapshots) {
        Set<Long> received = new HashSet<>();
        long newestBaseline = 0;
        for (Snapshot snapshot : snapshots) {
            long baseline = snapshot.getBaselineTick();
            if (baseline != 0) {
                assertTrue(received.contains(baseline), "baseline " + baseline + " of snapshot " + snapshot.getTick()
                        + " was received before");
                assertTrue(baseline >= newestBaseline, "baselines never decrease");
                newestBaseline = baseline;
            }
            received.add(snapshot.getTick());
        }
    }

    @Test
    void shouldWelcomeWithTheSchemaDerivedFromTheGamesProto() {
        try (TickwaveServer server = TickwaveServer.start(settings(), ReplicatedWalkerGame::new);
             TestClient client = TestClient.joined(server.port(), "ann")) {
            ReplicationSchema schema = client.awaitMessage(ServerMessage::hasWelcome).getWelcome().getReplicationSchema();
            assertEquals(List.of(1, 2, 3), schema.getTypesList().stream().map(type -> type.getTypeId()).toList());
            assertEquals(Walker.getDescriptor().getFullName(), schema.getTypes(0).getName());
            assertEquals(Walker.getDescriptor().getFields().size(), schema.getTypes(0).getFieldsCount());
        }
    }

    @Test
    void shouldRebuildEveryPlayersStateFromDeltasThatMatchTheStateHashes() throws Exception {
        try (TickwaveServer server = TickwaveServer.start(settings().withStateHashEvery(2), ReplicatedWalkerGame::new);
             TestClient ann = TestClient.joined(server.port(), "ann");
             TestClient bob = TestClient.joined(server.port(), "bob")) {
            int annId = ann.awaitMessage(ServerMessage::hasWelcome).getWelcome().getPlayerId();
            for (int seq = 1; seq <= 5; seq++) {
                ann.input(seq, 1, 0);
                bob.input(seq, 0, 1);
            }
            ann.awaitMessage(m -> m.hasSnapshot() && m.getSnapshot().getAckInputSeq() == 5);
            int matchedBefore = Math.max(ann.hashesMatched(), bob.hashesMatched());
            ann.awaitHashesMatched(matchedBefore + 10, WAIT);
            bob.awaitHashesMatched(matchedBefore + 10, WAIT);
            assertEquals(List.of(), ann.replicaProblems());
            assertEquals(List.of(), bob.replicaProblems());

            for (TestClient client : List.of(ann, bob)) {
                List<Snapshot> snapshots = snapshots(client);
                assertTrue(snapshots.stream().anyMatch(s -> s.getBaselineTick() != 0), "deltas were sent");
                assertTrue(snapshots.stream().anyMatch(s -> !s.hasStateHash()), "every second snapshot has no hash");
                assertTrue(snapshots.stream().anyMatch(Snapshot::hasStateHash), "every second snapshot has a hash");
                assertBaselinesAreSnapshotsReceivedBefore(snapshots);
            }
            // Both see ann's walker moving right; bob's own walker moves down.
            double annX = bob.withReplica(replica -> walkerX(replica, annId));
            assertTrue(annX > 0, "ann's walker moved right as bob sees it: " + annX);
            assertEquals(annX, ann.withReplica(replica -> walkerX(replica, annId)), 2.0,
                    "both rebuilt about the same position");
        }
    }

    @Test
    void shouldSendALateJoinerACompleteSnapshotThenDeltas() {
        try (TickwaveServer server = TickwaveServer.start(settings().withStateHashEvery(3), ReplicatedWalkerGame::new);
             TestClient early = TestClient.joined(server.port(), "early")) {
            early.input(1, 1, 1);
            early.awaitHashesMatched(3, WAIT);
            try (TestClient late = TestClient.joined(server.port(), "late")) {
                late.awaitHashesMatched(5, WAIT);
                List<Snapshot> snapshots = snapshots(late);
                assertEquals(0, snapshots.get(0).getBaselineTick(), "the first snapshot is complete");
                assertTrue(snapshots.stream().skip(1).anyMatch(s -> s.getBaselineTick() != 0), "then deltas");
                assertBaselinesAreSnapshotsReceivedBefore(snapshots);
                assertEquals(List.of(), late.replicaProblems());
                assertEquals(List.of(), early.replicaProblems());
            }
        }
    }

    @Test
    void shouldSendPrivateEventsToTheirPlayerOnlyAndBroadcastsToEveryoneInOrder() throws Exception {
        try (TickwaveServer server = TickwaveServer.start(settings(), ReplicatedWalkerGame::new);
             TestClient ann = TestClient.joined(server.port(), "ann");
             TestClient bob = TestClient.joined(server.port(), "bob")) {
            int annId = ann.awaitMessage(ServerMessage::hasWelcome).getWelcome().getPlayerId();
            int bobId = bob.awaitMessage(ServerMessage::hasWelcome).getWelcome().getPlayerId();
            for (int seq = 1; seq <= 5; seq++) {
                ann.input(seq, 0, 0, true);
            }
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (walkerEvents(ann.events()).stream().filter(e -> e.getToPlayer() != 0).count() < 6) {
                assertTrue(System.nanoTime() - deadline < 0, "ann got her 5 private events");
                Thread.sleep(10);
            }
            bob.awaitEvents(walkerEvents(bob.events()).size() + 5, WAIT); // a few more broadcasts

            List<WalkerEvent> annEvents = walkerEvents(ann.events());
            List<Integer> annPrivate = annEvents.stream().filter(e -> e.getToPlayer() != 0)
                    .map(WalkerEvent::getSequence).toList();
            assertEquals(List.of(0, 1, 2, 3, 4, 5), annPrivate, "the hello, then the five, in order, each once");
            assertTrue(annEvents.stream().allMatch(e -> e.getToPlayer() == 0 || e.getToPlayer() == annId));
            assertTrue(walkerEvents(bob.events()).stream()
                    .allMatch(e -> e.getToPlayer() == 0 || e.getToPlayer() == bobId), "bob gets no private event of ann's");
            for (TestClient client : List.of(ann, bob)) {
                assertConsecutive(walkerEvents(client.events()).stream().filter(e -> e.getToPlayer() == 0)
                        .map(WalkerEvent::getSequence).toList());
                List<Long> ticks = client.events().stream().map(GameEvent::getTick).toList();
                assertEquals(ticks.stream().sorted().toList(), ticks, "events arrive in tick order");
            }
        }
    }

    private static void assertConsecutive(List<Integer> sequences) {
        assertFalse(sequences.isEmpty(), "some broadcasts arrived");
        for (int i = 1; i < sequences.size(); i++) {
            assertEquals(sequences.get(i - 1) + 1, sequences.get(i), "broadcasts in order without gaps: " + sequences);
        }
    }

    @Test
    void shouldDeliverAnEventSentFromPlayerJoinedRightAfterTheWelcome() throws Exception {
        try (TickwaveServer server = TickwaveServer.start(settings(), ReplicatedWalkerGame::new);
             TestClient ann = TestClient.joined(server.port(), "ann")) {
            int annId = ann.awaitMessage(ServerMessage::hasWelcome).getWelcome().getPlayerId();
            ann.awaitEvents(1, WAIT);
            List<ServerMessage> received = ann.received();
            assertTrue(received.get(0).hasWelcome(), "the welcome comes first: " + received.get(0));
            assertTrue(received.get(1).hasEvent(), "then the hello: " + received.get(1));
            assertEquals(WalkerEvent.newBuilder().setSequence(0).setToPlayer(annId).build(),
                    WalkerEvent.parseFrom(received.get(1).getEvent().getPayload()));
        }
    }

    @Test
    void shouldDeliverEveryEventToAClientWhoseSnapshotsWereDroppedAsStaleAndResumeItsState() throws Exception {
        try (TickwaveServer server = TickwaveServer.start(settings().withSnapshotRate(60).withStateHashEvery(1)
                .withStallTimeoutMs(20_000), () -> new ReplicatedWalkerGame(500));
             TestClient slow = TestClient.joined(server.port(), "slow");
             TestClient reader = TestClient.joined(server.port(), "reader")) {
            slow.awaitHashesMatched(2, WAIT);
            slow.stopReading();
            long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
            while (server.metrics().staleSnapshotsDropped.get() < 30 && System.nanoTime() - deadline < 0) {
                reader.ping(System.nanoTime()); // the reader stays active, as a player would (a stuck client's
                                                // pongs would count against its unwritten frames)
                Thread.sleep(50);
            }
            assertTrue(server.metrics().staleSnapshotsDropped.get() >= 30, server.metricsText());
            int eventsWhileStuck = reader.events().size();
            slow.resumeReading();
            slow.awaitEvents(eventsWhileStuck + 3, WAIT);
            int matched = slow.hashesMatched();
            slow.awaitHashesMatched(matched + 5, WAIT);

            assertConsecutive(walkerEvents(slow.events()).stream().filter(e -> e.getToPlayer() == 0)
                    .map(WalkerEvent::getSequence).toList());
            assertEquals(List.of(), slow.replicaProblems());
            assertEquals(List.of(), reader.replicaProblems());
            assertBaselinesAreSnapshotsReceivedBefore(snapshots(slow));
            assertFalse(slow.isClosed(), "the slow client was not closed");
        }
    }

    @Test
    void shouldExposeTheReplicatorsCountersInMetrics() {
        try (TickwaveServer server = TickwaveServer.start(settings(), ReplicatedWalkerGame::new);
             TestClient ann = TestClient.joined(server.port(), "ann");
             TestClient bob = TestClient.joined(server.port(), "bob")) {
            ann.input(1, 1, 0);
            ann.awaitCount(ServerMessage::hasSnapshot, 20, WAIT);
            bob.awaitCount(ServerMessage::hasSnapshot, 20, WAIT);
            String text = server.metricsText();
            assertTrue(server.metrics().replicationEntitiesCreated.get() >= 4, text); // each sees 2 walkers and a clock
            assertTrue(server.metrics().replicationEntitiesUpdated.get() > 0, text);
            assertTrue(server.metrics().replicationEncodingsShared.get() > 0, "two viewers who see the same share: " + text);
            assertTrue(server.metrics().replicationStateBytes.get() > 0, text);
            assertTrue(text.contains("tickwave_replication_entities_sent_total{kind=\"created\"}"), text);
            assertTrue(text.contains("tickwave_replication_entities_skipped_total"), text);
            assertTrue(text.contains("tickwave_replication_encodings_shared_total"), text);
            assertTrue(text.contains("tickwave_replication_state_bytes_total"), text);
        }
    }

    @Test
    void shouldStillServeAGameThatWritesItsOwnCompleteSnapshots() throws Exception {
        try (TickwaveServer server = TickwaveServer.start(settings(), WalkerGame::new);
             TestClient client = TestClient.joined(server.port(), "ann")) {
            int playerId = client.awaitMessage(ServerMessage::hasWelcome).getWelcome().getPlayerId();
            assertFalse(client.awaitMessage(ServerMessage::hasWelcome).getWelcome().hasReplicationSchema());
            client.input(1, 1, 0);
            client.awaitCount(ServerMessage::hasSnapshot, 10, WAIT);
            for (Snapshot snapshot : snapshots(client)) {
                assertEquals(0, snapshot.getBaselineTick(), "complete");
                assertFalse(snapshot.hasStateHash());
                assertTrue(WalkerWorld.parseFrom(snapshot.getState()).getWalkersList().stream()
                        .anyMatch(walker -> walker.getPlayerId() == playerId));
            }
            assertEquals(0, server.metrics().replicationStateBytes.get());
        }
    }

    /** Calls {@code replicate} where it is not allowed, and records what it was told. */
    static final class MisplacedReplicateGame implements Game {
        static final List<String> OUTCOMES = new CopyOnWriteArrayList<>();
        private RoomContext room;

        @Override
        public void start(RoomContext room) {
            this.room = room;
            room.replicate(WalkerReplicated.getDescriptor());
            try {
                room.replicate(WalkerReplicated.getDescriptor());
                OUTCOMES.add("second call accepted");
            } catch (IllegalStateException e) {
                OUTCOMES.add("second call refused");
            }
        }

        @Override
        public void playerJoined(int playerId, String name) {
            try {
                room.replicate(WalkerReplicated.getDescriptor());
                OUTCOMES.add("late call accepted");
            } catch (IllegalStateException e) {
                OUTCOMES.add("late call refused");
            }
        }

        @Override
        public void playerLeft(int playerId) {
        }

        @Override
        public void input(int playerId, long seq, InputPayload payload) {
        }

        @Override
        public void tick(long tick) {
        }

        @Override
        public void stop() {
        }
    }

    @Test
    void shouldRefuseReplicateCalledTwiceOrAfterStart() {
        MisplacedReplicateGame.OUTCOMES.clear();
        try (TickwaveServer server = TickwaveServer.start(settings(), MisplacedReplicateGame::new);
             TestClient client = TestClient.joined(server.port(), "ann")) {
            client.awaitCount(ServerMessage::hasSnapshot, 2, WAIT);
            assertEquals(List.of("second call refused", "late call refused"), MisplacedReplicateGame.OUTCOMES);
            assertTrue(client.awaitMessage(ServerMessage::hasWelcome).getWelcome().hasReplicationSchema());
        }
    }
}
