package io.tickwave.server.testing;

import com.lmax.disruptor.RingBuffer;
import io.tickwave.server.ServerSettings;
import io.tickwave.server.api.GameFactory;
import io.tickwave.server.loop.GameLoopAgent;
import io.tickwave.server.loop.ProblemReporter;
import io.tickwave.server.loop.RingEvent;
import io.tickwave.server.metrics.ServerMetrics;
import io.tickwave.server.net.InboundGateway;
import io.tickwave.server.transport.memory.MemoryConnection;
import io.tickwave.server.transport.memory.MemoryServer;

/**
 * The whole server on one thread and a hand-driven clock: the real ring, gateway and game loop, with
 * in-memory connections instead of sockets. Tests and benchmarks advance time and step the loop
 * themselves, so every tick is deterministic. Owned by the calling thread.
 *
 * <p>A thin name for {@link MemoryServer} (which the test kit builds on), kept so the server's tests and
 * benchmarks read as before.
 */
public final class LoopHarness implements AutoCloseable {

    private final MemoryServer server;

    public LoopHarness(ServerSettings settings, GameFactory games) {
        this.server = new MemoryServer(settings, games);
    }

    /**
     * A harness that reports problems to {@code problems}, which the caller owns and closes: for many
     * short-lived harnesses (a fuzzer makes one per input), as closing a reporter waits for its thread.
     */
    public LoopHarness(ServerSettings settings, GameFactory games, ProblemReporter problems) {
        this.server = new MemoryServer(settings, games, problems);
    }

    public MemoryConnection connect() {
        return server.connect();
    }

    /** The event ring, for tests that look at what was published before the loop takes it. */
    public RingBuffer<RingEvent> ring() {
        return server.ring();
    }

    /** The gateway every connection of this harness delivers to. */
    public InboundGateway gateway() {
        return server.gateway();
    }

    public ServerSettings settings() {
        return server.settings();
    }

    public ServerMetrics metrics() {
        return server.metrics();
    }

    public GameLoopAgent loop() {
        return server.loop();
    }

    public long nowNs() {
        return server.nowNs();
    }

    /** Moves the clock forward without running the loop. */
    public void advanceNs(long nanos) {
        server.advanceNs(nanos);
    }

    /** Drains the connections queued for sending, as the loop does after a cycle that did work. */
    public void flushOutbound() {
        server.flushOutbound();
    }

    /**
     * Runs one duty cycle at the current time: before the next deadline it does nothing (unless a
     * bounded drain left a backlog); at or past it, it drains events and ticks.
     */
    public void runDutyCycle() {
        server.runDutyCycle();
    }

    /** Advances to the next tick deadline and runs it (draining pending events first). */
    public void runTicks(int ticks) {
        server.runTicks(ticks);
    }

    public long tickIntervalNs() {
        return server.tickIntervalNs();
    }

    @Override
    public void close() {
        server.close();
    }
}
