package io.tickwave.server.transport.undertow;

import io.tickwave.server.ServerSettings;
import io.tickwave.server.metrics.ServerMetrics;
import io.tickwave.server.net.InboundGateway;
import io.undertow.Handlers;
import io.undertow.Undertow;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.handlers.PathHandler;
import io.undertow.server.handlers.resource.ClassPathResourceManager;
import io.undertow.server.handlers.resource.ResourceHandler;
import io.undertow.util.Headers;
import io.undertow.util.StatusCodes;
import io.tickwave.server.net.IoThreadBatch;
import org.xnio.Options;
import org.xnio.StreamConnection;
import org.xnio.XnioIoThread;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * The only place that knows Undertow: serves the WebSocket endpoint {@code /ws}, {@code /health},
 * {@code /metrics}, the game's web client, the .proto files and WebJars. Undertow does HTTP and the
 * upgrade; from the 101 answer on, a connection's bytes are ours ({@link WebSocketHandshake},
 * {@link UndertowConnection}): Undertow's own WebSocket framing is not used.
 *
 * <p>Threads: built and stopped by the thread that owns the server; handlers run on Undertow's IO
 * threads (the metrics scrape is dispatched to a worker thread, as it takes a lock).
 */
public final class UndertowTransport {

    /** Where a game's browser client lives on the classpath; served at {@code /}. */
    public static final String WEB_ROOT = "tickwave/web";
    private static final String PLACEHOLDER_ROOT = "tickwave/placeholder";

    private final ServerSettings settings;
    private final InboundGateway gateway;
    private final ServerMetrics metrics;
    private final Supplier<String> healthJson;
    private final Supplier<String> metricsText;
    private final String metricsContentType;
    private final Set<UndertowConnection> connections = ConcurrentHashMap.newKeySet();
    private final Map<XnioIoThread, IoThreadSlot> slotsByThread = new ConcurrentHashMap<>();
    private final AtomicInteger nextIoThreadIndex = new AtomicInteger();
    /** The same batches as a list the loop can walk without allocating. */
    private final List<IoThreadBatch> batches = new CopyOnWriteArrayList<>();
    private final AtomicLong nextConnectionId = new AtomicLong(1);
    private volatile boolean accepting = true;
    private Undertow undertow;
    private int port;

    public UndertowTransport(ServerSettings settings, InboundGateway gateway, ServerMetrics metrics,
                             Supplier<String> healthJson, Supplier<String> metricsText, String metricsContentType) {
        this.settings = settings;
        this.gateway = gateway;
        this.metrics = metrics;
        this.healthJson = healthJson;
        this.metricsText = metricsText;
        this.metricsContentType = metricsContentType;
    }

    /**
     * Binds and starts serving.
     *
     * @throws IllegalStateException when the address cannot be bound, with the reason
     */
    public UndertowTransport start() {
        ClassLoader classLoader = UndertowTransport.class.getClassLoader();
        String webRoot = classLoader.getResource(WEB_ROOT + "/index.html") != null ? WEB_ROOT : PLACEHOLDER_ROOT;
        PathHandler paths = Handlers.path(staticFiles(classLoader, webRoot))
                .addExactPath("/ws", refuseWhenStopping(new WebSocketHandshake(this::upgraded)))
                .addExactPath("/health", this::health)
                .addExactPath("/metrics", this::metrics)
                .addPrefixPath("/proto", staticFiles(classLoader, "tickwave/proto"))
                .addPrefixPath("/webjars", staticFiles(classLoader, "META-INF/resources/webjars"));
        undertow = Undertow.builder()
                .addHttpListener(settings.port(), settings.host())
                .setIoThreads(settings.ioThreads())
                .setWorkerThreads(2)
                .setSocketOption(Options.TCP_NODELAY, true)
                .setHandler(paths)
                .build();
        try {
            undertow.start();
        } catch (RuntimeException e) {
            undertow = null;
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new IllegalStateException("cannot listen on " + settings.host() + ":" + settings.port() + " ("
                    + cause.getMessage() + "); choose another port with --port or TICKWAVE_PORT", e);
        }
        port = ((InetSocketAddress) undertow.getListenerInfo().get(0).getAddress()).getPort();
        return this;
    }

    public int port() {
        return port;
    }

    public int openConnections() {
        return connections.size();
    }

    /** New WebSocket handshakes are refused with 503 from now on. */
    public void stopAccepting() {
        accepting = false;
    }

    /** Asks every open connection to close with {@code code}. */
    public void closeAll(int code, String reason) {
        for (UndertowConnection connection : connections) {
            connection.requestClose(code, reason);
        }
    }

    /** Hands each IO thread the connections the loop filled since the last flush. Game-loop thread. */
    public void flushOutbound() {
        for (int i = 0, n = batches.size(); i < n; i++) {
            batches.get(i).flush();
        }
    }

    /** An IO thread's batch, and its index (below the number of IO threads) for shared state views. */
    private record IoThreadSlot(IoThreadBatch batch, int index) {
    }

    private IoThreadSlot slotFor(XnioIoThread ioThread) {
        return slotsByThread.computeIfAbsent(ioThread, thread -> {
            IoThreadBatch batch = new IoThreadBatch(thread);
            batches.add(batch);
            return new IoThreadSlot(batch, nextIoThreadIndex.getAndIncrement());
        });
    }

    public void stop() {
        if (undertow != null) {
            undertow.stop();
            undertow = null;
        }
    }

    private static HttpHandler staticFiles(ClassLoader classLoader, String root) {
        return new ResourceHandler(new ClassPathResourceManager(classLoader, root)).setWelcomeFiles("index.html");
    }

    private HttpHandler refuseWhenStopping(HttpHandler next) {
        return exchange -> {
            if (accepting) {
                next.handleRequest(exchange);
            } else {
                exchange.setStatusCode(StatusCodes.SERVICE_UNAVAILABLE);
                exchange.getResponseSender().send("shutting down");
            }
        };
    }

    private void health(HttpServerExchange exchange) {
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json");
        exchange.getResponseSender().send(healthJson.get());
    }

    private void metrics(HttpServerExchange exchange) {
        if (exchange.isInIoThread()) {
            exchange.dispatch(this::metrics);
            return;
        }
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, metricsContentType);
        exchange.getResponseSender().send(metricsText.get());
    }

    /** Sets up a connection that has just been upgraded, on its IO thread. */
    private void upgraded(StreamConnection stream, HttpServerExchange exchange) {
        IoThreadSlot slot = slotFor(stream.getIoThread());
        UndertowConnection connection = new UndertowConnection(nextConnectionId.getAndIncrement(), slot.index(),
                stream, slot.batch(), gateway, settings, metrics);
        connections.add(connection);
        metrics.connectionsOpened.increment();
        long checkEveryMs = Math.max(50, settings.idleTimeoutMs() / 4);
        connection.idleTimer(connection.ioThread().executeAtInterval(
                () -> gateway.onIdleCheck(connection), checkEveryMs, TimeUnit.MILLISECONDS));
        connection.start(() -> {
            connections.remove(connection);
            gateway.onClosed(connection);
        });
    }
}
