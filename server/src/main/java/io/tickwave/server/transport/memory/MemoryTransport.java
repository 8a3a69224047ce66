package io.tickwave.server.transport.memory;

import io.tickwave.server.ServerSettings;
import io.tickwave.server.loop.ProblemReporter;
import io.tickwave.server.metrics.ServerMetrics;
import io.tickwave.server.net.InboundGateway;
import io.tickwave.server.net.IoThreadBatch;
import org.agrona.concurrent.NanoClock;

/**
 * Makes {@link MemoryConnection}s that talk to an {@link InboundGateway} directly: the whole server
 * without sockets. Owned by the one thread that drives the test or benchmark, which is also every
 * connection's "IO thread": the drains the loop batches run when the loop flushes
 * ({@link #flushOutbound}), on the calling thread, as one batch, like one XNIO thread's.
 */
public final class MemoryTransport {

    private final ServerSettings settings;
    private final ServerMetrics metrics;
    private final InboundGateway gateway;
    private final NanoClock clock;
    private final IoThreadBatch batch;
    private long nextConnectionId = 1;

    public MemoryTransport(ServerSettings settings, ServerMetrics metrics, ProblemReporter problems,
                           InboundGateway gateway, NanoClock clock) {
        this.settings = settings;
        this.metrics = metrics;
        this.gateway = gateway;
        this.clock = clock;
        this.batch = new IoThreadBatch(Runnable::run, metrics, problems);
    }

    /** Drains every connection the loop queued since the last flush: the loop's flush hook. */
    public void flushOutbound() {
        batch.flush();
    }

    IoThreadBatch batch() {
        return batch;
    }

    public MemoryConnection connect() {
        metrics.connectionsOpened.increment();
        return new MemoryConnection(nextConnectionId++, settings, metrics, gateway, clock, this);
    }

}
