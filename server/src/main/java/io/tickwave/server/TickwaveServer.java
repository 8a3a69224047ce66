package io.tickwave.server;

import com.lmax.disruptor.BusySpinWaitStrategy;
import com.lmax.disruptor.RingBuffer;
import io.tickwave.server.api.GameFactory;
import io.tickwave.server.cluster.ClusterNode;
import io.tickwave.server.cluster.SeatTokens;
import io.tickwave.server.loop.GameLoopAgent;
import io.tickwave.server.loop.LoopLiveness;
import io.tickwave.server.loop.ProblemReporter;
import io.tickwave.server.loop.RingEvent;
import io.tickwave.server.loop.TickDeadlineIdleStrategy;
import io.tickwave.server.metrics.PrometheusEndpoint;
import io.tickwave.server.metrics.ServerMetrics;
import io.tickwave.server.net.CloseCodes;
import io.tickwave.server.net.HealthReport;
import io.tickwave.server.net.InboundGateway;
import io.tickwave.server.tls.PemTls;
import io.tickwave.server.transport.undertow.UndertowTransport;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.SystemNanoClock;

import javax.net.ssl.SSLContext;
import java.util.Locale;
import java.util.function.BooleanSupplier;

/**
 * A running server: the event ring, the game-loop thread and the Undertow transport, wired together.
 *
 * <p>Threads: {@link #start} and {@link #close} are called by the owning thread (main, a test);
 * getters may be called from any thread.
 */
public final class TickwaveServer implements AutoCloseable {

    private static final long SHUTDOWN_CLOSE_WAIT_MS = 2_000;
    private static final int HTTP_OK = 200;
    private static final int HTTP_SERVICE_UNAVAILABLE = 503;

    private final ServerSettings settings;
    private final ServerMetrics metrics;
    private final PrometheusEndpoint prometheus;
    private final ProblemReporter problems;
    private final AgentRunner loopRunner;
    private final UndertowTransport transport;
    /** Null on a single node. */
    private final ClusterNode cluster;

    private TickwaveServer(ServerSettings settings, ServerMetrics metrics, PrometheusEndpoint prometheus,
                           ProblemReporter problems, AgentRunner loopRunner, UndertowTransport transport,
                           ClusterNode cluster) {
        this.cluster = cluster;
        this.settings = settings;
        this.metrics = metrics;
        this.prometheus = prometheus;
        this.problems = problems;
        this.loopRunner = loopRunner;
        this.transport = transport;
    }

    /**
     * Validates the settings, starts the game loop and binds the port.
     *
     * @throws IllegalArgumentException for a bad setting, a TLS file included
     * @throws IllegalStateException when the port cannot be bound
     */
    public static TickwaveServer start(ServerSettings settings, GameFactory games) {
        return start(settings, games, NOT_DRAINING);
    }

    /** Until the drain lands: a node that never drains. */
    private static final BooleanSupplier NOT_DRAINING = () -> false;

    /**
     * As {@link #start(ServerSettings, GameFactory)}, with what tells a cluster node (with
     * {@code --redis}) that it is draining, so that the matchmaker sends it nobody new.
     */
    public static TickwaveServer start(ServerSettings settings, GameFactory games, BooleanSupplier draining) {
        settings.validate();
        // Before any thread starts, so a bad file ends the start with nothing to clean up.
        SSLContext tls = settings.tlsEnabled() ? PemTls.load(settings.tlsCertFile(), settings.tlsKeyFile()) : null;
        ServerMetrics metrics = new ServerMetrics();
        PrometheusEndpoint prometheus = new PrometheusEndpoint(metrics);
        ProblemReporter problems = new ProblemReporter();
        RingBuffer<RingEvent> ring = RingBuffer.createMultiProducer(
                () -> new RingEvent(settings.maxInputBytes()), settings.ringSize(), new BusySpinWaitStrategy());
        // A cluster node seats only players with a seat token of its own, checked without a round trip.
        SeatTokens seatTokens = settings.clusterEnabled()
                ? new SeatTokens(settings.nodeId(), settings.clusterSecret(), System::currentTimeMillis) : null;
        InboundGateway gateway = new InboundGateway(ring, settings, metrics, seatTokens);
        NanoClock clock = new SystemNanoClock();
        // The loop and /health refer to each other: the loop flushes to the transport, /health reads the loop.
        LoopLiveness[] liveness = new LoopLiveness[1];
        UndertowTransport transport = new UndertowTransport(settings, tls, gateway, metrics, problems,
                () -> health(metrics, liveness[0]), prometheus::scrape, prometheus.contentType());
        GameLoopAgent loop = new GameLoopAgent(settings, games, ring, gateway.deferredLeaves(), metrics, problems,
                clock, transport::flushOutbound);
        liveness[0] = loop.liveness();
        ClusterNode cluster = null;
        if (settings.clusterEnabled()) {
            // The public URL needs the bound port, so the node starts after the transport; built before it,
            // so that /matchmake is routed from the first request.
            cluster = new ClusterNode(settings, seatTokens, draining, problems);
            loop.publishOccupancyTo(cluster.occupancyListener());
            transport.serveMatchmake(cluster.matchmaker());
        }
        AgentRunner loopRunner = new AgentRunner(
                TickDeadlineIdleStrategy.forLoop(loop, clock, TickDeadlineIdleStrategy.DEFAULT_SPIN_BEFORE_DEADLINE_NS),
                error -> problems.report("game loop error", error), null, loop);
        AgentRunner.startOnThread(loopRunner);
        try {
            transport.start();
        } catch (RuntimeException e) {
            if (cluster != null) {
                cluster.vanish();
            }
            loopRunner.close();
            prometheus.close();
            problems.close();
            throw e;
        }
        if (cluster != null) {
            cluster.start(settings.publicUrlFor(transport.port()));
        }
        return new TickwaveServer(settings, metrics, prometheus, problems, loopRunner, transport, cluster);
    }

    /** The bound port (useful when the settings asked for port 0). */
    public int port() {
        return transport.port();
    }

    /** The port {@code /metrics} is served on: {@link #port()} unless {@code --metrics-port} gave one. */
    public int metricsPort() {
        return transport.metricsPort();
    }

    public ServerSettings settings() {
        return settings;
    }

    /** This node's part in the cluster (docs/scale-out.md), or null on a single node. */
    public ClusterNode cluster() {
        return cluster;
    }

    /**
     * Ends the server as a crash would, for tests of failover: the cluster node stops heartbeating
     * without deregistering (its keys expire), then the server stops. Owning thread.
     */
    public void crashForTest() {
        if (cluster != null) {
            cluster.vanish();
        }
        close();
    }

    /** The live counters. */
    public ServerMetrics metrics() {
        return metrics;
    }

    /** What {@code GET /metrics} answers. */
    public String metricsText() {
        return prometheus.scrape();
    }

    /** 200 and {@code "ok"} while the loop ticks; 503 and {@code "stalled"} with the reason when it does not. */
    private static HealthReport health(ServerMetrics metrics, LoopLiveness liveness) {
        String stallReason = liveness.stallReason();
        if (stallReason != null) {
            return new HealthReport(HTTP_SERVICE_UNAVAILABLE, String.format(Locale.ROOT,
                    "{\"status\":\"stalled\",\"reason\":\"%s\",\"players\":%d,\"rooms\":%d,\"tick\":%d}",
                    stallReason, metrics.players.get(), metrics.rooms.get(), metrics.currentTick.get()));
        }
        return new HealthReport(HTTP_OK, String.format(Locale.ROOT,
                "{\"status\":\"ok\",\"players\":%d,\"rooms\":%d,\"tick\":%d}",
                metrics.players.get(), metrics.rooms.get(), metrics.currentTick.get()));
    }

    /**
     * Stops the game loop as if its thread had died, leaving HTTP up: for tests of {@code /health}.
     * Owning thread.
     */
    void stopLoopForTest() {
        loopRunner.close();
    }

    /**
     * Stops accepting, tells every client the server is going away (close 1001), waits briefly for
     * them to go, stops the loop (games get {@code stop}), and releases the port.
     */
    @Override
    public void close() {
        if (cluster != null) {
            cluster.close(); // no new players routed here; idempotent after vanish()
        }
        transport.stopAccepting();
        transport.closeAll(CloseCodes.GOING_AWAY, "server shutting down");
        long deadline = System.nanoTime() + SHUTDOWN_CLOSE_WAIT_MS * 1_000_000L;
        while (transport.openConnections() > 0 && System.nanoTime() - deadline < 0) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        loopRunner.close();
        transport.stop();
        prometheus.close();
        problems.close();
    }
}
