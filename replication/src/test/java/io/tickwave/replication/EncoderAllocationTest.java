package io.tickwave.replication;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** An allocation check, not a timing one: encoding in steady state must not allocate. */
class EncoderAllocationTest {
    private static final int VIEWERS = 20;
    private final Replicator replicator = new Replicator(TestWorld.SCHEMA);
    private final ReplicatedState state = replicator.state();
    private final Random random = new Random(5);
    private final int[] ships = new int[120];
    private final long[] baseline = new long[VIEWERS + 1];
    private long tick;

    @Test
    void shouldEncodeWithoutAllocatingOnceWarm() {
        state.setInterest(100, 150);
        state.create(TestWorld.CLOCK);
        for (int i = 0; i < ships.length; i++) {
            ships[i] = state.create(TestWorld.SHIP);
            state.setFloat(ships[i], TestWorld.SHIP_X, random.nextDouble() * 1000);
            state.setFloat(ships[i], TestWorld.SHIP_Y, random.nextDouble() * 1000);
            if (i % 10 == 0) {
                state.setOnlyVisibleTo(ships[i], 1 + i % VIEWERS);
            }
        }
        for (int p = 1; p <= VIEWERS; p++) {
            replicator.addViewer(p);
            state.setViewpoint(p, ships[p * 3]);
        }
        assertAllocationFree("interest, default budget");
        state.setByteBudget(40);
        assertAllocationFree("interest, a budget too small for the changes");
        state.setInterest(100, 1e9);
        state.setByteBudget(100_000);
        assertAllocationFree("everyone sees everything: shared encodings");
    }

    private void assertAllocationFree(String what) {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        run(250); // warm up: arrays and pools grow to size, the JIT settles
        int snapshots = 200;
        long before = threads.getCurrentThreadAllocatedBytes();
        run(snapshots);
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertTrue(allocated / snapshots < 64, what + ": " + allocated + " bytes over " + snapshots + " snapshots");
    }

    private void run(int snapshots) {
        for (int s = 0; s < snapshots; s++) {
            for (int i = 0; i < ships.length; i++) {
                int ship = ships[i];
                if (random.nextInt(4) != 0) {
                    state.setFloat(ship, TestWorld.SHIP_X, random.nextDouble() * 1000);
                    state.setFloat(ship, TestWorld.SHIP_AIM, random.nextDouble() * 6);
                }
            }
            tick++;
            replicator.beginSnapshot(tick);
            for (int p = 1; p <= VIEWERS; p++) {
                replicator.encode(p, baseline[p], s % 30 == 0);
                baseline[p] = tick;
            }
            replicator.endSnapshot();
        }
    }
}
