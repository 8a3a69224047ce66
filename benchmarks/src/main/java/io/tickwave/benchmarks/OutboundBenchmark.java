package io.tickwave.benchmarks;

import io.tickwave.protocol.ClientMessage;
import io.tickwave.protocol.Join;
import io.tickwave.server.ServerSettings;
import io.tickwave.server.loop.SnapshotEncoder;
import io.tickwave.server.net.Outbox;
import io.tickwave.server.net.SharedState;
import io.tickwave.server.net.SharedStatePool;
import io.tickwave.server.testgame.WalkerGame;
import io.tickwave.server.testing.LoopHarness;
import io.tickwave.server.transport.memory.MemoryConnection;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * One snapshot sent to one client, per operation: the state shared by all {@value #CLIENTS} clients is
 * copied once per snapshot into a pooled buffer; per client the envelope prefix is encoded into its
 * frame, the frame is published to its outbox, and the connection drains it: its WebSocket header is
 * written, and prefix and shared state go to the in-memory transport as one gather, which copies them
 * out and parses the frame as a client would (standing in for the kernel's copy in {@code writev}). With
 * {@code -prof gc} it should show no allocation per snapshot.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED")
public class OutboundBenchmark {

    static final int CLIENTS = 100;
    private static final int STATE_BYTES = 1_000;

    private LoopHarness harness;
    private final SharedStatePool pool = new SharedStatePool(16, 1);
    private MemoryConnection[] clients;
    private byte[] state;
    private long tick;

    @Setup(Level.Trial)
    public void setUp() {
        harness = new LoopHarness(ServerSettings.defaults().withRoomCapacity(CLIENTS), WalkerGame::new);
        clients = new MemoryConnection[CLIENTS];
        for (int i = 0; i < CLIENTS; i++) {
            clients[i] = harness.connect();
            clients[i].discardMessages();
            clients[i].send(ClientMessage.newBuilder().setJoin(Join.newBuilder().setName("p" + i)
                    .setProtocolVersion(2)).build());
        }
        harness.runDutyCycle();
        state = new byte[STATE_BYTES];
        new Random(7).nextBytes(state);
    }

    @Benchmark
    @OperationsPerInvocation(CLIENTS)
    public long snapshotSentToOneClient() {
        tick++;
        SharedState shared = pool.take(state, 0, state.length);
        for (MemoryConnection client : clients) {
            Outbox outbox = client.outbox();
            SnapshotEncoder.encodeFrame(outbox.frameToFill(), tick, tick - 2, shared);
            outbox.publishSnapshot();
            client.requestDrain();
        }
        shared.release();
        return clients[CLIENTS - 1].bytesReceived();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        harness.close();
    }
}
