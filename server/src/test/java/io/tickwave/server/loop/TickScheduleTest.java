package io.tickwave.server.loop;

import com.lmax.disruptor.BusySpinWaitStrategy;
import com.lmax.disruptor.RingBuffer;
import io.tickwave.protocol.ClientMessage;
import io.tickwave.protocol.Input;
import io.tickwave.protocol.Join;
import io.tickwave.server.ServerSettings;
import io.tickwave.server.metrics.ServerMetrics;
import io.tickwave.server.net.InboundGateway;
import io.tickwave.server.testgame.RecordingGame;
import io.tickwave.server.testgame.protocol.WalkerInput;
import io.tickwave.server.transport.memory.MemoryConnection;
import io.tickwave.server.transport.memory.MemoryTransport;
import org.agrona.concurrent.NanoClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The loop as its runner drives it ({@code doWork}, then the idle strategy, again and again) on a
 * simulated clock: every clock read costs 1 µs, as a duty cycle costs time, and a park moves the clock
 * by what was asked plus {@value #PARK_OVERSHOOT_NS} ns, as Linux timer slack does. Inbound frames
 * arrive while the loop is parked, as they do from IO threads. Everything is deterministic.
 */
class TickScheduleTest {

    private static final long PARK_OVERSHOOT_NS = 70_000;
    private static final long CLOCK_READ_NS = 1_000;
    private static final ServerSettings SETTINGS = ServerSettings.defaults().withTickRate(30).withSnapshotRate(30)
            .withRingSize(1024).withMaxMessagesPerSecond(1_000_000);

    private long nowNs = 1_000_000_000L;
    private int parks;
    private int maxWorkPerCycle;
    private Runnable whileParked = () -> { };
    private final List<String> gameLog = new ArrayList<>();
    private final NanoClock clock = () -> nowNs += CLOCK_READ_NS;
    private final ServerMetrics metrics = new ServerMetrics();
    private final ProblemReporter problems = new ProblemReporter();
    private GameLoopAgent loop;
    private TickDeadlineIdleStrategy idle;
    private MemoryTransport transport;

    @BeforeEach
    void startLoop() {
        RingBuffer<RingEvent> ring = RingBuffer.createMultiProducer(
                () -> new RingEvent(SETTINGS.maxInputBytes()), SETTINGS.ringSize(), new BusySpinWaitStrategy());
        InboundGateway gateway = new InboundGateway(ring, SETTINGS, metrics);
        transport = new MemoryTransport(SETTINGS, metrics, problems, gateway, clock);
        loop = new GameLoopAgent(SETTINGS, () -> new RecordingGame(gameLog), ring, gateway.deferredLeaves(), metrics,
                problems, clock, transport::flushOutbound);
        idle = new TickDeadlineIdleStrategy(clock, loop::nextTickDeadlineNs,
                TickDeadlineIdleStrategy.DEFAULT_SPIN_BEFORE_DEADLINE_NS, parkNs -> {
                    parks++;
                    nowNs += parkNs + PARK_OVERSHOOT_NS;
                    whileParked.run();
                });
        loop.onStart();
    }

    @AfterEach
    void stopLoop() {
        loop.onClose();
        problems.close();
    }

    /**
     * Runs duty cycles as an AgentRunner would ({@code doWork}, then idle), until {@code count} more
     * ticks have run; stops right after the last one, before the loop parks again.
     */
    private void runTicks(long count) throws Exception {
        long target = metrics.ticks.get() + count;
        while (true) {
            int work = loop.doWork();
            maxWorkPerCycle = Math.max(maxWorkPerCycle, work);
            if (metrics.ticks.get() == target) {
                return;
            }
            idle.idle(work);
        }
    }

    private MemoryConnection joinedClient() throws Exception {
        MemoryConnection client = transport.connect();
        client.send(ClientMessage.newBuilder().setJoin(Join.newBuilder().setName("ann").setProtocolVersion(2)).build());
        runTicks(1);
        assertEquals(1, metrics.players.get(), "joined at the first tick");
        return client;
    }

    private static void input(MemoryConnection client, long seq) {
        client.send(ClientMessage.newBuilder().setInput(Input.newBuilder().setSeq((int) seq)
                .setPayload(WalkerInput.newBuilder().setMoveX(1).build().toByteString())).build());
    }

    private List<Long> inputSeqsSeenByGame() {
        return gameLog.stream().filter(line -> line.startsWith("input ")).map(line -> Long.parseLong(line.split(" ")[2]))
                .toList();
    }

    /** Asserts that {@code ticks} ticks took {@code ticks} intervals, give or take the spin margin. */
    private void assertOnSchedule(long startNs, long ticks) {
        long lateByNs = nowNs - startNs - ticks * SETTINGS.tickIntervalNs();
        assertTrue(Math.abs(lateByNs) <= TickDeadlineIdleStrategy.DEFAULT_SPIN_BEFORE_DEADLINE_NS,
                ticks + " ticks off their schedule by " + lateByNs + " ns");
        assertEquals(0, metrics.tickOverruns.get());
    }

    @Test
    void shouldTickOnEveryDeadlineWithOneParkPerTickAndNoOverrunsWithoutTraffic() throws Exception {
        long startNs = nowNs;
        runTicks(300);

        assertOnSchedule(startNs, 300);
        assertEquals(300, parks, "the loop sleeps once per tick, not in steps");
        // Parking 200 µs short and spinning absorbs the 70 µs timer overshoot: ticks start on the deadline.
        long maxLatenessNs = metrics.tickLatenessNs.getIntervalHistogram().getMaxValue();
        assertTrue(maxLatenessNs <= 5 * CLOCK_READ_NS, "max tick lateness " + maxLatenessNs + " ns");
    }

    @Test
    void shouldStayOnScheduleAndWakeOnlyForTicksWhileInputsStreamIn() throws Exception {
        MemoryConnection client = joinedClient();
        long[] seq = {0};
        whileParked = () -> {
            for (int i = 0; i < 50; i++) {
                input(client, ++seq[0]);
            }
        };
        int parksBefore = parks;
        long startNs = nowNs;
        runTicks(90);

        assertOnSchedule(startNs, 90);
        assertEquals(90, parks - parksBefore, "50 inputs per tick cost no extra wake-ups");
        assertEquals(LongStream.rangeClosed(1, 90 * 50).boxed().toList(), inputSeqsSeenByGame(),
                "every input applied, in order");
    }

    @Test
    void shouldTickOnTimeWithABoundedDrainAndDrainTheRestOfAFloodBeforeTheNextDeadline() throws Exception {
        MemoryConnection client = joinedClient();
        int bound = SETTINGS.ringSize() / 4;
        whileParked = () -> {
            for (int seq = 1; seq <= 1_000; seq++) {
                input(client, seq);
            }
            whileParked = () -> { };
        };
        long startNs = nowNs;
        runTicks(1);
        assertEquals(bound, metrics.inputsApplied.get(), "the tick ran after one bounded batch, not after the flood");
        runTicks(1);

        assertOnSchedule(startNs, 2);
        assertTrue(maxWorkPerCycle <= bound + 1, "at most " + bound + " events and a tick per cycle: " + maxWorkPerCycle);
        List<String> inputsAndTicks = gameLog.stream().filter(line -> !line.startsWith("joined")).toList();
        assertEquals("tick", inputsAndTicks.get(inputsAndTicks.size() - 1).split(" ")[0]);
        assertEquals("input 1 1000", inputsAndTicks.get(inputsAndTicks.size() - 2),
                "the rest of the flood went in before the next tick");
        assertEquals(LongStream.rangeClosed(1, 1_000).boxed().toList(), inputSeqsSeenByGame(), "applied in order");
    }
}
