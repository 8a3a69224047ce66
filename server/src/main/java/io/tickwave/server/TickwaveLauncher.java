package io.tickwave.server;

import io.tickwave.server.api.GameFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The command line of a Tickwave server: parses flags (each with an environment-variable fallback),
 * validates them, starts the server, prints where to connect, and runs until SIGTERM or Ctrl-C, when
 * it shuts down cleanly and exits 0. A bad setting or a taken port ends the process at once with one
 * line saying what to change (exit 2 or 1).
 *
 * <p>Threads: runs on the main thread; the shutdown runs on the JVM's shutdown-hook thread.
 */
@Command(name = "tickwave", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Runs a Tickwave game server.", version = "Tickwave 0.1.0")
public final class TickwaveLauncher {

    @Option(names = "--host", defaultValue = "${env:TICKWAVE_HOST:-0.0.0.0}",
            description = "Address to listen on (env TICKWAVE_HOST, default ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--port", defaultValue = "${env:TICKWAVE_PORT:-8080}",
            description = "HTTP and WebSocket port, 0 for any free one (env TICKWAVE_PORT, default ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--tick-rate", defaultValue = "${env:TICKWAVE_TICK_RATE:-60}",
            description = "Simulation steps per second (env TICKWAVE_TICK_RATE, default ${DEFAULT-VALUE}).")
    int tickRate;

    @Option(names = "--snapshot-rate", defaultValue = "${env:TICKWAVE_SNAPSHOT_RATE:-30}",
            description = "Snapshots per second per player; must divide the tick rate"
                    + " (env TICKWAVE_SNAPSHOT_RATE, default ${DEFAULT-VALUE}).")
    int snapshotRate;

    @Option(names = "--state-hash-every", defaultValue = "${env:TICKWAVE_STATE_HASH_EVERY:-30}",
            description = "For games that replicate: every this many snapshots carry the hash of the player's state,"
                    + " so clients can check it; 0 for never (env TICKWAVE_STATE_HASH_EVERY, default ${DEFAULT-VALUE}).")
    int stateHashEvery;

    @Option(names = "--room-capacity", defaultValue = "${env:TICKWAVE_ROOM_CAPACITY:-64}",
            description = "Players per room before a new room opens (env TICKWAVE_ROOM_CAPACITY, default ${DEFAULT-VALUE}).")
    int roomCapacity;

    @Option(names = "--ring-size", defaultValue = "${env:TICKWAVE_RING_SIZE:-65536}",
            description = "Event ring slots, a power of two (env TICKWAVE_RING_SIZE, default ${DEFAULT-VALUE}).")
    int ringSize;

    @Option(names = "--max-frame-bytes", defaultValue = "${env:TICKWAVE_MAX_FRAME_BYTES:-2048}",
            description = "Largest client frame accepted (env TICKWAVE_MAX_FRAME_BYTES, default ${DEFAULT-VALUE}).")
    int maxFrameBytes;

    @Option(names = "--max-input-bytes", defaultValue = "${env:TICKWAVE_MAX_INPUT_BYTES:-1024}",
            description = "Largest game input payload (env TICKWAVE_MAX_INPUT_BYTES, default ${DEFAULT-VALUE}).")
    int maxInputBytes;

    @Option(names = "--max-messages-per-second", defaultValue = "${env:TICKWAVE_MAX_MESSAGES_PER_SECOND:-120}",
            description = "Messages per second per client before it is closed (env TICKWAVE_MAX_MESSAGES_PER_SECOND,"
                    + " default ${DEFAULT-VALUE}).")
    int maxMessagesPerSecond;

    @Option(names = "--max-frames-per-second", defaultValue = "${env:TICKWAVE_MAX_FRAMES_PER_SECOND:-0}",
            description = "WebSocket frames of any kind (continuations, pings, pongs included) per second per client"
                    + " before it is closed; at least --max-messages-per-second, 0 for twice it"
                    + " (env TICKWAVE_MAX_FRAMES_PER_SECOND, default ${DEFAULT-VALUE}).")
    int maxFramesPerSecond;

    @Option(names = "--max-chat-chars", defaultValue = "${env:TICKWAVE_MAX_CHAT_CHARS:-200}",
            description = "Longest chat line (env TICKWAVE_MAX_CHAT_CHARS, default ${DEFAULT-VALUE}).")
    int maxChatChars;

    @Option(names = "--chat-lines-per-second", defaultValue = "${env:TICKWAVE_CHAT_LINES_PER_SECOND:-2}",
            description = "Chat lines per second per player (env TICKWAVE_CHAT_LINES_PER_SECOND, default ${DEFAULT-VALUE}).")
    int chatLinesPerSecond;

    @Option(names = "--idle-timeout-ms", defaultValue = "${env:TICKWAVE_IDLE_TIMEOUT_MS:-15000}",
            description = "Close a client that sent nothing for this long (env TICKWAVE_IDLE_TIMEOUT_MS,"
                    + " default ${DEFAULT-VALUE}).")
    int idleTimeoutMs;

    @Option(names = "--stall-timeout-ms", defaultValue = "${env:TICKWAVE_STALL_TIMEOUT_MS:-5000}",
            description = "Close a client that took no frame for this long (env TICKWAVE_STALL_TIMEOUT_MS,"
                    + " default ${DEFAULT-VALUE}).")
    int stallTimeoutMs;

    @Option(names = "--outbox-capacity", defaultValue = "${env:TICKWAVE_OUTBOX_CAPACITY:-256}",
            description = "Queued non-snapshot messages per client before it is closed as too slow; a power of two"
                    + " (env TICKWAVE_OUTBOX_CAPACITY, default ${DEFAULT-VALUE}).")
    int outboxCapacity;

    @Option(names = "--request-timeout-ms", defaultValue = "${env:TICKWAVE_REQUEST_TIMEOUT_MS:-5000}",
            description = "Close a socket that has not sent a whole HTTP request (the WebSocket upgrade included)"
                    + " this long after it connected or after its last request (env TICKWAVE_REQUEST_TIMEOUT_MS,"
                    + " default ${DEFAULT-VALUE}).")
    int requestTimeoutMs;

    @Option(names = "--join-timeout-ms", defaultValue = "${env:TICKWAVE_JOIN_TIMEOUT_MS:-10000}",
            description = "Close a WebSocket whose join was not accepted this long after the upgrade, whatever"
                    + " else it sends (env TICKWAVE_JOIN_TIMEOUT_MS, default ${DEFAULT-VALUE}).")
    int joinTimeoutMs;

    @Option(names = "--max-connections", defaultValue = "${env:TICKWAVE_MAX_CONNECTIONS:-0}",
            description = "Open WebSockets in all before upgrades are answered 503; 0 for three quarters of the"
                    + " open-file limit, at most 10000 (env TICKWAVE_MAX_CONNECTIONS, default ${DEFAULT-VALUE}).")
    int maxConnections;

    @Option(names = "--max-connections-per-address",
            defaultValue = "${env:TICKWAVE_MAX_CONNECTIONS_PER_ADDRESS:-32}",
            description = "Open WebSockets per client address (per /64 for IPv6) before upgrades are answered 429"
                    + " (env TICKWAVE_MAX_CONNECTIONS_PER_ADDRESS, default ${DEFAULT-VALUE}).")
    int maxConnectionsPerAddress;

    @Option(names = "--allowed-origins", defaultValue = "${env:TICKWAVE_ALLOWED_ORIGINS:-}",
            description = "Comma-separated origins whose pages may open a WebSocket, e.g. https://game.example.com;"
                    + " * for any; empty for the server's own origin and http(s)://localhost, 127.0.0.1 or [::1] on any port."
                    + " Clients sending no Origin (bots) are always allowed (env TICKWAVE_ALLOWED_ORIGINS).")
    String allowedOrigins;

    @Option(names = "--tls-cert", defaultValue = "${env:TICKWAVE_TLS_CERT:-}",
            description = "PEM certificate chain (server certificate first); with --tls-key the port serves https"
                    + " and wss instead of http and ws (env TICKWAVE_TLS_CERT).")
    String tlsCert;

    @Option(names = "--tls-key", defaultValue = "${env:TICKWAVE_TLS_KEY:-}",
            description = "PEM PKCS#8 private key (BEGIN PRIVATE KEY), RSA or EC, of --tls-cert (env TICKWAVE_TLS_KEY).")
    String tlsKey;

    @Option(names = "--metrics-port", defaultValue = "${env:TICKWAVE_METRICS_PORT:--1}",
            description = "Serve /metrics on this port of its own (plain HTTP, on --metrics-host) instead of on the"
                    + " game port, where only loopback clients get it; -1 for the latter (env TICKWAVE_METRICS_PORT,"
                    + " default ${DEFAULT-VALUE}).")
    int metricsPort;

    @Option(names = "--metrics-host", defaultValue = "${env:TICKWAVE_METRICS_HOST:-127.0.0.1}",
            description = "Address of the --metrics-port listener (env TICKWAVE_METRICS_HOST, default ${DEFAULT-VALUE}).")
    String metricsHost;

    @Option(names = "--io-threads", defaultValue = "${env:TICKWAVE_IO_THREADS:-0}",
            description = "Network threads, 0 for one per CPU this process may use: its affinity mask (taskset) or"
                    + " container CPU limit (env TICKWAVE_IO_THREADS, default ${DEFAULT-VALUE}).")
    int ioThreads;

    /** Held so the levels set on them stick (JUL keeps loggers only weakly). */
    private static final List<Logger> QUIETED_LOGGERS = List.of(Logger.getLogger("io.undertow"), Logger.getLogger("org.xnio"));

    /** The settings these flags describe (not yet validated). */
    ServerSettings toSettings() {
        ServerSettings settings = ServerSettings.defaults()
                .withHost(host).withPort(port).withTickRate(tickRate).withSnapshotRate(snapshotRate)
                .withStateHashEvery(stateHashEvery)
                .withRoomCapacity(roomCapacity).withRingSize(ringSize).withMaxFrameBytes(maxFrameBytes)
                .withMaxInputBytes(maxInputBytes).withMaxMessagesPerSecond(maxMessagesPerSecond)
                .withMaxFramesPerSecond(maxFramesPerSecond)
                .withMaxChatChars(maxChatChars).withChatLinesPerSecond(chatLinesPerSecond)
                .withIdleTimeoutMs(idleTimeoutMs).withStallTimeoutMs(stallTimeoutMs).withOutboxCapacity(outboxCapacity)
                .withRequestTimeoutMs(requestTimeoutMs).withJoinTimeoutMs(joinTimeoutMs);
        settings = settings.withMaxConnectionsPerAddress(maxConnectionsPerAddress)
                .withAllowedOrigins(allowedOrigins == null ? List.of() : Arrays.stream(allowedOrigins.split(","))
                        .map(String::strip).filter(origin -> !origin.isEmpty()).toList());
        settings = settings.withTls(pathOrNull(tlsCert), pathOrNull(tlsKey))
                .withMetricsPort(metricsPort).withMetricsHost(metricsHost);
        if (maxConnections != 0) {
            settings = settings.withMaxConnections(maxConnections);
        }
        return ioThreads > 0 ? settings.withIoThreads(ioThreads) : settings;
    }

    private static Path pathOrNull(String text) {
        return text == null || text.isBlank() ? null : Path.of(text.strip());
    }

    /**
     * Runs a server for {@code games} with the command-line {@code args}; returns only on a usage error
     * or after {@code --help}, otherwise ends the process.
     */
    public static void main(String[] args, String gameName, GameFactory games) {
        int exitCode = run(args, gameName, games, System.out, System.err);
        if (exitCode >= 0) {
            System.exit(exitCode);
        }
    }

    /**
     * A parse error's message, naming the environment variable when the bad value came from one rather
     * than from the command line (picocli names only the option).
     */
    static String describeParseError(CommandLine.ParameterException e, String[] args) {
        if (e.getArgSpec() instanceof CommandLine.Model.OptionSpec option && !givenOnCommandLine(option, args)) {
            // Every flag falls back to TICKWAVE_ and its name in capitals (--max-input-bytes: TICKWAVE_MAX_INPUT_BYTES).
            String variable = "TICKWAVE_" + option.longestName().substring(2).replace('-', '_').toUpperCase(Locale.ROOT);
            if (System.getenv(variable) != null) {
                return e.getMessage() + ", taken from the environment variable " + variable;
            }
        }
        return e.getMessage();
    }

    private static boolean givenOnCommandLine(CommandLine.Model.OptionSpec option, String[] args) {
        for (String arg : args) {
            for (String name : option.names()) {
                if (arg.equals(name) || arg.startsWith(name + "=")) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The launcher's logic; returns an exit code, or -1 when the server ran and the JVM exits by itself. */
    static int run(String[] args, String gameName, GameFactory games, PrintStream out, PrintStream err) {
        TickwaveLauncher options = new TickwaveLauncher();
        CommandLine commandLine = new CommandLine(options);
        try {
            commandLine.parseArgs(args);
        } catch (CommandLine.ParameterException e) {
            err.println("tickwave: " + describeParseError(e, args) + " (see --help)");
            return 2;
        }
        if (commandLine.isUsageHelpRequested()) {
            commandLine.usage(out);
            return 0;
        }
        if (commandLine.isVersionHelpRequested()) {
            commandLine.printVersionHelp(out);
            return 0;
        }
        // Undertow and XNIO announce their versions at INFO; keep the console to our own banner.
        QUIETED_LOGGERS.forEach(logger -> logger.setLevel(Level.WARNING));
        ServerSettings settings;
        try {
            settings = options.toSettings().validate();
        } catch (IllegalArgumentException e) {
            err.println("tickwave: bad setting: " + e.getMessage());
            return 2;
        }
        TickwaveServer server;
        try {
            server = TickwaveServer.start(settings, games);
        } catch (IllegalArgumentException e) {
            // A setting only checkable by using it, such as a TLS file.
            err.println("tickwave: bad setting: " + e.getMessage());
            return 2;
        } catch (IllegalStateException e) {
            err.println("tickwave: " + e.getMessage());
            return 1;
        }
        String displayHost = "0.0.0.0".equals(settings.host()) ? "localhost" : settings.host();
        String http = settings.tlsEnabled() ? "https" : "http";
        String ws = settings.tlsEnabled() ? "wss" : "ws";
        out.printf("Tickwave is running the %s game: open %s://%s:%d/%n", gameName, http, displayHost, server.port());
        String metricsWhere = server.metricsPort() == server.port() ? "/metrics (loopback clients only)"
                : "http://" + settings.metricsHost() + ":" + server.metricsPort() + "/metrics";
        out.printf("  WebSocket %s://%s:%d/ws   health /health   metrics %s%n", ws, displayHost, server.port(), metricsWhere);
        out.println(settings.withPort(server.port()).describe()); // the port bound, also for --port 0
        HeapHint.forJvm(ManagementFactory.getRuntimeMXBean().getInputArguments(), Runtime.getRuntime().maxMemory(),
                Runtime.version().feature()).ifPresent(out::println);
        out.println("Press Ctrl-C to stop.");
        out.flush();

        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            out.println("Tickwave is shutting down: closing connections (1001), stopping the game loop.");
            server.close();
            out.println("Tickwave stopped.");
            out.flush();
            // A JVM ended by SIGTERM exits 143 unless a hook halts it; a clean shutdown is a success.
            Runtime.getRuntime().halt(0);
        }, "tickwave-shutdown"));
        return -1;
    }
}
