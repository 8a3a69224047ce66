package io.tickwave.arena;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.CodedOutputStream;
import io.tickwave.arena.sim.ArenaMap;
import io.tickwave.arena.sim.ArenaRules;
import io.tickwave.arena.sim.ArenaWorld;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** The steady state of a busy room — ticks and snapshot writes — allocates (next to) nothing. */
class ArenaAllocationTest {

    private static final double TICK = 1.0 / 60;

    @Test
    void shouldNotAllocateWhileTickingAndWritingSnapshots() throws IOException {
        java.lang.management.ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        Assumptions.assumeTrue(bean instanceof com.sun.management.ThreadMXBean,
                "needs HotSpot's per-thread allocation counter");
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) bean;
        ArenaWorld world = new ArenaWorld(ArenaRules.standard(), ArenaMap.standard(), 4);
        for (int id = 1; id <= 20; id++) {
            world.addPlayer(id);
            world.applyInput(id, 0, 0, id * 0.3, true); // everybody keeps firing: bullets fly, hit walls and ships
        }
        byte[] buffer = new byte[16 << 20];
        CodedOutputStream warmOut = CodedOutputStream.newInstance(buffer);
        for (int i = 0; i < 3000; i++) {
            world.step(TICK);
            if (i % 2 == 0) {
                ArenaStateWriter.write(world, warmOut);
            }
        }
        CodedOutputStream out = CodedOutputStream.newInstance(buffer);

        long before = threads.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < 3000; i++) {
            world.step(TICK);
            if (i % 2 == 0) {
                ArenaStateWriter.write(world, out);
            }
        }
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;

        assertTrue(world.bulletCount() > 0, "the measured ticks had bullets to move");
        assertTrue(allocated < 64 * 1024, "3000 ticks and 1500 snapshots allocated " + allocated + " bytes");
    }
}
