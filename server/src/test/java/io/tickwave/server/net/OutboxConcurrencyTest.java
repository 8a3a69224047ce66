package io.tickwave.server.net;

import org.junit.jupiter.api.Test;

import java.util.ArrayDeque;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The loop and an IO thread really in parallel: the loop publishes snapshots as fast as it can, the IO
 * thread takes them as {@link ClientConnection} does (one snapshot in flight at a time), keeps each in
 * flight for a while and recycles it. No frame may be lost to the accounting, none reused while in
 * flight, snapshots only go forward, and the newest always arrives.
 */
class OutboxConcurrencyTest {

    private static final int SNAPSHOTS = 200_000;

    /** Stands in for a connection: the IO side of the outbox, run by the batch on the IO thread. */
    private static final class FakeIoSide {
        final Outbox outbox = new Outbox(64);
        final ArrayDeque<SnapshotFrame> inFlight = new ArrayDeque<>();
        final AtomicLong newestSent = new AtomicLong();
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        long sends;

        void drain() {
            outbox.releaseDrain();
            try {
                // A slow network: two drains in three find the snapshot in flight still unwritten.
                if (!inFlight.isEmpty()) {
                    if (++sends % 3 != 0) {
                        return;
                    }
                    outbox.recycle(inFlight.poll());
                }
                SnapshotFrame frame = outbox.takeSnapshot();
                if (frame != null) {
                    long tick = frame.prefixBuffer().getLong(SnapshotFrame.PREFIX_START);
                    assertTrue(tick > newestSent.get(), "snapshots go forward: " + tick);
                    newestSent.set(tick);
                    inFlight.add(frame);
                }
            } catch (Throwable e) {
                failure.compareAndSet(null, e);
            }
        }
    }

    @Test
    void shouldNeverRunOutOfFramesAndAlwaysDeliverTheNewestSnapshot() throws Exception {
        ExecutorService ioThread = Executors.newSingleThreadExecutor();
        FakeIoSide io = new FakeIoSide();
        try {
            Runnable drainTask = io::drain;
            for (long tick = 1; tick <= SNAPSHOTS; tick++) {
                SnapshotFrame frame = io.outbox.frameToFill(); // throws if the three frames were mis-counted
                frame.prefixBuffer().putLong(SnapshotFrame.PREFIX_START, tick);
                frame.set(tick, Long.BYTES, null);
                io.outbox.publishSnapshot();
                if (io.outbox.claimDrain()) {
                    ioThread.execute(drainTask);
                }
            }
            // Keep draining until the newest is out.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (io.newestSent.get() != SNAPSHOTS && System.nanoTime() - deadline < 0) {
                if (io.outbox.claimDrain()) {
                    ioThread.execute(drainTask);
                }
                Thread.sleep(1);
            }
            assertNull(io.failure.get());
            assertEquals(SNAPSHOTS, io.newestSent.get());
        } finally {
            ioThread.shutdownNow();
        }
    }
}
