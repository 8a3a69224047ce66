package io.tickwave.arena;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickwave.arena.protocol.ArenaInfo;
import io.tickwave.arena.sim.ArenaWorld;
import io.tickwave.arena.sim.Ship;
import io.tickwave.protocol.ClientMessage;
import io.tickwave.protocol.Join;
import io.tickwave.protocol.ServerMessage;
import io.tickwave.protocol.Snapshot;
import io.tickwave.protocol.Welcome;
import io.tickwave.replication.ReplicaClient;
import io.tickwave.replication.Schema;
import io.tickwave.server.testing.LoopHarness;
import io.tickwave.server.transport.memory.MemoryConnection;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The world mode's numbers hold with a full room: 1,000 players in the real server loop (in memory),
 * each sees between 50 and 100 others once the initial sync is through (about 57 here: fewer than the
 * 71 of the middle of the map, for those near an edge), exactly the ships within the view radius, and
 * no snapshot carries more state than the byte budget. Most of its time goes to the thousand joins,
 * each announced to everyone already in.
 */
class ArenaWorldModeTest {

    private static final int PLAYERS = 1000;
    /** Players whose state is rebuilt and checked; the others only play. */
    private static final int WATCHED = 24;

    @Test
    void shouldShowEachOfAThousandPlayersTheirNeighboursWithinTheBudget() throws Exception {
        ArenaGame[] game = new ArenaGame[1];
        try (LoopHarness server = new LoopHarness(ArenaRoom.settings().withRoomCapacity(PLAYERS),
                () -> game[0] = new ArenaGame(ArenaMode.WORLD))) {
            List<MemoryConnection> watched = new ArrayList<>();
            for (int i = 0; i < PLAYERS; i++) {
                MemoryConnection c = server.connect();
                if (i % (PLAYERS / WATCHED) == 0 && watched.size() < WATCHED) {
                    watched.add(c);
                } else {
                    c.discardMessages();
                }
                c.send(ClientMessage.newBuilder()
                        .setJoin(Join.newBuilder().setName("w" + i).setProtocolVersion(2)).build());
                if (i % 100 == 99) {
                    server.runTicks(1);
                }
            }
            // The initial sync: the ships around and, once the leaderboard has been computed (once a
            // second), the ten leaders' score lines and one's own.
            server.runTicks(70); // over a second at 60 Hz
            server.flushOutbound();
            ArenaWorld world = game[0].world();
            assertEquals(PLAYERS, world.shipCount());

            int budget = ArenaMode.byteBudget(30);
            long othersSeen = 0;
            for (MemoryConnection c : watched) {
                ReplicaClient replica = null;
                Welcome welcome = null;
                for (ServerMessage m : c.received()) {
                    if (m.hasWelcome()) {
                        welcome = m.getWelcome();
                        replica = new ReplicaClient(Schema.fromMessage(welcome.getReplicationSchema()));
                    } else if (m.hasSnapshot()) {
                        Snapshot s = m.getSnapshot();
                        assertTrue(s.getState().size() <= budget, "snapshot " + s.getTick() + " holds "
                                + s.getState().size() + " bytes of state, over the budget of " + budget);
                        byte[] state = s.getState().toByteArray();
                        replica.apply(s.getTick(), s.getBaselineTick(), state, 0, state.length);
                    }
                }
                ArenaView view = ArenaView.of(replica, ArenaInfo.parseFrom(welcome.getGameInfo()).getBulletSpeed());
                Ship own = world.ship(welcome.getPlayerId());
                List<Integer> seen = view.getShipsList().stream().map(io.tickwave.arena.protocol.Ship::getPlayerId).toList();
                for (int i = 0; i < world.shipCount(); i++) {
                    Ship s = world.shipAt(i);
                    double distance = Math.hypot(s.x() - own.x(), s.y() - own.y());
                    // A unit of slack either side of the radius: positions are quantized.
                    if (distance <= 1199) {
                        assertTrue(seen.contains(s.playerId()), "player " + welcome.getPlayerId() + " holds the ship "
                                + distance + " units away");
                    } else if (distance > 1201) {
                        assertTrue(!seen.contains(s.playerId()), "player " + welcome.getPlayerId()
                                + " is not sent the ship " + distance + " units away");
                    }
                }
                // Nobody has scored: the leaders are the ten lowest ids (fewest deaths, then lowest id).
                java.util.Set<Integer> lines = new java.util.HashSet<>();
                view.getScoresList().forEach(line -> lines.add(line.getPlayerId()));
                java.util.Set<Integer> expected = new java.util.HashSet<>();
                java.util.List<Integer> ids = new java.util.ArrayList<>();
                for (int i = 0; i < world.shipCount(); i++) {
                    ids.add(world.shipAt(i).playerId());
                }
                ids.stream().sorted().limit(ArenaGame.LEADERBOARD_ROWS).forEach(expected::add);
                expected.add(welcome.getPlayerId());
                assertEquals(expected, lines, "the leaders' score lines and one's own, no others");
                othersSeen += seen.size() - 1;
            }
            double average = (double) othersSeen / watched.size();
            assertTrue(average >= 50 && average <= 100, "on average each sees " + average + " others");
        }
    }
}
