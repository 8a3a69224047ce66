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
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The command line of a Tickwave server: parses flags (each with an environment-variable fallback),
 * validates them, starts the server, prints where to connect, and runs until SIGTERM, Ctrl-C or
 * {@code POST /admin/drain}, when it drains (no new joins; rooms play on until they empty or
 * {@code --drain-timeout-ms}; the rest are closed with 4013) and exits 0. A bad setting or a taken port
 * ends the process at once with one line saying what to change (exit 2 or 1).
 *
 * <p>A game launches itself with {@link #game}: its name, flags and defaults (see {@link GameLauncher}).
 *
 * <p>Threads: runs on the main thread; the shutdown runs on the JVM's shutdown-hook thread.
 */
@Command(name = "tickwave", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Runs a Tickwave game server.", version = "Tickwave " + TickwaveLauncher.VERSION)
public final class TickwaveLauncher {

    static final String VERSION = "0.1.0";

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

    @Option(names = "--reconnect-grace-ms", defaultValue = "${env:TICKWAVE_RECONNECT_GRACE_MS:-20000}",
            description = "Keep a dropped player's seat this long for a reconnect with its token; 0 for none"
                    + " (env TICKWAVE_RECONNECT_GRACE_MS, default ${DEFAULT-VALUE}).")
    int reconnectGraceMs;

    @Option(names = "--drain-timeout-ms", defaultValue = "${env:TICKWAVE_DRAIN_TIMEOUT_MS:-30000}",
            description = "On SIGTERM or POST /admin/drain, let rooms play on this long before closing the remaining"
                    + " clients with 4013 (rematch) (env TICKWAVE_DRAIN_TIMEOUT_MS, default ${DEFAULT-VALUE}).")
    int drainTimeoutMs;

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

    @Option(names = "--redis", defaultValue = "${env:TICKWAVE_REDIS:-}",
            description = "Join the cluster on this Redis, redis://host:port (see docs/scale-out.md); absent for a"
                    + " single node that uses no Redis (env TICKWAVE_REDIS).")
    String redis;

    @Option(names = "--node-id", defaultValue = "${env:TICKWAVE_NODE_ID:-}",
            description = "This node's name in the cluster; empty for a random one (env TICKWAVE_NODE_ID).")
    String nodeId;

    @Option(names = "--public-url", defaultValue = "${env:TICKWAVE_PUBLIC_URL:-}",
            description = "The ws:// or wss:// URL the matchmaker sends clients to for this node; empty for"
                    + " ws(s)://host:port/ws (env TICKWAVE_PUBLIC_URL).")
    String publicUrl;

    @Option(names = "--cluster-secret", defaultValue = "${env:TICKWAVE_CLUSTER_SECRET:-}",
            description = "Key that signs seat tokens, the same on every node; required with --redis, at least 16"
                    + " characters; prefer the environment variable TICKWAVE_CLUSTER_SECRET.")
    String clusterSecret;

    @Option(names = "--seat-token-ms", defaultValue = "${env:TICKWAVE_SEAT_TOKEN_MS:-5000}",
            description = "How long a seat token from POST /matchmake is good for; its seat stays reserved two"
                    + " heartbeats (2 s) longer (env TICKWAVE_SEAT_TOKEN_MS, default ${DEFAULT-VALUE}).")
    int seatTokenMs;

    /** Held so the levels set on them stick (JUL keeps loggers only weakly). */
    private static final List<Logger> QUIETED_LOGGERS = List.of(Logger.getLogger("io.undertow"), Logger.getLogger("org.xnio"));

    /**
     * The setting behind each flag a game may give a default ({@link GameLauncher#defaults}), as the
     * flag would spell it. The others (TLS, cluster) belong to the deployment: flags only.
     */
    static final Map<String, Function<ServerSettings, Object>> FLAG_SETTINGS = Map.ofEntries(
            Map.entry("--host", ServerSettings::host),
            Map.entry("--port", ServerSettings::port),
            Map.entry("--tick-rate", ServerSettings::tickRateHz),
            Map.entry("--snapshot-rate", ServerSettings::snapshotRateHz),
            Map.entry("--state-hash-every", ServerSettings::stateHashEvery),
            Map.entry("--room-capacity", ServerSettings::roomCapacity),
            Map.entry("--ring-size", ServerSettings::ringSize),
            Map.entry("--max-frame-bytes", ServerSettings::maxFrameBytes),
            Map.entry("--max-input-bytes", ServerSettings::maxInputBytes),
            Map.entry("--max-messages-per-second", ServerSettings::maxMessagesPerSecond),
            Map.entry("--max-frames-per-second", ServerSettings::maxFramesPerSecondSetting),
            Map.entry("--max-chat-chars", ServerSettings::maxChatChars),
            Map.entry("--chat-lines-per-second", ServerSettings::chatLinesPerSecond),
            Map.entry("--idle-timeout-ms", ServerSettings::idleTimeoutMs),
            Map.entry("--stall-timeout-ms", ServerSettings::stallTimeoutMs),
            Map.entry("--outbox-capacity", ServerSettings::outboxCapacity),
            Map.entry("--request-timeout-ms", ServerSettings::requestTimeoutMs),
            Map.entry("--join-timeout-ms", ServerSettings::joinTimeoutMs),
            Map.entry("--reconnect-grace-ms", ServerSettings::reconnectGraceMs),
            Map.entry("--drain-timeout-ms", ServerSettings::drainTimeoutMs),
            Map.entry("--max-connections", ServerSettings::maxConnections),
            Map.entry("--max-connections-per-address", ServerSettings::maxConnectionsPerAddress),
            Map.entry("--allowed-origins", settings -> String.join(",", settings.allowedOrigins())),
            Map.entry("--metrics-port", ServerSettings::metricsPort),
            Map.entry("--metrics-host", ServerSettings::metricsHost),
            Map.entry("--io-threads", ServerSettings::ioThreads));

    /** The settings these flags describe over {@code base} (not yet validated). */
    ServerSettings toSettings(ServerSettings base) {
        ServerSettings settings = base
                .withHost(host).withPort(port).withTickRate(tickRate).withSnapshotRate(snapshotRate)
                .withStateHashEvery(stateHashEvery)
                .withRoomCapacity(roomCapacity).withRingSize(ringSize).withMaxFrameBytes(maxFrameBytes)
                .withMaxInputBytes(maxInputBytes).withMaxMessagesPerSecond(maxMessagesPerSecond)
                .withMaxFramesPerSecond(maxFramesPerSecond)
                .withMaxChatChars(maxChatChars).withChatLinesPerSecond(chatLinesPerSecond)
                .withIdleTimeoutMs(idleTimeoutMs).withStallTimeoutMs(stallTimeoutMs).withOutboxCapacity(outboxCapacity)
                .withRequestTimeoutMs(requestTimeoutMs).withJoinTimeoutMs(joinTimeoutMs)
                .withReconnectGraceMs(reconnectGraceMs).withDrainTimeoutMs(drainTimeoutMs);
        settings = settings.withMaxConnectionsPerAddress(maxConnectionsPerAddress)
                .withAllowedOrigins(allowedOrigins == null ? List.of() : Arrays.stream(allowedOrigins.split(","))
                        .map(String::strip).filter(origin -> !origin.isEmpty()).toList());
        settings = settings.withTls(pathOrNull(tlsCert), pathOrNull(tlsKey))
                .withMetricsPort(metricsPort).withMetricsHost(metricsHost);
        // 0 means "the computed default" for these two; anything else, negatives included, is checked by validate().
        if (maxConnections != 0) {
            settings = settings.withMaxConnections(maxConnections);
        }
        if (ioThreads != 0) {
            settings = settings.withIoThreads(ioThreads);
        }
        settings = settings.withRedis(redis).withPublicUrl(publicUrl)
                .withClusterSecret(clusterSecret == null || clusterSecret.isEmpty() ? null : clusterSecret)
                .withSeatTokenMs(seatTokenMs);
        if (nodeId != null && !nodeId.isBlank()) {
            settings = settings.withNodeId(nodeId.strip());
        }
        return settings;
    }

    /** The settings these flags describe over the framework's defaults (not yet validated). */
    ServerSettings toSettings() {
        return toSettings(ServerSettings.defaults());
    }

    private static Path pathOrNull(String text) {
        return text == null || text.isBlank() ? null : Path.of(text.strip());
    }

    /**
     * Describes how a game launches itself: {@code name} (in the usage line, the banner and errors, and
     * the matchmaker's game name) and the factory of its rooms; add its flags and defaults, then
     * {@link GameLauncher#run run}. See {@link GameLauncher}.
     */
    public static GameLauncher game(String name, GameFactory games) {
        return new GameLauncher(name, games);
    }

    /**
     * Runs a server for {@code games} with the command-line {@code args}:
     * {@code game(gameName, games).run(args)}.
     */
    public static void main(String[] args, String gameName, GameFactory games) {
        game(gameName, games).run(args);
    }

    /**
     * A parse error's message, naming the environment variable when the bad value came from one rather
     * than from the command line (picocli names only the option).
     */
    static String describeParseError(CommandLine.ParameterException e, String[] args) {
        if (e.getArgSpec() instanceof CommandLine.Model.OptionSpec option && !givenOnCommandLine(option, args)) {
            String variable = variableOf(option);
            if (System.getenv(variable) != null) {
                return e.getMessage() + ", taken from the environment variable " + variable;
            }
        }
        return e.getMessage();
    }

    /** Every flag falls back to TICKWAVE_ and its name in capitals (--max-input-bytes: TICKWAVE_MAX_INPUT_BYTES). */
    private static String variableOf(CommandLine.Model.OptionSpec option) {
        return "TICKWAVE_" + option.longestName().replaceFirst("^-+", "").replace('-', '_').toUpperCase(Locale.ROOT);
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

    /**
     * Serves the game's defaults as picocli defaults, so that a flag or its environment variable still
     * wins and {@code --help} shows them; null (the annotation's default) where the game kept the framework's.
     */
    private record GameDefaults(ServerSettings game, ServerSettings framework) implements CommandLine.IDefaultValueProvider {
        @Override
        public String defaultValue(CommandLine.Model.ArgSpec argSpec) {
            if (!(argSpec instanceof CommandLine.Model.OptionSpec option)) {
                return null;
            }
            Function<ServerSettings, Object> setting = FLAG_SETTINGS.get(option.longestName());
            if (setting == null) {
                return null;
            }
            Object value = setting.apply(game);
            if (Objects.equals(value, setting.apply(framework))) {
                return null;
            }
            return "${env:" + variableOf(option) + ":-" + value + "}";
        }
    }

    /** A parsed command line and the defaults it was parsed over. */
    private record Parsed(CommandLine commandLine, ServerSettings defaults) {
        TickwaveLauncher flags() {
            return commandLine.getCommand();
        }
    }

    private static CommandLine commandLine(GameLauncher game, CommandLine.IDefaultValueProvider defaults) {
        CommandLine commandLine = new CommandLine(new TickwaveLauncher());
        commandLine.setCommandName(game.name());
        commandLine.getCommandSpec().version(game.name() + " on Tickwave " + VERSION);
        commandLine.getCommandSpec().usageMessage().abbreviateSynopsis(true)
                .description("Runs the " + game.name() + " game on a Tickwave server.");
        List<Object> gameOptions = game.gameOptions();
        for (int i = 0; i < gameOptions.size(); i++) {
            commandLine.addMixin("game-options-" + i, gameOptions.get(i));
        }
        if (defaults != null) {
            commandLine.setDefaultValueProvider(defaults);
        }
        return commandLine;
    }

    /**
     * Parses twice: first for the game's own flags, then, with the game's defaults computed from them,
     * for the server's flags over those defaults.
     */
    private static Parsed parse(GameLauncher game, String[] args) {
        commandLine(game, null).parseArgs(args);
        ServerSettings framework = ServerSettings.defaults().withGameName(game.name());
        ServerSettings defaults = game.defaultsFunction().apply(framework);
        CommandLine commandLine = commandLine(game, new GameDefaults(defaults, framework));
        commandLine.parseArgs(args);
        return new Parsed(commandLine, defaults);
    }

    static ServerSettings settingsFor(GameLauncher game, String[] args) {
        Parsed parsed;
        try {
            parsed = parse(game, args);
        } catch (CommandLine.ParameterException e) {
            throw new IllegalArgumentException(describeParseError(e, args), e);
        }
        return parsed.flags().toSettings(parsed.defaults()).validate();
    }

    /** The launcher's logic for a game with no flags or defaults of its own; see {@link #execute}. */
    static int run(String[] args, String gameName, GameFactory games, PrintStream out, PrintStream err) {
        return execute(game(gameName, games), args, out, err);
    }

    /** The launcher's logic; returns an exit code, or -1 when the server runs and the JVM exits by itself. */
    static int execute(GameLauncher game, String[] args, PrintStream out, PrintStream err) {
        String name = game.name();
        Parsed parsed;
        try {
            parsed = parse(game, args);
        } catch (CommandLine.ParameterException e) {
            err.println(name + ": " + describeParseError(e, args) + " (see --help)");
            return 2;
        }
        CommandLine commandLine = parsed.commandLine();
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
            settings = parsed.flags().toSettings(parsed.defaults()).validate();
        } catch (IllegalArgumentException e) {
            err.println(name + ": bad setting: " + e.getMessage());
            return 2;
        }
        TickwaveServer server;
        try {
            server = TickwaveServer.start(settings, game.games());
        } catch (IllegalArgumentException e) {
            // A setting only checkable by using it, such as a TLS file or the address to listen on.
            err.println(name + ": bad setting: " + e.getMessage());
            return 2;
        } catch (IllegalStateException e) {
            err.println(name + ": " + e.getMessage());
            return 1;
        }
        String displayHost = "0.0.0.0".equals(settings.host()) ? "localhost" : settings.host();
        String http = settings.tlsEnabled() ? "https" : "http";
        String ws = settings.tlsEnabled() ? "wss" : "ws";
        out.printf("Tickwave is running the %s game: open %s://%s:%d/%n", settings.gameName(), http, displayHost,
                server.port());
        String metricsWhere = server.metricsPort() == server.port() ? "/metrics (loopback clients only)"
                : "http://" + settings.metricsHost() + ":" + server.metricsPort() + "/metrics";
        out.printf("  WebSocket %s://%s:%d/ws   health /health   ready /ready   metrics %s%n", ws, displayHost,
                server.port(), metricsWhere);
        out.println(settings.withPort(server.port()).describe()); // the port bound, also for --port 0
        if (settings.clusterEnabled()) {
            out.printf("  cluster node %s at %s, matchmaking POST /matchmake%n", settings.nodeId(),
                    settings.publicUrlFor(server.port()));
        }
        HeapHint.forJvm(ManagementFactory.getRuntimeMXBean().getInputArguments(), Runtime.getRuntime().maxMemory(),
                Runtime.version().feature()).ifPresent(out::println);
        out.println("Press Ctrl-C to stop.");
        out.flush();

        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (!server.draining()) {
                out.printf("Tickwave is draining: no new joins, rooms play on for up to %d ms, then the rest are"
                        + " closed with 4013 (rematch).%n", settings.drainTimeoutMs());
                out.flush();
            }
            server.startDrain().join();
            out.println("Tickwave stopped.");
            out.flush();
            // A JVM ended by SIGTERM exits 143 unless a hook halts it; a clean shutdown is a success.
            Runtime.getRuntime().halt(0);
        }, "tickwave-shutdown"));
        // A drain asked for over HTTP ends the process the same way: the hook above then finds it done.
        // Exits on a thread of its own: System.exit waits for the hooks, so it must not hold the drain thread.
        server.drained().thenRunAsync(() -> System.exit(0), exit -> {
            Thread exiter = new Thread(exit, "tickwave-exit");
            exiter.setDaemon(true);
            exiter.start();
        });
        return -1;
    }
}
