package io.tickwave.benchmarks;

import io.tickwave.arena.protocol.ArenaInput;
import io.tickwave.protocol.ClientMessage;
import io.tickwave.protocol.Input;
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
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

/**
 * One input frame from bytes to the game: the hand-written decode and validation (the IO thread's
 * work), {@code tryPublishEvent} with the payload copied into the ring slot, then the loop's poll and
 * {@code Game.input} (the ring hop). Runs on one thread, so the figure is the sum of both sides' CPU
 * cost per input; with {@code -prof gc} it should show no allocation per input.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED")
public class InboundBenchmark {

    private LoopHarness harness;
    private MemoryConnection client;
    private ByteBuffer[] frames;
    private int next;

    @Setup(Level.Trial)
    public void setUp() {
        harness = new LoopHarness(ServerSettings.defaults().withMaxMessagesPerSecond(1_000_000_000), WalkerGame::new);
        client = harness.connect();
        client.discardMessages();
        client.send(ClientMessage.newBuilder().setJoin(Join.newBuilder().setName("bench").setProtocolVersion(2)).build());
        harness.runDutyCycle();
        // Inputs must carry increasing seqs; prepare enough distinct frames for a long run.
        frames = new ByteBuffer[1 << 16];
        for (int i = 0; i < frames.length; i++) {
            frames[i] = ByteBuffer.wrap(frame(i + 1));
        }
    }

    private static byte[] frame(int seq) {
        ArenaInput input = ArenaInput.newBuilder().setMoveX(seq % 3 - 1).setMoveY(1).setAim(1.5f).setFire(true).build();
        return ClientMessage.newBuilder().setInput(Input.newBuilder().setSeq(seq).setPayload(input.toByteString()))
                .build().toByteArray();
    }

    @Benchmark
    public long decodePublishAndPoll() {
        if (next == frames.length) {
            // Seqs must keep increasing: start a fresh connection rather than reuse old seqs.
            client = harness.connect();
            client.discardMessages();
            client.send(ClientMessage.newBuilder().setJoin(Join.newBuilder().setName("bench").setProtocolVersion(2))
                    .build());
            next = 0;
        }
        ByteBuffer frame = frames[next++];
        frame.rewind();
        client.sendFrame(frame);
        harness.runDutyCycle();
        return harness.metrics().inputsApplied.get();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        harness.close();
    }
}
