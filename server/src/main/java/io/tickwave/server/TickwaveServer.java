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
import io.tickwave.server.net.DrainState;
import io.tickwave.server.net.HealthReport;
import io.tickwave.server.net.InboundGateway;
import io.tickwave.server.tls.PemTls;
import io.tickwave.server.transport.undertow.UndertowTransport;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.SystemNanoClock;

import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

/**
 * A running server: the event ring, the game-loop thread and the Undertow transport, wired together.
 *
 * <p>Threads: {@link #start} is called by the owning thread (main, a test); {@link #close} by it, the
 * shutdown hook or the drain thread (it is idempotent); {@link #startDrain} and getters by any thread.
 */
public final class TickwaveServer implements AutoCloseable {

    private static final long SHUTDOWN_CLOSE_WAIT_MS = 2_000;
    private static final int HTTP_OK = 200;
    private static final int HTTP_SERVICE_UNAVAILABLE = 503;
    private static final long DRAIN_POLL_MS = 50;

    private final ServerSettings settings;
    private final ServerMetrics metrics;
    private final PrometheusEndpoint prometheus;
    private final ProblemReporter problems;
    private final AgentRunner loopRunner;
    private final UndertowTransport transport;
    private final DrainState drainState;
    /** Completes once a drain has ended and the server is closed. */
    private final CompletableFuture<Void> drained = new CompletableFuture<>();
    private boolean closed;
    /** Null on a single node. */
    private final ClusterNode cluster;

    private TickwaveServer(ServerSettings settings, ServerMetrics metrics, PrometheusEndpoint prometheus,
                           ProblemReporter problems, AgentRunner loopRunner, UndertowTransport transport,
                           DrainState drainState, ClusterNode cluster) {
        this.drainState = drainState;
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
     * @throws IllegalArgumentException for a bad setting, a TLS file or an address not of this machine included
     * @throws IllegalStateException when the port cannot be bound
     */
    public static TickwaveServer start(ServerSettings settings, GameFactory games) {
        return start(settings, games, NOT_DRAINING);
    }

    /** No drain besides the server's own (SIGTERM, {@code POST /admin/drain}). */
    private static final BooleanSupplier NOT_DRAINING = () -> false;

    /**
     * As {@link #start(ServerSettings, GameFactory)}, with what tells a cluster node (with
     * {@code --redis}) that it is draining, so that the matchmaker sends it nobody new.
     */
    public static TickwaveServer start(ServerSettings settings, GameFactory games, BooleanSupplier draining) {
        settings.validate();
        // Before any thread starts, so a bad address or file ends the start with nothing to clean up.
        checkListenAddress("--host (TICKWAVE_HOST)", settings.host());
        if (settings.metricsPort() != ServerSettings.METRICS_ON_GAME_PORT) {
            checkListenAddress("--metrics-host (TICKWAVE_METRICS_HOST)", settings.metricsHost());
        }
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
        // The drain call needs the server, which needs the transport: it is filled in below. A drain asked for
        // before then (the port is open a moment earlier) is remembered and started once the server exists;
        // flag first, reference second on both sides, so at least one side sees the other's write.
        AtomicReference<TickwaveServer> server = new AtomicReference<>();
        AtomicBoolean drainAskedEarly = new AtomicBoolean();
        // /ready answers 503 until a cluster node has registered with Redis: the node is built after the transport.
        AtomicReference<ClusterNode> clusterForReadiness = new AtomicReference<>();
        DrainState drainState = gateway.drainState();
        UndertowTransport transport = new UndertowTransport(settings, tls, gateway, metrics, problems,
                () -> health(metrics, liveness[0]), () -> readiness(metrics, drainState, settings.clusterEnabled(),
                        clusterForReadiness.get()),
                () -> {
                    drainAskedEarly.set(true);
                    TickwaveServer started = server.get();
                    if (started != null) {
                        started.startDrain();
                    }
                }, prometheus::scrape, prometheus.contentType());
        GameLoopAgent loop = new GameLoopAgent(settings, games, ring, gateway.deferredLeaves(), metrics, problems,
                clock, transport::flushOutbound);
        liveness[0] = loop.liveness();
        ClusterNode cluster = null;
        if (settings.clusterEnabled()) {
            // The public URL needs the bound port, so the node starts after the transport; built before it,
            // so that /matchmake is routed from the first request.
            // The matchmaker skips this node while it drains, whether the drain came from SIGTERM, /admin/drain or the caller.
            cluster = new ClusterNode(settings, seatTokens, () -> drainState.draining() || draining.getAsBoolean(), problems);
            clusterForReadiness.set(cluster);
            loop.publishOccupancyTo(cluster.occupancyListener(), cluster.reportReservationsMs());
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
        TickwaveServer started = new TickwaveServer(settings, metrics, prometheus, problems, loopRunner, transport,
                drainState, cluster);
        server.set(started);
        if (drainAskedEarly.get()) {
            started.startDrain();
        }
        return started;
    }

    /**
     * Resolves {@code host} and binds a throwaway socket to it on any free port, so that a name that does
     * not resolve, or an address that is not this machine's, is reported as such rather than as a taken port.
     *
     * @throws IllegalArgumentException naming {@code flag} and what to give instead
     */
    static void checkListenAddress(String flag, String host) {
        InetAddress address;
        try {
            address = InetAddress.getByName(host);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(flag + " '" + host + "' is not a host name this machine can resolve;"
                    + " give one of its addresses, or 0.0.0.0 for all of them", e);
        }
        try (ServerSocket probe = new ServerSocket()) {
            probe.bind(new InetSocketAddress(address, 0));
        } catch (IOException e) {
            throw new IllegalArgumentException(flag + " '" + host + "' (" + address.getHostAddress() + ") is not an"
                    + " address of this machine (" + e.getMessage() + "); give one of its addresses, or 0.0.0.0 for"
                    + " all of them", e);
        }
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
     * 200 and {@code "ready"} while the server takes joins; 503 and {@code "draining"} once it drains, and
     * for a cluster node 503 and {@code "registering"} until its heartbeat has registered it with Redis (the
     * matchmaker cannot send it anyone before), or while Redis cannot be reached.
     */
    private static HealthReport readiness(ServerMetrics metrics, DrainState drainState, boolean clusterEnabled,
                                          ClusterNode cluster) {
        if (drainState.draining()) {
            return new HealthReport(HTTP_SERVICE_UNAVAILABLE, String.format(Locale.ROOT,
                    "{\"status\":\"draining\",\"reason\":\"the server is draining: it takes no new joins\","
                            + "\"players\":%d,\"rooms\":%d}", metrics.players.get(), metrics.rooms.get()));
        }
        if (clusterEnabled && (cluster == null || !cluster.registered())) {
            return new HealthReport(HTTP_SERVICE_UNAVAILABLE, String.format(Locale.ROOT,
                    "{\"status\":\"registering\",\"reason\":\"the node is not registered with the cluster's Redis"
                            + " (yet, or Redis cannot be reached)\",\"players\":%d,\"rooms\":%d}",
                    metrics.players.get(), metrics.rooms.get()));
        }
        return new HealthReport(HTTP_OK, String.format(Locale.ROOT, "{\"status\":\"ready\",\"players\":%d,\"rooms\":%d}",
                metrics.players.get(), metrics.rooms.get()));
    }

    /** True once a drain has started. Any thread. */
    public boolean draining() {
        return drainState.draining();
    }

    /**
     * Starts a graceful drain, unless one is under way, and returns at once: from now on new joins are
     * refused (Error SERVER_DRAINING, close 4013) and {@code /ready} answers 503, while reconnects with a
     * valid token are still seated and the rooms play on. Once every room has emptied, or
     * {@code --drain-timeout-ms} has passed, the remaining clients are closed with 4013 (rematch) and the
     * server {@link #close closes}. The wait runs on a thread of its own. Any thread.
     *
     * @return completes when the drain has ended and the server is closed
     */
    public CompletableFuture<Void> startDrain() {
        if (drainState.start()) {
            Thread drainer = new Thread(this::drainThenClose, "tickwave-drain");
            drainer.setDaemon(true);
            drainer.start();
        }
        return drained;
    }

    /** Completes when a drain has ended and the server is closed. Any thread. */
    public CompletableFuture<Void> drained() {
        return drained;
    }

    private void drainThenClose() {
        try {
            long deadline = System.nanoTime() + settings.drainTimeoutMs() * 1_000_000L;
            while (metrics.rooms.get() > 0 && System.nanoTime() - deadline < 0) {
                Thread.sleep(DRAIN_POLL_MS);
            }
            transport.stopAccepting();
            transport.closeAll(CloseCodes.REMATCH, "server drained: join another server");
            awaitConnectionsClosed();
            close();
            drained.complete(null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            close();
            drained.complete(null);
        } catch (Throwable e) {
            try {
                close(); // a failed drain must not leave the node serving and advertising itself
            } finally {
                drained.completeExceptionally(e);
            }
            throw e;
        }
    }

    private void awaitConnectionsClosed() throws InterruptedException {
        long deadline = System.nanoTime() + SHUTDOWN_CLOSE_WAIT_MS * 1_000_000L;
        while (transport.openConnections() > 0 && System.nanoTime() - deadline < 0) {
            Thread.sleep(10);
        }
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
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (cluster != null) {
            cluster.close(); // no new players routed here; idempotent after vanish()
        }
        transport.stopAccepting();
        transport.closeAll(CloseCodes.GOING_AWAY, "server shutting down");
        try {
            awaitConnectionsClosed();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        loopRunner.close();
        transport.stop();
        prometheus.close();
        problems.close();
    }
}
