package io.tickwave.server.transport.undertow;

import io.tickwave.server.ServerSettings;
import io.tickwave.server.loop.ProblemReporter;
import io.tickwave.server.metrics.ServerMetrics;
import io.tickwave.server.net.HealthReport;
import io.tickwave.server.net.ConnectionLimiter;
import io.tickwave.server.net.ConnectionRefusal;
import io.tickwave.server.net.InboundGateway;
import io.tickwave.server.net.MatchmakeEndpoint;
import io.tickwave.server.net.OriginPolicy;
import io.tickwave.server.net.RefusalLog;
import io.undertow.Handlers;
import io.undertow.Undertow;
import io.undertow.UndertowOptions;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.handlers.PathHandler;
import io.undertow.server.handlers.resource.ClassPathResourceManager;
import io.undertow.server.handlers.resource.ResourceHandler;
import io.undertow.util.AttachmentKey;
import io.undertow.util.Headers;
import io.undertow.util.Methods;
import io.undertow.util.MimeMappings;
import io.undertow.util.SameThreadExecutor;
import io.undertow.util.StatusCodes;
import io.tickwave.server.net.IoThreadBatch;
import org.xnio.Options;
import org.xnio.StreamConnection;
import org.xnio.XnioIoThread;

import javax.net.ssl.SSLContext;
import java.net.InetAddress;
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
 * The only place that knows Undertow: serves the WebSocket endpoint {@code /ws} (behind the origin check
 * and the connection caps), {@code /health}, {@code /metrics} (to loopback clients, or on a listener of
 * its own), the game's web client, the .proto files, the browser SDK ({@code /sdk}) and WebJars, over http or,
 * with a TLS context, https.
 * Every HTTP request must arrive whole within {@code --request-timeout-ms}. Undertow does HTTP and the
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
    /** A matchmaking request is a handful of join options. */
    private static final long MAX_MATCHMAKE_BODY_BYTES = 4_096;
    /** The connection slot an upgrade took in {@link #admit}, handed to the WebSocket callback. */
    private static final AttachmentKey<ConnectionLimiter.Permit> PERMIT = AttachmentKey.create(ConnectionLimiter.Permit.class);

    private final ServerSettings settings;
    private final SSLContext tls;
    private final InboundGateway gateway;
    private final ServerMetrics metrics;
    private final ProblemReporter problems;
    private final Supplier<HealthReport> health;
    private final Supplier<HealthReport> readiness;
    private final Runnable startDrain;
    private final Supplier<String> metricsText;
    private final String metricsContentType;
    private final Set<UndertowConnection> connections = ConcurrentHashMap.newKeySet();
    private final Map<XnioIoThread, IoThreadSlot> slotsByThread = new ConcurrentHashMap<>();
    private final AtomicInteger nextIoThreadIndex = new AtomicInteger();
    /** The same batches as a list the loop can walk without allocating. */
    private final List<IoThreadBatch> batches = new CopyOnWriteArrayList<>();
    private final AtomicLong nextConnectionId = new AtomicLong(1);
    private final ConnectionLimiter limiter;
    private final RefusalLog refusals;
    private final OriginPolicy originPolicy;
    private volatile boolean accepting = true;
    /** Null on a single node: no {@code /matchmake}. */
    private MatchmakeEndpoint matchmaker;
    private Undertow undertow;
    private int port;
    private int metricsPort;

    /**
     * @param tls      the TLS context for https and wss, or null for plain http and ws
     * @param problems where a failed drain of a connection is reported
     * @param health   what {@code /health} answers; called on an IO thread, so it must not block
     * @param readiness what {@code /ready} answers; called on an IO thread, so it must not block
     * @param startDrain what {@code POST /admin/drain} (loopback clients only) runs; it must return at once
     */
    public UndertowTransport(ServerSettings settings, SSLContext tls, InboundGateway gateway, ServerMetrics metrics,
                             ProblemReporter problems, Supplier<HealthReport> health, Supplier<HealthReport> readiness,
                             Runnable startDrain, Supplier<String> metricsText, String metricsContentType) {
        this.settings = settings;
        this.tls = tls;
        this.gateway = gateway;
        this.metrics = metrics;
        this.problems = problems;
        this.health = health;
        this.readiness = readiness;
        this.startDrain = startDrain;
        this.metricsText = metricsText;
        this.metricsContentType = metricsContentType;
        this.limiter = new ConnectionLimiter(settings.maxConnections(), settings.maxConnectionsPerAddress(),
                metrics.connectionsOpen);
        this.refusals = new RefusalLog(metrics);
        this.originPolicy = OriginPolicy.of(settings.allowedOrigins());
    }

    /** Serves {@code POST /matchmake} with {@code endpoint} (a cluster node). Call before {@link #start}. */
    public void serveMatchmake(MatchmakeEndpoint endpoint) {
        this.matchmaker = endpoint;
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
                .addExactPath("/ws", refuseWhenStopping(admit(new WebSocketHandshake(this::upgraded))))
                .addExactPath("/health", exchange -> answer(exchange, health.get()))
                .addExactPath("/ready", exchange -> answer(exchange, readiness.get()))
                .addExactPath("/admin/drain", onlyFromLoopback(this::drain))
                .addPrefixPath("/proto", staticFiles(classLoader, "tickwave/proto"))
                .addPrefixPath("/sdk", staticFiles(classLoader, "tickwave/sdk"))
                .addPrefixPath("/webjars", staticFiles(classLoader, "META-INF/resources/webjars"));
        if (matchmaker != null) {
            paths.addExactPath("/matchmake", this::matchmake);
        }
        boolean metricsOnGamePort = settings.metricsPort() == ServerSettings.METRICS_ON_GAME_PORT;
        if (metricsOnGamePort) {
            paths.addExactPath("/metrics", onlyFromLoopback(this::metrics));
        }
        Undertow.Builder builder = Undertow.builder();
        // One port either way: https and wss with a TLS context, http and ws without.
        if (tls != null) {
            builder.addHttpsListener(settings.port(), settings.host(), tls);
        } else {
            builder.addHttpListener(settings.port(), settings.host());
        }
        if (!metricsOnGamePort) {
            // Its own listener and root handler: nothing but /metrics there, and no /metrics on the game port.
            builder.addListener(new Undertow.ListenerBuilder().setType(Undertow.ListenerType.HTTP)
                    .setPort(settings.metricsPort()).setHost(settings.metricsHost())
                    .setRootHandler(Handlers.path().addExactPath("/metrics", this::metrics)));
        }
        undertow = builder
                .setIoThreads(settings.ioThreads())
                // The worker serves /metrics scrapes (dispatched off the IO thread as the scrape takes a
                // lock) and, with TLS, the handshakes' delegated tasks (certificate and key work), which
                // one thread would serialize behind each other: one per IO thread then. Started when
                // first needed.
                .setWorkerThreads(tls == null ? 1 : Math.max(1, settings.ioThreads()))
                .setSocketOption(Options.TCP_NODELAY, true)
                // Undertow arms NO_REQUEST_TIMEOUT when a connection opens and after each finished request,
                // and REQUEST_PARSE_TIMEOUT once when a request arrives in pieces; more bytes do not re-arm
                // it, so a trickle of header lines cannot keep a socket open. A complete request disarms
                // both; an upgraded WebSocket never re-arms them (its own idle check takes over).
                .setServerOption(UndertowOptions.NO_REQUEST_TIMEOUT, settings.requestTimeoutMs())
                .setServerOption(UndertowOptions.REQUEST_PARSE_TIMEOUT, settings.requestTimeoutMs())
                .setHandler(paths)
                .build();
        try {
            undertow.start();
        } catch (RuntimeException e) {
            undertow = null;
            refusals.close();
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            String ports = metricsOnGamePort ? settings.host() + ":" + settings.port()
                    : settings.host() + ":" + settings.port() + " or " + settings.metricsHost() + ":" + settings.metricsPort();
            throw new IllegalStateException("cannot listen on " + ports + " (" + cause.getMessage()
                    + "); choose another port with --port or TICKWAVE_PORT"
                    + (metricsOnGamePort ? "" : " (or --metrics-port, TICKWAVE_METRICS_PORT)"), e);
        }
        port = ((InetSocketAddress) undertow.getListenerInfo().get(0).getAddress()).getPort();
        metricsPort = metricsOnGamePort ? port
                : ((InetSocketAddress) undertow.getListenerInfo().get(1).getAddress()).getPort();
        return this;
    }

    public int port() {
        return port;
    }

    /** The port {@code /metrics} is served on. */
    public int metricsPort() {
        return metricsPort;
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
            IoThreadBatch batch = new IoThreadBatch(thread, metrics, problems);
            batches.add(batch);
            return new IoThreadSlot(batch, nextIoThreadIndex.getAndIncrement());
        });
    }

    public void stop() {
        if (undertow != null) {
            undertow.stop();
            undertow = null;
        }
        refusals.close();
    }

    /**
     * Undertow's defaults, plus {@code .proto} as UTF-8 text (a browser shows the schema rather than
     * downloading it; protobufjs reads it either way) and a charset on HTML and JavaScript.
     */
    private static final MimeMappings MIME_TYPES = MimeMappings.builder(true)
            .addMapping("proto", "text/plain; charset=utf-8")
            .addMapping("html", "text/html; charset=utf-8")
            .addMapping("js", "text/javascript; charset=utf-8")
            .build();

    private static HttpHandler staticFiles(ClassLoader classLoader, String root) {
        return new ResourceHandler(new ClassPathResourceManager(classLoader, root)).setWelcomeFiles("index.html")
                .setMimeMappings(MIME_TYPES);
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

    /**
     * Before the WebSocket handshake: checks the page's origin ({@link OriginPolicy}) and takes a connection
     * slot ({@link ConnectionLimiter}), or answers the upgrade with 403, 503 or 429. The slot is given back
     * when the WebSocket closes, or when the exchange ends without becoming one (a failed handshake);
     * {@link ConnectionLimiter.Permit#release()} counts only once. Runs on the IO thread; never blocks.
     */
    private HttpHandler admit(HttpHandler handshake) {
        return exchange -> {
            InetAddress address = exchange.getSourceAddress().getAddress();
            if (!originPolicy.allows(exchange.getRequestHeaders().getFirst(Headers.ORIGIN),
                    exchange.getRequestHeaders().getFirst(Headers.HOST))) {
                refuse(exchange, ConnectionRefusal.ORIGIN, address);
                return;
            }
            ConnectionLimiter.Permit permit = limiter.tryAcquire(address);
            if (!permit.granted()) {
                refuse(exchange, permit.refusal(), address);
                return;
            }
            exchange.putAttachment(PERMIT, permit);
            exchange.addExchangeCompleteListener((done, next) -> {
                if (done.isUpgrade()) {
                    // Until the WebSocket channel exists (and adds its close task) only the HTTP
                    // connection's close says that the socket died. Added once: nothing follows an upgrade.
                    done.getConnection().addCloseListener(closed -> permit.release());
                } else {
                    permit.release();
                }
                next.proceed();
            });
            handshake.handleRequest(exchange);
        };
    }

    /** Answers an upgrade with a refusal's status and short body, and closes the socket after it. */
    private void refuse(HttpServerExchange exchange, ConnectionRefusal refusal, InetAddress address) {
        refusals.refused(refusal, address);
        exchange.setPersistent(false);
        exchange.setStatusCode(refusal.httpStatus());
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/plain; charset=utf-8");
        exchange.getResponseSender().send(refusal.body());
    }

    private static void answer(HttpServerExchange exchange, HealthReport report) {
        exchange.setStatusCode(report.httpStatus());
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json");
        exchange.getResponseSender().send(report.json());
    }

    /**
     * {@code POST /admin/drain}: starts the drain (idempotent) and answers 202 with the readiness body at
     * once; the drain itself runs on a thread of its own. Any other method: 405.
     */
    private void drain(HttpServerExchange exchange) {
        if (!exchange.getRequestMethod().equalToString("POST")) {
            exchange.setStatusCode(StatusCodes.METHOD_NOT_ALLOWED);
            exchange.getResponseHeaders().put(Headers.ALLOW, "POST");
            exchange.endExchange();
            return;
        }
        startDrain.run();
        exchange.setStatusCode(StatusCodes.ACCEPTED);
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json");
        exchange.getResponseSender().send(readiness.get().json());
    }

    /**
     * Reads the (small) body on the IO thread, hands it to the matchmaker, and answers when it has: the
     * exchange stays open meanwhile, and the answer is written from the exchange's IO thread.
     */
    private void matchmake(HttpServerExchange exchange) {
        if (!Methods.POST.equals(exchange.getRequestMethod())) {
            exchange.setStatusCode(StatusCodes.METHOD_NOT_ALLOWED);
            exchange.getResponseHeaders().put(Headers.ALLOW, "POST");
            exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json");
            exchange.getResponseSender().send("{\"error\":\"POST a JSON object of join options\"}");
            return;
        }
        exchange.setMaxEntitySize(MAX_MATCHMAKE_BODY_BYTES);
        exchange.getRequestReceiver().receiveFullString((ready, body) -> ready.dispatch(SameThreadExecutor.INSTANCE,
                () -> matchmaker.matchmake(body).whenComplete((answer, error) -> ready.getIoThread().execute(() -> {
                    MatchmakeEndpoint.Answer sent = error == null ? answer
                            : new MatchmakeEndpoint.Answer(StatusCodes.INTERNAL_SERVER_ERROR,
                                    "{\"error\":\"matchmaking failed inside the server\"}");
                    if (error != null) {
                        problems.report("matchmaking failed", error);
                    }
                    ready.setStatusCode(sent.httpStatus());
                    ready.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json");
                    ready.getResponseSender().send(sent.json());
                }))), (failed, e) -> {
                    failed.setStatusCode(StatusCodes.BAD_REQUEST);
                    failed.endExchange();
                });
    }

    /**
     * Answers 404 to every client but a loopback one, from the IO thread and before any work, so that
     * outsiders can neither read the metrics (or drain the server) nor make the server build them. A reverse proxy on the same
     * host makes every client look local: then use {@code --metrics-port}, or block the path at the proxy.
     */
    private static HttpHandler onlyFromLoopback(HttpHandler next) {
        return exchange -> {
            if (exchange.getSourceAddress().getAddress().isLoopbackAddress()) {
                next.handleRequest(exchange);
            } else {
                exchange.setStatusCode(StatusCodes.NOT_FOUND);
                exchange.endExchange();
            }
        };
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
        ConnectionLimiter.Permit permit = exchange.getAttachment(PERMIT);
        connection.idleTimer(connection.ioThread().executeAtInterval(
                () -> gateway.onIdleCheck(connection), settings.connectionCheckIntervalMs(), TimeUnit.MILLISECONDS));
        connection.start(() -> {
            permit.release();
            connections.remove(connection);
            gateway.onClosed(connection);
        });
    }
}
