package io.tickwave.server.testing;

import com.lmax.disruptor.BusySpinWaitStrategy;
import com.lmax.disruptor.RingBuffer;
import io.tickwave.server.ServerSettings;
import io.tickwave.server.api.GameFactory;
import io.tickwave.server.loop.GameLoopAgent;
import io.tickwave.server.loop.ProblemReporter;
import io.tickwave.server.loop.RingEvent;
import io.tickwave.server.metrics.ServerMetrics;
import io.tickwave.server.net.InboundGateway;
import io.tickwave.server.transport.memory.MemoryConnection;
import io.tickwave.server.transport.memory.MemoryTransport;
import org.agrona.concurrent.CachedNanoClock;

/**
 * The whole server on one thread and a hand-driven clock: the real ring, gateway and game loop, with
 * in-memory connections instead of sockets. Tests and benchmarks advance time and step the loop
 * themselves, so every tick is deterministic. Owned by the calling thread.
 */
public final class LoopHarness implements AutoCloseable {

    private final CachedNanoClock clock = new CachedNanoClock();
    private final ServerMetrics metrics = new ServerMetrics();
    private final ProblemReporter problems;
    /** Whether {@link #close()} stops {@link #problems}: only when this harness made it. */
    private final boolean ownsProblems;
    private final ServerSettings settings;
    private final GameLoopAgent loop;
    private final MemoryTransport transport;
    private final RingBuffer<RingEvent> ring;
    private final InboundGateway gateway;

    public LoopHarness(ServerSettings settings, GameFactory games) {
        this(settings, games, new ProblemReporter(), true);
    }

    /**
     * A harness that reports problems to {@code problems}, which the caller owns and closes: for many
     * short-lived harnesses (a fuzzer makes one per input), as closing a reporter waits for its thread.
     */
    public LoopHarness(ServerSettings settings, GameFactory games, ProblemReporter problems) {
        this(settings, games, problems, false);
    }

    private LoopHarness(ServerSettings settings, GameFactory games, ProblemReporter problems, boolean ownsProblems) {
        this.problems = problems;
        this.ownsProblems = ownsProblems;
        this.settings = settings.validate();
        clock.update(1_000_000_000L);
        this.ring = RingBuffer.createMultiProducer(
                () -> new RingEvent(settings.maxInputBytes()), settings.ringSize(), new BusySpinWaitStrategy());
        this.gateway = new InboundGateway(ring, settings, metrics);
        this.transport = new MemoryTransport(settings, metrics, problems, gateway, clock);
        this.loop = new GameLoopAgent(settings, games, ring, gateway.deferredLeaves(), metrics, problems, clock,
                transport::flushOutbound);
    }

    public MemoryConnection connect() {
        return transport.connect();
    }

    /** The event ring, for tests that look at what was published before the loop takes it. */
    public RingBuffer<RingEvent> ring() {
        return ring;
    }

    /** The gateway every connection of this harness delivers to. */
    public InboundGateway gateway() {
        return gateway;
    }

    public ServerSettings settings() {
        return settings;
    }

    public ServerMetrics metrics() {
        return metrics;
    }

    public GameLoopAgent loop() {
        return loop;
    }

    public long nowNs() {
        return clock.nanoTime();
    }

    /** Moves the clock forward without running the loop. */
    public void advanceNs(long nanos) {
        clock.advance(nanos);
    }

    /** Drains the connections queued for sending, as the loop does after a cycle that did work. */
    public void flushOutbound() {
        transport.flushOutbound();
    }

    /**
     * Runs one duty cycle at the current time: before the next deadline it does nothing (unless a
     * bounded drain left a backlog); at or past it, it drains events and ticks.
     */
    public void runDutyCycle() {
        try {
            loop.doWork();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Advances to the next tick deadline and runs it (draining pending events first). */
    public void runTicks(int ticks) {
        for (int i = 0; i < ticks; i++) {
            long waitNs = loop.nextTickDeadlineNs() - clock.nanoTime();
            if (waitNs > 0) {
                clock.advance(waitNs);
            }
            runDutyCycle();
        }
    }

    public long tickIntervalNs() {
        return settings.tickIntervalNs();
    }

    @Override
    public void close() {
        loop.onClose();
        if (ownsProblems) {
            problems.close();
        }
    }
}
