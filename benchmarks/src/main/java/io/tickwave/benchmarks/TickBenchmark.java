package io.tickwave.benchmarks;

import io.tickwave.protocol.ClientMessage;
import io.tickwave.protocol.Join;
import io.tickwave.server.ServerSettings;
import io.tickwave.server.testgame.WalkerGame;
import io.tickwave.server.testing.LoopHarness;
import io.tickwave.server.transport.memory.MemoryConnection;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * One tick of a room of {@code players} walkers with a snapshot on every tick: the game step, the
 * game's state encoded once (all walkers see everything), and one envelope per player written into
 * its outbox and handed to its (in-memory) connection. This is the game-loop thread's whole work per
 * snapshot tick; run with {@code -prof gc} to see its allocation per tick.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED")
public class TickBenchmark {

    @Param({"10", "100", "500"})
    public int players;

    private LoopHarness harness;

    @Setup(Level.Trial)
    public void setUp() {
        harness = new LoopHarness(ServerSettings.defaults().withTickRate(60).withSnapshotRate(60)
                .withRoomCapacity(players), WalkerGame::new);
        for (int i = 0; i < players; i++) {
            MemoryConnection client = harness.connect();
            client.discardMessages();
            client.send(ClientMessage.newBuilder().setJoin(Join.newBuilder().setName("p" + i).setProtocolVersion(2))
                    .build());
        }
        harness.runTicks(10);
    }

    @Benchmark
    public long tickWithSnapshots() {
        harness.runTicks(1);
        return harness.metrics().snapshotsSent.get();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        harness.close();
    }
}
