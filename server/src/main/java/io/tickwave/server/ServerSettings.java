package io.tickwave.server;

import com.sun.management.UnixOperatingSystemMXBean;
import io.tickwave.server.net.OriginPolicy;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * Every setting of a server, immutable, validated once by {@link #validate()} before anything starts.
 * Built from flags and environment variables by {@link TickwaveLauncher}, or in code from
 * {@link #defaults()} with the {@code with…} methods.
 */
public final class ServerSettings {

    private static final int DEFAULT_MAX_CONNECTIONS = defaultMaxConnections();
    /** {@link #metricsPort()} for "on the game port, to loopback clients only". */
    public static final int METRICS_ON_GAME_PORT = -1;
    /** A rate limiter's resolution is a token per nanosecond. */
    private static final int MAX_TOKENS_PER_SECOND = 1_000_000_000;
    /** Room in a frame for the envelope around an input payload or a chat line (tags, lengths, seq, tick). */
    private static final int ENVELOPE_BYTES = 32;
    /** A seat-token key shorter than this is too easy to guess. */
    private static final int MIN_CLUSTER_SECRET_CHARS = 16;

    private String host = "0.0.0.0";
    private int port = 8080;
    private int tickRateHz = 60;
    private int snapshotRateHz = 30;
    /** Snapshots between two that carry a state hash, for games that replicate; 0: never. */
    private int stateHashEvery = 30;
    private int roomCapacity = 64;
    private int ringSize = 65_536;
    /**
     * The largest legitimate client message is an input with a 1 KiB payload (about 1,040 bytes framed)
     * or a 200-character chat line (at most 800 bytes of UTF-8): 2 KiB holds either with room to spare.
     */
    private int maxFrameBytes = 2_048;
    private int maxInputBytes = 1_024;
    private int maxMessagesPerSecond = 120;
    /** 0: twice {@link #maxMessagesPerSecond}; see {@link #maxFramesPerSecond()}. */
    private int maxFramesPerSecond;
    private int maxChatChars = 200;
    private int chatLinesPerSecond = 2;
    private int idleTimeoutMs = 15_000;
    private int stallTimeoutMs = 5_000;
    private int outboxCapacity = 256;
    private int requestTimeoutMs = 5_000;
    private int joinTimeoutMs = 10_000;
    private int reconnectGraceMs = 20_000;
    private int drainTimeoutMs = 30_000;
    private int maxConnections = DEFAULT_MAX_CONNECTIONS;
    private int maxConnectionsPerAddress = 32;
    private List<String> allowedOrigins = List.of();
    private Path tlsCertFile;
    private int metricsPort = METRICS_ON_GAME_PORT;
    private String metricsHost = "127.0.0.1";
    private Path tlsKeyFile;
    /**
     * One IO thread per CPU this process may run on: {@code availableProcessors()} honours the affinity
     * mask ({@code taskset}) and container CPU limits, so a one-core deployment gets one busy thread.
     */
    private int ioThreads = Runtime.getRuntime().availableProcessors();
    /** Null: a single node, and no Redis code runs. */
    private String redisUri;
    private String nodeId = randomNodeId();
    /** Null: {@code ws(s)://host:bound-port/ws}, see {@link #publicUrlFor}. */
    private String publicUrl;
    private String clusterSecret;
    /** How long a matchmaker's seat token is good for; its reservation holds the seat two heartbeats longer. */
    private int seatTokenMs = 5_000;
    private String gameName = "game";

    private ServerSettings() {
    }

    /**
     * The default WebSocket cap: three quarters of the process's open-file limit, so that the last quarter
     * stays free for HTTP requests ({@code /health} keeps answering when the cap is hit), the listening
     * socket and the JVM's own files; at most 10,000. Without a readable limit (not a Unix JVM), 10,000.
     */
    public static int defaultMaxConnections() {
        long fileLimit = -1;
        if (ManagementFactory.getOperatingSystemMXBean() instanceof UnixOperatingSystemMXBean unix) {
            fileLimit = unix.getMaxFileDescriptorCount();
        }
        if (fileLimit <= 0) {
            return 10_000;
        }
        return (int) Math.max(1, Math.min(10_000, fileLimit * 3 / 4));
    }

    /** The defaults documented in docs/protocol.md and printed by {@code --help}. */
    public static ServerSettings defaults() {
        return new ServerSettings();
    }

    /** A copy with one change; this object itself never changes once handed out. */
    private ServerSettings copyWith(Consumer<ServerSettings> change) {
        ServerSettings copy = new ServerSettings();
        copy.host = host;
        copy.port = port;
        copy.tickRateHz = tickRateHz;
        copy.snapshotRateHz = snapshotRateHz;
        copy.stateHashEvery = stateHashEvery;
        copy.roomCapacity = roomCapacity;
        copy.ringSize = ringSize;
        copy.maxFrameBytes = maxFrameBytes;
        copy.maxInputBytes = maxInputBytes;
        copy.maxMessagesPerSecond = maxMessagesPerSecond;
        copy.maxFramesPerSecond = maxFramesPerSecond;
        copy.maxChatChars = maxChatChars;
        copy.chatLinesPerSecond = chatLinesPerSecond;
        copy.idleTimeoutMs = idleTimeoutMs;
        copy.stallTimeoutMs = stallTimeoutMs;
        copy.outboxCapacity = outboxCapacity;
        copy.requestTimeoutMs = requestTimeoutMs;
        copy.joinTimeoutMs = joinTimeoutMs;
        copy.reconnectGraceMs = reconnectGraceMs;
        copy.drainTimeoutMs = drainTimeoutMs;
        copy.maxConnections = maxConnections;
        copy.maxConnectionsPerAddress = maxConnectionsPerAddress;
        copy.allowedOrigins = allowedOrigins;
        copy.tlsCertFile = tlsCertFile;
        copy.metricsPort = metricsPort;
        copy.metricsHost = metricsHost;
        copy.tlsKeyFile = tlsKeyFile;
        copy.ioThreads = ioThreads;
        copy.redisUri = redisUri;
        copy.nodeId = nodeId;
        copy.publicUrl = publicUrl;
        copy.clusterSecret = clusterSecret;
        copy.seatTokenMs = seatTokenMs;
        copy.gameName = gameName;
        change.accept(copy);
        return copy;
    }

    public ServerSettings withHost(String value) {
        return copyWith(copy -> copy.host = value);
    }

    public ServerSettings withPort(int value) {
        return copyWith(copy -> copy.port = value);
    }

    public ServerSettings withTickRate(int value) {
        return copyWith(copy -> copy.tickRateHz = value);
    }

    public ServerSettings withSnapshotRate(int value) {
        return copyWith(copy -> copy.snapshotRateHz = value);
    }

    /**
     * For games that replicate: every this many snapshots a viewer's snapshot carries {@code state_hash},
     * the hash of that viewer's state, so clients can check what they rebuilt; 0 for never.
     */
    public ServerSettings withStateHashEvery(int value) {
        return copyWith(copy -> copy.stateHashEvery = value);
    }

    public ServerSettings withRoomCapacity(int value) {
        return copyWith(copy -> copy.roomCapacity = value);
    }

    public ServerSettings withRingSize(int value) {
        return copyWith(copy -> copy.ringSize = value);
    }

    public ServerSettings withMaxFrameBytes(int value) {
        return copyWith(copy -> copy.maxFrameBytes = value);
    }

    public ServerSettings withMaxInputBytes(int value) {
        return copyWith(copy -> copy.maxInputBytes = value);
    }

    public ServerSettings withMaxMessagesPerSecond(int value) {
        return copyWith(copy -> copy.maxMessagesPerSecond = value);
    }

    /**
     * WebSocket frames of every kind (data, continuations, pings, pongs, closes) per second per client,
     * burst as many, before it is closed with 4008; 0 (the default) for twice
     * {@link #withMaxMessagesPerSecond the message limit}.
     */
    public ServerSettings withMaxFramesPerSecond(int value) {
        return copyWith(copy -> copy.maxFramesPerSecond = value);
    }

    public ServerSettings withMaxChatChars(int value) {
        return copyWith(copy -> copy.maxChatChars = value);
    }

    public ServerSettings withChatLinesPerSecond(int value) {
        return copyWith(copy -> copy.chatLinesPerSecond = value);
    }

    public ServerSettings withIdleTimeoutMs(int value) {
        return copyWith(copy -> copy.idleTimeoutMs = value);
    }

    public ServerSettings withStallTimeoutMs(int value) {
        return copyWith(copy -> copy.stallTimeoutMs = value);
    }

    public ServerSettings withOutboxCapacity(int value) {
        return copyWith(copy -> copy.outboxCapacity = value);
    }

    /**
     * How long a connection may take to send one whole HTTP request (the WebSocket upgrade included),
     * and how long it may stay open between requests; past it the socket is closed.
     */
    public ServerSettings withRequestTimeoutMs(int value) {
        return copyWith(copy -> copy.requestTimeoutMs = value);
    }

    /** How long after the WebSocket upgrade a connection may take to get its join accepted. */
    public ServerSettings withReconnectGraceMs(int value) {
        return copyWith(copy -> copy.reconnectGraceMs = value);
    }

    public ServerSettings withDrainTimeoutMs(int value) {
        return copyWith(copy -> copy.drainTimeoutMs = value);
    }

    public ServerSettings withJoinTimeoutMs(int value) {
        return copyWith(copy -> copy.joinTimeoutMs = value);
    }

    /** Open WebSockets in all before further upgrades are answered 503. */
    public ServerSettings withMaxConnections(int value) {
        return copyWith(copy -> copy.maxConnections = value);
    }

    /** Open WebSockets from one address (one /64 for IPv6) before further upgrades are answered 429. */
    public ServerSettings withMaxConnectionsPerAddress(int value) {
        return copyWith(copy -> copy.maxConnectionsPerAddress = value);
    }

    /**
     * The origins whose pages may open a WebSocket: exact origins such as {@code https://game.example.com},
     * {@code *} for any, or an empty list for the default (the server's own origin and localhost); see
     * {@link OriginPolicy}.
     */
    public ServerSettings withAllowedOrigins(List<String> value) {
        List<String> copied = List.copyOf(value);
        return copyWith(copy -> copy.allowedOrigins = copied);
    }

    /**
     * Serves https:// and wss:// instead of http:// and ws://, on the same one port, with the PEM
     * certificate chain {@code certFile} and its PKCS#8 private key {@code keyFile} (see
     * {@link io.tickwave.server.tls.PemTls}); both null for plain HTTP.
     */
    public ServerSettings withTls(Path certFile, Path keyFile) {
        return copyWith(copy -> {
            copy.tlsCertFile = certFile;
            copy.tlsKeyFile = keyFile;
        });
    }

    /**
     * Where {@code /metrics} is served: {@link #METRICS_ON_GAME_PORT} (the default) on the game port to
     * loopback clients only; otherwise on a plain-HTTP listener of its own on this port (0: any free
     * one) and {@link #withMetricsHost host}, and not on the game port at all.
     */
    public ServerSettings withMetricsPort(int value) {
        return copyWith(copy -> copy.metricsPort = value);
    }

    /** The address the separate metrics listener binds (default 127.0.0.1). */
    public ServerSettings withMetricsHost(String value) {
        return copyWith(copy -> copy.metricsHost = value);
    }

    public ServerSettings withIoThreads(int value) {
        return copyWith(copy -> copy.ioThreads = value);
    }

    /**
     * Joins the cluster whose shared state is the Redis at {@code redis://host:port} (or {@code rediss://}),
     * see docs/scale-out.md; null or blank (the default) for a single node that runs no Redis code.
     */
    public ServerSettings withRedis(String uri) {
        String value = uri == null || uri.isBlank() ? null : uri.strip();
        return copyWith(copy -> copy.redisUri = value);
    }

    /** This node's name in the cluster, unique among its nodes (default: random). */
    public ServerSettings withNodeId(String value) {
        return copyWith(copy -> copy.nodeId = value);
    }

    /** The WebSocket URL clients are sent to for this node; null for {@code ws(s)://host:port/ws}. */
    public ServerSettings withPublicUrl(String value) {
        String url = value == null || value.isBlank() ? null : value.strip();
        return copyWith(copy -> copy.publicUrl = url);
    }

    /** The key every node of a cluster signs and checks seat tokens with; required with {@link #withRedis}. */
    public ServerSettings withClusterSecret(String value) {
        return copyWith(copy -> copy.clusterSecret = value);
    }

    /**
     * How long a seat token from {@code POST /matchmake} is good for (its {@code expiresInMs}); the seat's
     * reservation lives two heartbeats longer (docs/scale-out.md). Cluster only.
     */
    public ServerSettings withSeatTokenMs(int value) {
        return copyWith(copy -> copy.seatTokenMs = value);
    }

    /** The game this node runs, as the matchmaker matches it ({@code "game"} in a matchmake request). */
    public ServerSettings withGameName(String value) {
        return copyWith(copy -> copy.gameName = value);
    }

    /**
     * Checks every value and their relations.
     *
     * @return this, for chaining
     * @throws IllegalArgumentException naming the first bad setting and what to change
     */
    public ServerSettings validate() {
        List<String> problems = new ArrayList<>();
        boolean tickRateValid = tickRateHz >= 1 && tickRateHz <= 1_000;
        if (port < 0 || port > 65_535) {
            problems.add("--port (TICKWAVE_PORT) must be between 0 and 65535, was " + port);
        }
        if (!tickRateValid) {
            problems.add("--tick-rate (TICKWAVE_TICK_RATE) must be between 1 and 1000 Hz, was " + tickRateHz);
        }
        if (tickRateValid && (snapshotRateHz < 1 || snapshotRateHz > tickRateHz || tickRateHz % snapshotRateHz != 0)) {
            problems.add("--snapshot-rate (TICKWAVE_SNAPSHOT_RATE) must divide --tick-rate (" + tickRateHz + "), e.g. "
                    + largestDivisorAtMost(tickRateHz, snapshotRateHz) + " or " + tickRateHz + "; was " + snapshotRateHz);
        }
        if (stateHashEvery < 0) {
            problems.add("--state-hash-every (TICKWAVE_STATE_HASH_EVERY) must be 0 (no state hashes) or a number of"
                    + " snapshots, was " + stateHashEvery);
        }
        if (roomCapacity < 1 || roomCapacity > 10_000) {
            problems.add("--room-capacity (TICKWAVE_ROOM_CAPACITY) must be between 1 and 10000, was " + roomCapacity);
        }
        if (ringSize < 64 || Integer.bitCount(ringSize) != 1) {
            problems.add("--ring-size (TICKWAVE_RING_SIZE) must be a power of two of at least 64, was " + ringSize);
        }
        if (maxFrameBytes < 256 || maxFrameBytes > 1 << 20) {
            problems.add("--max-frame-bytes (TICKWAVE_MAX_FRAME_BYTES) must be between 256 and 1048576, was " + maxFrameBytes);
        }
        if (maxInputBytes < 1 || maxInputBytes + ENVELOPE_BYTES > maxFrameBytes) {
            problems.add("--max-input-bytes (TICKWAVE_MAX_INPUT_BYTES) must be at least 1 and leave " + ENVELOPE_BYTES
                    + " bytes of --max-frame-bytes (" + maxFrameBytes + ") for the message around it, was " + maxInputBytes);
        }
        if (maxMessagesPerSecond < 1) {
            problems.add("--max-messages-per-second (TICKWAVE_MAX_MESSAGES_PER_SECOND) must be at least 1, was " + maxMessagesPerSecond);
        }
        if (maxFramesPerSecond != 0 && (maxFramesPerSecond < maxMessagesPerSecond
                || maxFramesPerSecond > MAX_TOKENS_PER_SECOND)) {
            problems.add("--max-frames-per-second (TICKWAVE_MAX_FRAMES_PER_SECOND) must be at least"
                    + " --max-messages-per-second (" + maxMessagesPerSecond + "), as every message is a frame, and at most "
                    + MAX_TOKENS_PER_SECOND + "; or 0 for twice --max-messages-per-second; was " + maxFramesPerSecond);
        }
        if (maxChatChars < 1 || maxChatChars > 4_000) {
            problems.add("--max-chat-chars (TICKWAVE_MAX_CHAT_CHARS) must be between 1 and 4000, was " + maxChatChars);
        }
        if (maxChatChars >= 1 && maxChatChars * 4 + ENVELOPE_BYTES > maxFrameBytes) {
            problems.add("--max-chat-chars (TICKWAVE_MAX_CHAT_CHARS) of up to 4 UTF-8 bytes each must fit in --max-frame-bytes ("
                    + maxFrameBytes + ") with " + ENVELOPE_BYTES + " bytes to spare: at most "
                    + Math.max(0, (maxFrameBytes - ENVELOPE_BYTES) / 4) + ", was " + maxChatChars);
        }
        if (chatLinesPerSecond < 1) {
            problems.add("--chat-lines-per-second (TICKWAVE_CHAT_LINES_PER_SECOND) must be at least 1, was " + chatLinesPerSecond);
        }
        if (idleTimeoutMs < 100) {
            problems.add("--idle-timeout-ms (TICKWAVE_IDLE_TIMEOUT_MS) must be at least 100, was " + idleTimeoutMs);
        }
        if (stallTimeoutMs < 100) {
            problems.add("--stall-timeout-ms (TICKWAVE_STALL_TIMEOUT_MS) must be at least 100, was " + stallTimeoutMs);
        }
        if (outboxCapacity < 8 || outboxCapacity > 65_536 || Integer.bitCount(outboxCapacity) != 1) {
            problems.add("--outbox-capacity (TICKWAVE_OUTBOX_CAPACITY) must be a power of two from 8 to 65536, was "
                    + outboxCapacity);
        }
        if (requestTimeoutMs < 100 || requestTimeoutMs > 600_000) {
            problems.add("--request-timeout-ms (TICKWAVE_REQUEST_TIMEOUT_MS) must be between 100 and 600000, was "
                    + requestTimeoutMs);
        }
        if (joinTimeoutMs < 100 || joinTimeoutMs > 600_000) {
            problems.add("--join-timeout-ms (TICKWAVE_JOIN_TIMEOUT_MS) must be between 100 and 600000, was "
                    + joinTimeoutMs);
        }
        if (reconnectGraceMs < 0 || reconnectGraceMs > 3_600_000) {
            problems.add("--reconnect-grace-ms (TICKWAVE_RECONNECT_GRACE_MS) must be between 0 and 3600000, was "
                    + reconnectGraceMs);
        }
        if (drainTimeoutMs < 0 || drainTimeoutMs > 3_600_000) {
            problems.add("--drain-timeout-ms (TICKWAVE_DRAIN_TIMEOUT_MS) must be between 0 and 3600000, was "
                    + drainTimeoutMs);
        }
        if (maxConnections < 1 || maxConnections > 1_000_000) {
            problems.add("--max-connections (TICKWAVE_MAX_CONNECTIONS) must be 0 (three quarters of the open-file limit)"
                    + " or between 1 and 1000000, was " + maxConnections);
        }
        if (maxConnectionsPerAddress < 1) {
            problems.add("--max-connections-per-address (TICKWAVE_MAX_CONNECTIONS_PER_ADDRESS) must be at least 1, was "
                    + maxConnectionsPerAddress);
        }
        for (String origin : allowedOrigins) {
            String problem = OriginPolicy.problemWith(origin);
            if (problem != null) {
                problems.add("--allowed-origins (TICKWAVE_ALLOWED_ORIGINS): " + problem);
                break;
            }
        }
        if (metricsPort < METRICS_ON_GAME_PORT || metricsPort > 65_535 || (metricsPort > 0 && metricsPort == port)) {
            problems.add("--metrics-port (TICKWAVE_METRICS_PORT) must be -1 (the game port, loopback clients only) or a"
                    + " port from 0 to 65535 other than --port, was " + metricsPort);
        }
        if ((tlsCertFile == null) != (tlsKeyFile == null)) {
            problems.add("--tls-cert (TICKWAVE_TLS_CERT) and --tls-key (TICKWAVE_TLS_KEY) go together: give both"
                    + " for https and wss, or neither for plain http");
        }
        if (ioThreads < 1 || ioThreads > 256) {
            problems.add("--io-threads (TICKWAVE_IO_THREADS) must be 0 (one per CPU) or between 1 and 256, was "
                    + ioThreads);
        }
        if (redisUri != null) {
            if (!redisUri.startsWith("redis://") && !redisUri.startsWith("rediss://")) {
                problems.add("--redis (TICKWAVE_REDIS) must be a redis://host:port or rediss://host:port URI, was "
                        + redisUri);
            }
            if (clusterSecret == null || clusterSecret.length() < MIN_CLUSTER_SECRET_CHARS) {
                problems.add("--cluster-secret (TICKWAVE_CLUSTER_SECRET) is required with --redis: at least "
                        + MIN_CLUSTER_SECRET_CHARS + " characters, the same on every node (it signs seat tokens)");
            }
        }
        if (seatTokenMs < 100 || seatTokenMs > 60_000) {
            problems.add("--seat-token-ms (TICKWAVE_SEAT_TOKEN_MS) must be between 100 and 60000, was " + seatTokenMs);
        }
        if (nodeId == null || !nodeId.matches("[A-Za-z0-9._-]{1,64}")) {
            problems.add("--node-id (TICKWAVE_NODE_ID) must be 1 to 64 letters, digits, '.', '_' or '-', was " + nodeId);
        }
        if (publicUrl != null && !publicUrl.startsWith("ws://") && !publicUrl.startsWith("wss://")) {
            problems.add("--public-url (TICKWAVE_PUBLIC_URL) must be a ws:// or wss:// URL, was " + publicUrl);
        }
        if (gameName == null || gameName.isBlank()) {
            problems.add("the game name must not be blank");
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
        return this;
    }

    private static String randomNodeId() {
        return "node-" + Long.toHexString(new java.security.SecureRandom().nextLong() >>> 16);
    }

    private static int largestDivisorAtMost(int number, int limit) {
        for (int candidate = Math.min(Math.max(limit, 1), number); candidate > 1; candidate--) {
            if (number % candidate == 0) {
                return candidate;
            }
        }
        return 1;
    }

    public String host() {
        return host;
    }

    public int port() {
        return port;
    }

    public int tickRateHz() {
        return tickRateHz;
    }

    public int snapshotRateHz() {
        return snapshotRateHz;
    }

    /** Snapshots between two that carry a state hash (games that replicate); 0: none do. */
    public int stateHashEvery() {
        return stateHashEvery;
    }

    /** Simulation ticks between two snapshots. */
    public int ticksPerSnapshot() {
        return tickRateHz / snapshotRateHz;
    }

    public long tickIntervalNs() {
        return 1_000_000_000L / tickRateHz;
    }

    public int roomCapacity() {
        return roomCapacity;
    }

    public int ringSize() {
        return ringSize;
    }

    public int maxFrameBytes() {
        return maxFrameBytes;
    }

    public int maxInputBytes() {
        return maxInputBytes;
    }

    public int maxMessagesPerSecond() {
        return maxMessagesPerSecond;
    }

    /** The frame rate limit as set: 0 for twice {@link #maxMessagesPerSecond()}. */
    int maxFramesPerSecondSetting() {
        return maxFramesPerSecond;
    }

    /** The frame rate limit in force: as set, or twice {@link #maxMessagesPerSecond()}. */
    public int maxFramesPerSecond() {
        return maxFramesPerSecond != 0 ? maxFramesPerSecond
                : (int) Math.min(2L * maxMessagesPerSecond, MAX_TOKENS_PER_SECOND);
    }

    public int maxChatChars() {
        return maxChatChars;
    }

    public int chatLinesPerSecond() {
        return chatLinesPerSecond;
    }

    public int idleTimeoutMs() {
        return idleTimeoutMs;
    }

    public int stallTimeoutMs() {
        return stallTimeoutMs;
    }

    public int outboxCapacity() {
        return outboxCapacity;
    }

    public int requestTimeoutMs() {
        return requestTimeoutMs;
    }

    public int joinTimeoutMs() {
        return joinTimeoutMs;
    }

    /**
     * How long a dropped player's seat is kept for a reconnect with its token; 0: no reconnects, a drop
     * is a leave at once.
     */
    public int reconnectGraceMs() {
        return reconnectGraceMs;
    }

    /** How long a drain lets rooms play on before the remaining clients are closed with 4013 (rematch). */
    public int drainTimeoutMs() {
        return drainTimeoutMs;
    }

    /**
     * How often each connection's IO thread runs the idle and join checks: often enough that neither
     * deadline is overshot by more than a quarter.
     */
    public long connectionCheckIntervalMs() {
        return Math.max(50, Math.min(idleTimeoutMs, joinTimeoutMs) / 4);
    }

    public int maxConnections() {
        return maxConnections;
    }

    public int maxConnectionsPerAddress() {
        return maxConnectionsPerAddress;
    }

    /** Empty for the default policy. */
    public List<String> allowedOrigins() {
        return allowedOrigins;
    }

    /** True when the server serves https:// and wss://. */
    public boolean tlsEnabled() {
        return tlsCertFile != null && tlsKeyFile != null;
    }

    /** The PEM certificate chain, or null for plain HTTP. */
    public Path tlsCertFile() {
        return tlsCertFile;
    }

    /** The PEM PKCS#8 private key, or null for plain HTTP. */
    public Path tlsKeyFile() {
        return tlsKeyFile;
    }

    public int metricsPort() {
        return metricsPort;
    }

    public String metricsHost() {
        return metricsHost;
    }

    public int ioThreads() {
        return ioThreads;
    }

    /** True when this node is part of a cluster on Redis. */
    public boolean clusterEnabled() {
        return redisUri != null;
    }

    /** The Redis URI, or null on a single node. */
    public String redisUri() {
        return redisUri;
    }

    public String nodeId() {
        return nodeId;
    }

    /** The URL clients are sent to for this node, given the port actually bound. */
    public String publicUrlFor(int boundPort) {
        if (publicUrl != null) {
            return publicUrl;
        }
        String urlHost = host;
        if ("0.0.0.0".equals(host) || "::".equals(host)) {
            try {
                urlHost = java.net.InetAddress.getLocalHost().getHostName();
            } catch (java.net.UnknownHostException e) {
                urlHost = "localhost";
            }
        } else if (host.indexOf(':') >= 0) {
            urlHost = "[" + host + "]";
        }
        return (tlsEnabled() ? "wss://" : "ws://") + urlHost + ":" + boundPort + "/ws";
    }

    public String clusterSecret() {
        return clusterSecret;
    }

    public String gameName() {
        return gameName;
    }

    /** How long a matchmaker's seat token is good for, in milliseconds; see {@link #withSeatTokenMs}. */
    public int seatTokenMs() {
        return seatTokenMs;
    }

    /** One line per setting, for the start banner. */
    public String describe() {
        return String.format(Locale.ROOT,
                "  host=%s port=%d io-threads=%d%n"
                        + "  tick-rate=%d Hz snapshot-rate=%d Hz (every %d ticks) state-hash-every=%d room-capacity=%d"
                        + " ring-size=%d%n"
                        + "  max-frame-bytes=%d max-input-bytes=%d max-messages-per-second=%d max-frames-per-second=%d%n"
                        + "  max-chat-chars=%d chat-lines-per-second=%d idle-timeout-ms=%d stall-timeout-ms=%d"
                        + " outbox-capacity=%d%n"
                        + "  request-timeout-ms=%d join-timeout-ms=%d max-connections=%d max-connections-per-address=%d%n"
                        + "  reconnect-grace-ms=%d drain-timeout-ms=%d%n"
                        + "  allowed-origins=%s tls=%s metrics=%s%n"
                        + "  cluster=%s",
                host, port, ioThreads, tickRateHz, snapshotRateHz, ticksPerSnapshot(), stateHashEvery, roomCapacity, ringSize,
                maxFrameBytes, maxInputBytes, maxMessagesPerSecond, maxFramesPerSecond(), maxChatChars, chatLinesPerSecond,
                idleTimeoutMs, stallTimeoutMs, outboxCapacity, requestTimeoutMs, joinTimeoutMs, maxConnections, maxConnectionsPerAddress,
                reconnectGraceMs, drainTimeoutMs,
                allowedOrigins.isEmpty() ? "(own origin and localhost)" : String.join(",", allowedOrigins),
                tlsEnabled() ? "cert " + tlsCertFile + " key " + tlsKeyFile : "off",
                metricsPort == METRICS_ON_GAME_PORT ? "game port, loopback only" : metricsHost + ":" + metricsPort,
                // Never the secret.
                redisUri == null ? "off (single node)" : "redis " + redisUri.replaceFirst("//[^@/]*@", "//***@") + " node-id " + nodeId
                        + " public-url " + (publicUrl == null ? "(host and port)" : publicUrl)
                        + " seat-token-ms " + seatTokenMs);
    }

    @Override
    public String toString() {
        return "ServerSettings{" + describe().replace(System.lineSeparator(), "").replaceAll(" +", " ").trim() + "}";
    }
}
