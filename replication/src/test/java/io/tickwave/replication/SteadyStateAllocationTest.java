package io.tickwave.replication;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickwave.replication.testproto.ReplicationTest;
import io.tickwave.replication.testproto.Ship;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/** Decoding (and writing) snapshots of a steady size allocates nothing once the arrays have grown. */
class SteadyStateAllocationTest {

    @Test
    void shouldApplySteadySnapshotsWithoutAllocating() {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        Schema schema = Schema.fromFile(ReplicationTest.getDescriptor());
        EntityType ship = schema.type(Ship.getDescriptor());
        int[] a = {1, 100, 200, 1020, 1, 5};
        int[] b = {1, 103, 190, 4, 0, -5};
        StateWriter full = new StateWriter(schema);
        StateWriter forward = new StateWriter(schema);
        StateWriter back = new StateWriter(schema);
        for (int id = 1; id <= 200; id++) {
            full.create(id, ship, a);
            forward.update(id, ship, a, b);
            back.update(id, ship, b, a);
        }
        byte[] fullBytes = full.toBytes();
        byte[] forwardBytes = forward.toBytes();
        byte[] backBytes = back.toBytes();
        ReplicaClient client = new ReplicaClient(schema);
        client.apply(1, 0, fullBytes, 0, fullBytes.length);
        BitWriter out = new BitWriter(16);
        Field x = ship.fieldAt(1);

        long tick = 1;
        int hashes = 0;
        long before = 0;
        for (int round = 0; round < 2; round++) { // the first round grows the arrays and warms up
            before = threads.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < 1000; i++) {
                tick++;
                byte[] bytes = (tick & 1) == 0 ? forwardBytes : backBytes;
                client.apply(tick, tick - 1, bytes, 0, bytes.length);
                hashes += client.stateHash();
                out.reset();
                for (int id = 0; id < 200; id++) {
                    out.writeGamma(id);
                    FieldCodec.writeDelta(out, x, 100, 100 + id);
                }
            }
        }
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;

        assertEquals(200, client.entityCount());
        assertEquals((tick & 1) == 0 ? b[1] : a[1], client.q(7, 1), "tick " + tick);
        assertTrue(allocated < 1024, allocated + " bytes allocated over 1000 snapshots (hash sum " + hashes + ")");
    }
}
