package io.tickwave.replication;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class InterestTest {
    private final Replicator replicator = new Replicator(TestWorld.SCHEMA);
    private final ReplicatedState state = replicator.state();
    private long tick;

    private int ship(double x, double y) {
        int id = state.create(TestWorld.SHIP);
        state.setFloat(id, TestWorld.SHIP_X, x);
        state.setFloat(id, TestWorld.SHIP_Y, y);
        return id;
    }

    private void snapshot(TestViewer... viewers) {
        tick++;
        replicator.beginSnapshot(tick);
        for (TestViewer viewer : viewers) {
            viewer.receive(replicator, tick);
        }
        replicator.endSnapshot();
    }

    @Test
    void shouldSendEntitiesThatEnterViewAndRemoveThoseThatLeaveAsTheViewpointMoves() {
        state.setInterest(50, 100);
        int near = ship(100, 100);
        int far = ship(500, 100);
        int clock = state.create(TestWorld.CLOCK);
        TestViewer viewer = new TestViewer(replicator, 1);
        state.setViewpoint(1, 100, 100);
        snapshot(viewer);
        assertEquals(List.of(near, clock), new ArrayList<>(viewer.state.keySet()), "around (100, 100)");

        state.setViewpoint(1, 450, 100);
        snapshot(viewer);
        assertEquals(List.of(far, clock), new ArrayList<>(viewer.state.keySet()), "around (450, 100)");

        int follower = ship(440, 100);
        state.setViewpoint(1, follower);
        snapshot(viewer);
        assertEquals(List.of(far, clock, follower), new ArrayList<>(viewer.state.keySet()), "around its own ship");

        state.setFloat(follower, TestWorld.SHIP_X, 150); // flies back: the viewpoint follows it
        snapshot(viewer);
        assertEquals(List.of(near, clock, follower), new ArrayList<>(viewer.state.keySet()), "after flying back");
        assertEquals(150.0, viewer.value(follower, TestWorld.SHIP_X));

        state.clearViewpoint(1);
        snapshot(viewer);
        assertEquals(List.of(clock), new ArrayList<>(viewer.state.keySet()), "no viewpoint: only global state");
    }

    @Test
    void shouldNeverSendAnEntityOutsideTheRadiusOrOneVisibleOnlyToAnotherPlayer() {
        double radius = 120;
        state.setInterest(40, radius);
        Random random = new Random(7);
        List<Integer> ships = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            int id = ship(random.nextDouble() * 1000, random.nextDouble() * 1000);
            ships.add(id);
            if (random.nextInt(5) == 0) {
                state.setOnlyVisibleTo(id, 1 + random.nextInt(3));
            }
        }
        TestViewer[] viewers = {new TestViewer(replicator, 1), new TestViewer(replicator, 2), new TestViewer(replicator, 3)};
        double[][] views = new double[4][2];
        int seenPrivateOwn = 0;
        for (int round = 0; round < 40; round++) {
            for (int p = 1; p <= 3; p++) {
                views[p][0] = random.nextDouble() * 1000;
                views[p][1] = random.nextDouble() * 1000;
                state.setViewpoint(p, views[p][0], views[p][1]);
            }
            for (int id : ships) {
                if (random.nextInt(3) == 0) {
                    state.setFloat(id, TestWorld.SHIP_X, random.nextDouble() * 1000);
                }
            }
            snapshot(viewers);
            for (TestViewer viewer : viewers) {
                int p = viewer.playerId;
                for (Map.Entry<Integer, int[]> held : viewer.state.entrySet()) {
                    double x = viewer.value(held.getKey(), TestWorld.SHIP_X);
                    double y = viewer.value(held.getKey(), TestWorld.SHIP_Y);
                    double d = Math.hypot(x - views[p][0], y - views[p][1]);
                    assertTrue(d <= radius + 0.1, "player " + p + " holds entity " + held.getKey() + " at distance " + d);
                }
                TreeMap<Integer, int[]> expected = Views.server(replicator, p);
                assertTrue(Views.same(expected, viewer.state), "client and server view of player " + p);
            }
            // the privacy check: each viewer holds none of another player's private entities
            for (TestViewer viewer : viewers) {
                for (int id : viewer.state.keySet()) {
                    int owner = onlyVisibleTo(id);
                    assertTrue(owner == 0 || owner == viewer.playerId,
                            "player " + viewer.playerId + " holds entity " + id + " private to " + owner);
                    if (owner == viewer.playerId) {
                        seenPrivateOwn++;
                    }
                }
            }
        }
        assertTrue(seenPrivateOwn > 0, "a viewer should see its own private entities");
        state.setInterest(40, 1e6); // everything in range: all ships but others' private ones
        state.setByteBudget(100_000);
        snapshot(viewers);
        for (TestViewer viewer : viewers) {
            for (int id : ships) {
                int owner = onlyVisibleTo(id);
                assertEquals(owner == 0 || owner == viewer.playerId, viewer.state.containsKey(id),
                        "player " + viewer.playerId + ", entity " + id + " private to " + owner);
            }
        }
    }

    @Test
    void shouldSendPrivateEntitiesOnlyToTheirPlayerWithoutInterest() {
        int secret = state.create(TestWorld.CLOCK);
        int open = state.create(TestWorld.CLOCK);
        state.setOnlyVisibleTo(secret, 2);
        TestViewer one = new TestViewer(replicator, 1);
        TestViewer two = new TestViewer(replicator, 2);
        snapshot(one, two);
        assertFalse(one.state.containsKey(secret));
        assertTrue(one.state.containsKey(open));
        assertTrue(two.state.containsKey(secret));
        state.setOnlyVisibleTo(secret, 0);
        snapshot(one, two);
        assertTrue(one.state.containsKey(secret), "public again");
    }

    private int onlyVisibleTo(int entity) {
        ReplicatedWorld world = (ReplicatedWorld) state;
        return world.slotVisibleTo[world.slotOrMissing(entity)];
    }
}
