package io.tickwave.replication;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ByteBudgetTest {
    private final Replicator replicator = new Replicator(TestWorld.SCHEMA);
    private final ReplicatedState state = replicator.state();
    private long tick;

    @Test
    void shouldKeepEverySnapshotWithinTheBudgetAndSendEveryChangeWithinABoundedNumberOfSnapshots() {
        int budget = 60;
        state.setByteBudget(budget);
        Random random = new Random(3);
        int[] ships = new int[80];
        for (int i = 0; i < ships.length; i++) {
            ships[i] = state.create(TestWorld.SHIP);
        }
        TestViewer viewer = new TestViewer(replicator, 1);
        // the full state takes many snapshots to arrive: each within the budget
        for (int round = 0; round < 40 && viewer.state.size() < ships.length; round++) {
            snapshot(viewer);
            assertTrue(viewer.lastLength <= budget, "snapshot of " + viewer.lastLength + " bytes");
        }
        assertEquals(ships.length, viewer.state.size(), "every ship arrived");

        // then every ship moves every snapshot: each change must reach the client within a bound
        Map<Integer, Integer> changedAt = new HashMap<>();
        int worstWait = 0;
        long skippedBefore = replicator.entitiesSkippedForBudget();
        for (int round = 0; round < 100; round++) {
            for (int ship : ships) {
                double x = random.nextDouble() * 2000;
                state.setFloat(ship, TestWorld.SHIP_X, x);
                changedAt.putIfAbsent(ship, round);
            }
            snapshot(viewer);
            assertTrue(viewer.lastLength <= budget, "snapshot of " + viewer.lastLength + " bytes");
            Map<Integer, int[]> expected = Views.server(replicator, 1);
            for (int ship : ships) {
                int[] server = expected.get(ship);
                int[] held = viewer.state.get(ship);
                int[] now = current(ship);
                if (held[1 + TestWorld.SHIP_X.index()] == now[TestWorld.SHIP_X.index()]) {
                    worstWait = Math.max(worstWait, round - changedAt.remove(ship));
                }
                assertTrue(java.util.Arrays.equals(server, held), "client holds the server's view of " + ship);
            }
        }
        assertTrue(replicator.entitiesSkippedForBudget() > skippedBefore, "the budget held updates back");
        for (int waitingSince : changedAt.values()) {
            worstWait = Math.max(worstWait, 99 - waitingSince);
        }
        // ~10 updates fit a snapshot, 80 ships change: about 8 snapshots a turn
        assertTrue(worstWait <= 16, "an entity waited " + worstWait + " snapshots");
    }

    @Test
    void shouldSendAnEntityLargerThanTheBudgetAloneRatherThanNever() {
        state.setByteBudget(3); // a ship's creation is ~10 bytes
        int first = state.create(TestWorld.SHIP);
        int second = state.create(TestWorld.SHIP);
        for (int ship : new int[] {first, second}) {
            state.setFloat(ship, TestWorld.SHIP_X, 1234.5);
            state.setInt(ship, TestWorld.SHIP_SCORE, -77777);
        }
        TestViewer viewer = new TestViewer(replicator, 1);
        snapshot(viewer);
        assertEquals(1, viewer.state.size(), "one oversized entity, alone");
        assertTrue(viewer.lastLength > 3);
        snapshot(viewer);
        assertEquals(2, viewer.state.size(), "then the other, held back once");
    }

    @Test
    void shouldPreferTheViewpointEntityAndHigherPriorityTypesWhenShort() {
        state.setByteBudget(8);
        int[] ships = new int[30];
        for (int i = 0; i < ships.length; i++) {
            ships[i] = state.create(TestWorld.SHIP);
        }
        int mine = ships[17];
        state.setViewpoint(1, mine);
        TestViewer viewer = new TestViewer(replicator, 1);
        snapshot(viewer);
        assertTrue(viewer.state.containsKey(mine), "the viewpoint entity first: " + viewer.state.keySet());
    }

    @Test
    void shouldSendEveryChangeOfTheViewpointEntityInItsOwnSnapshotHoweverLongOthersWaited() {
        state.setByteBudget(24); // a few updates a snapshot, for 40 ships that all move every time
        Random random = new Random(5);
        int[] ships = new int[40];
        for (int i = 0; i < ships.length; i++) {
            ships[i] = state.create(TestWorld.SHIP);
        }
        int mine = ships[23];
        state.setViewpoint(1, mine);
        TestViewer viewer = new TestViewer(replicator, 1);
        for (int round = 0; round < 40; round++) {
            snapshot(viewer); // the full state arrives over several snapshots
        }
        for (int round = 0; round < 60; round++) {
            for (int ship : ships) {
                state.setFloat(ship, TestWorld.SHIP_X, random.nextDouble() * 2000);
            }
            snapshot(viewer);
            int[] held = viewer.state.get(mine);
            assertEquals(current(mine)[TestWorld.SHIP_X.index()], held[1 + TestWorld.SHIP_X.index()],
                    "the viewpoint entity's change of round " + round + " arrived with it");
        }
        assertTrue(replicator.entitiesSkippedForBudget() > 0, "the budget held other updates back");
    }

    private int[] current(int ship) {
        ReplicatedWorld world = (ReplicatedWorld) state;
        int slot = world.slotOrMissing(ship);
        return java.util.Arrays.copyOfRange(world.current, slot * world.stride, slot * world.stride + world.stride);
    }

    private void snapshot(TestViewer viewer) {
        tick++;
        replicator.beginSnapshot(tick);
        viewer.receive(replicator, tick);
        replicator.endSnapshot();
    }
}
