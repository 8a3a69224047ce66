package io.tickwave.server.transport.memory;

import com.lmax.disruptor.BusySpinWaitStrategy;
import com.lmax.disruptor.RingBuffer;
import io.tickwave.server.ServerSettings;
import io.tickwave.server.api.GameFactory;
import io.tickwave.server.loop.GameLoopAgent;
import io.tickwave.server.loop.ProblemReporter;
import io.tickwave.server.loop.RingEvent;
import io.tickwave.server.metrics.ServerMetrics;
import io.tickwave.server.net.InboundGateway;
import org.agrona.concurrent.CachedNanoClock;

/**
 * The whole server on one thread and a hand-driven clock: the real ring, gateway and game loop, with
 * {@link MemoryConnection}s instead of sockets. The caller advances time and steps the loop itself, so
 * every tick is deterministic: the same events at the same clock readings give the same ticks and the
 * same frames. Nothing runs unless the caller calls in (no loop thread, no timers); only the
 * {@link ProblemReporter}'s logging thread runs on its own.
 *
 * <p>For the test kit ({@code tickwave-testkit}), the server's own tests and JMH. Owned by the calling
 * thread, which is at once every connection's IO thread and the game-loop thread.
 */
public final class MemoryServer implements AutoCloseable {

    /** Where the clock starts: any value works (comparisons are wrap-safe); a round one reads well in a debugger. */
    private static final long CLOCK_START_NS = 1_000_000_000L;

    private final CachedNanoClock clock = new CachedNanoClock();
    private final ServerMetrics metrics = new ServerMetrics();
    private final ProblemReporter problems;
    /** Whether {@link #close()} stops {@link #problems}: only when this server made it. */
    private final boolean ownsProblems;
    private final ServerSettings settings;
    private final GameLoopAgent loop;
    private final MemoryTransport transport;
    private final RingBuffer<RingEvent> ring;
    private final InboundGateway gateway;

    /** A server with its own problem reporter, stopped by {@link #close()}. */
    public MemoryServer(ServerSettings settings, GameFactory games) {
        this(settings, games, new ProblemReporter(), true);
    }

    /**
     * A server that reports problems to {@code problems}, which the caller owns and closes: for many
     * short-lived servers (a fuzzer makes one per input, a test kit one per test), as closing a reporter
     * waits for its thread.
     */
    public MemoryServer(ServerSettings settings, GameFactory games, ProblemReporter problems) {
        this(settings, games, problems, false);
    }

    private MemoryServer(ServerSettings settings, GameFactory games, ProblemReporter problems, boolean ownsProblems) {
        this.problems = problems;
        this.ownsProblems = ownsProblems;
        this.settings = settings.validate();
        clock.update(CLOCK_START_NS);
        this.ring = RingBuffer.createMultiProducer(
                () -> new RingEvent(settings.maxInputBytes()), settings.ringSize(), new BusySpinWaitStrategy());
        this.gateway = new InboundGateway(ring, settings, metrics);
        this.transport = new MemoryTransport(settings, metrics, problems, gateway, clock);
        this.loop = new GameLoopAgent(settings, games, ring, gateway.deferredLeaves(), metrics, problems, clock,
                transport::flushOutbound);
    }

    /** A new connection, upgraded and not yet joined. */
    public MemoryConnection connect() {
        return transport.connect();
    }

    /** The event ring, for tests that look at what was published before the loop takes it. */
    public RingBuffer<RingEvent> ring() {
        return ring;
    }

    /** The gateway every connection of this server delivers to. */
    public InboundGateway gateway() {
        return gateway;
    }

    /** The validated settings the server runs with. */
    public ServerSettings settings() {
        return settings;
    }

    public ServerMetrics metrics() {
        return metrics;
    }

    public GameLoopAgent loop() {
        return loop;
    }

    /** The hand-driven clock's reading, in nanoseconds. */
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

    /** Advances the clock to each next tick deadline and runs that tick (draining pending events first). */
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

    /** Stops the loop (every game hears {@code stop}) and, if this server made it, the problem reporter. */
    @Override
    public void close() {
        loop.onClose();
        if (ownsProblems) {
            problems.close();
        }
    }
}
