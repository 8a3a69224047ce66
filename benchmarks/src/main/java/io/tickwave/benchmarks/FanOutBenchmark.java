package io.tickwave.benchmarks;

import io.tickwave.server.net.Outbox;
import io.tickwave.server.net.SharedState;
import io.tickwave.server.net.SharedStatePool;
import io.tickwave.server.net.SnapshotFrame;
import io.tickwave.server.loop.SnapshotEncoder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * Fan-out of one shared snapshot state to {@code clients} outboxes, without a game: the state is copied
 * once into a pooled shared buffer, then per client the envelope prefix (tick, ack, state length) is
 * written into the client's frame, which takes a reference to the shared bytes, is published to its
 * pending slot, and is taken and recycled as an IO thread would after a send. The loop-side and
 * IO-side cost per snapshot, minus the socket write itself.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED")
public class FanOutBenchmark {

    @Param({"10", "100", "1000"})
    public int clients;

    @Param({"1000"})
    public int stateBytes;

    private Outbox[] outboxes;
    private final SharedStatePool pool = new SharedStatePool(16, 1);
    private byte[] state;
    private long tick;

    @Setup(Level.Trial)
    public void setUp() {
        outboxes = new Outbox[clients];
        for (int i = 0; i < clients; i++) {
            outboxes[i] = new Outbox(256);
        }
        state = new byte[stateBytes];
        new Random(7).nextBytes(state);
    }

    @Benchmark
    public long fanOutOneSnapshot() {
        tick++;
        long bytes = 0;
        SharedState shared = pool.take(state, 0, state.length);
        for (int i = 0; i < clients; i++) {
            Outbox outbox = outboxes[i];
            SnapshotFrame frame = outbox.frameToFill();
            bytes += SnapshotEncoder.encodeFrame(frame, tick, tick - 2, shared);
            outbox.publishSnapshot();
            SnapshotFrame sent = outbox.takeSnapshot();
            bytes += sent.messageLength();
            outbox.recycle(sent);
        }
        shared.release();
        return bytes;
    }
}
