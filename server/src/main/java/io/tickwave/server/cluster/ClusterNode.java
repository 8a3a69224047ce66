package io.tickwave.server.cluster;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.resource.Delay;
import io.tickwave.server.ServerSettings;
import io.tickwave.server.loop.ProblemReporter;
import io.tickwave.server.loop.RoomOccupancy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * This server as one node of a cluster on Redis: keeps its registration (node and rooms) alive with a
 * heartbeat, and serves matchmaking through {@link Matchmaker}. Exists only with {@code --redis}.
 *
 * <p>Threads: started and closed by the server's owning thread. Everything else runs on Lettuce's own
 * threads (two IO threads and two computation threads per node, the least Lettuce runs with): the heartbeat is scheduled there and
 * reads the newest {@link RoomOccupancy} the game loop stored (the loop only writes a volatile field,
 * see {@link #occupancyListener()}), and Redis answers complete there. Neither the loop nor an IO thread
 * of the game server ever waits for Redis.
 *
 * <p>Redis may be down at start or go away later: commands then fail at once (not queued), matchmaking
 * answers 503, and the heartbeat keeps trying; Lettuce reconnects, and the first heartbeat after that
 * writes everything again.
 */
public final class ClusterNode implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(ClusterNode.class.getName());
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(1);

    private final ServerSettings settings;
    private volatile String publicUrl;
    private final BooleanSupplier draining;
    private final ProblemReporter problems;
    private final ClientResources resources;
    private final RedisClient client;
    private final RedisURI uri;
    private final SeatTokens seatTokens;
    private final Matchmaker matchmaker;
    private volatile RoomOccupancy occupancy = RoomOccupancy.EMPTY;
    private volatile StatefulRedisConnection<String, String> connection;
    /** Set while a connection attempt is under way; only the heartbeat thread starts one. */
    private volatile boolean connecting;
    private volatile boolean registered;
    private volatile boolean heartbeatFailing;
    private ScheduledFuture<?> heartbeat;
    /** Owning thread: set once the client is shut down. */
    private boolean shutDown;

    /**
     * @param draining true while this node takes no new players (the graceful drain): it is then left out of
     *                 placement. Read on Lettuce's threads, so it must be cheap and thread-safe.
     */
    public ClusterNode(ServerSettings settings, SeatTokens seatTokens, BooleanSupplier draining,
                       ProblemReporter problems) {
        this.settings = settings;
        this.seatTokens = seatTokens;
        this.draining = draining;
        this.problems = problems;
        this.resources = DefaultClientResources.builder().ioThreadPoolSize(2).computationThreadPoolSize(2)
                // Back within two seconds of Redis: 100 ms, doubling, at most 2 s between attempts.
                .reconnectDelay(Delay.exponential(Duration.ofMillis(100), Duration.ofSeconds(2), 2, TimeUnit.MILLISECONDS))
                .build();
        this.uri = RedisURI.create(settings.redisUri());
        this.client = RedisClient.create(resources, uri);
        client.setOptions(ClientOptions.builder()
                .autoReconnect(true)
                // Fail at once while Redis is away, rather than queue: matchmaking must answer now.
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .timeoutOptions(TimeoutOptions.enabled(COMMAND_TIMEOUT))
                .build());
        this.matchmaker = new Matchmaker(this, settings, seatTokens);
    }

    /**
     * Starts the heartbeat (its first beat at once, connecting to Redis), registering this node at
     * {@code url}, the WebSocket URL clients are sent to. Owning thread.
     */
    public ClusterNode start(String url) {
        this.publicUrl = url;
        heartbeat = resources.eventExecutorGroup().scheduleAtFixedRate(this::beat, 0, ClusterKeys.HEARTBEAT_MS,
                TimeUnit.MILLISECONDS);
        return this;
    }

    /** Where the game loop hands its seat counts; the listener only stores them. */
    public Consumer<RoomOccupancy> occupancyListener() {
        return snapshot -> occupancy = snapshot;
    }

    /**
     * How long after a join the loop should report the reservation the player's seat token filled: a
     * reservation was made before that join and lives {@link ClusterKeys#reservationMs}, so reporting
     * it longer removes nothing; one heartbeat more covers the difference between Redis's clock and ours.
     */
    public long reportReservationsMs() {
        return ClusterKeys.reservationMs(settings.seatTokenMs()) + ClusterKeys.HEARTBEAT_MS;
    }

    /** The seat counts the next heartbeat registers: the newest the game loop handed over. Any thread. */
    public RoomOccupancy occupancy() {
        return occupancy;
    }

    /** What serves {@code POST /matchmake}. */
    public Matchmaker matchmaker() {
        return matchmaker;
    }

    public SeatTokens seatTokens() {
        return seatTokens;
    }

    public String nodeId() {
        return settings.nodeId();
    }

    /** True once a heartbeat has reached Redis and until one fails: for a readiness check. */
    public boolean registered() {
        return registered;
    }

    /** The connection to Redis, or null while there is none yet (never connected since start). */
    StatefulRedisConnection<String, String> connection() {
        return connection;
    }

    /** One heartbeat, on Lettuce's event executor: connects if never connected, then re-registers. */
    private void beat() {
        StatefulRedisConnection<String, String> redis = connection;
        if (redis == null) {
            connect();
            return;
        }
        RoomOccupancy now = occupancy;
        List<String> args = new ArrayList<>(8 + 5 * now.rooms());
        args.add(ClusterKeys.PREFIX);
        args.add(settings.nodeId());
        args.add(publicUrl);
        args.add(Integer.toString(now.players()));
        args.add(Integer.toString(settings.maxConnections()));
        args.add(draining.getAsBoolean() ? "1" : "0");
        args.add(settings.gameName());
        args.add(Long.toString(ClusterKeys.TTL_MS));
        for (int i = 0; i < now.rooms(); i++) {
            args.add(Integer.toString(now.roomId(i)));
            args.add(Integer.toString(now.roomPlayers(i)));
            args.add(Integer.toString(now.roomCapacity(i)));
            args.add(now.roomClosed(i) ? "1" : "0");
            String[] seated = now.seatedReservations(i);
            args.add(Integer.toString(seated.length));
            for (String reservation : seated) {
                args.add(reservation);
            }
        }
        redis.async().<Long>eval(ClusterKeys.HEARTBEAT_SCRIPT, ScriptOutputType.INTEGER, new String[0],
                args.toArray(new String[0])).whenComplete((ok, error) -> {
                    if (error == null) {
                        if (heartbeatFailing) {
                            LOG.log(System.Logger.Level.INFO, "cluster node {0} registered again with Redis",
                                    settings.nodeId());
                        }
                        heartbeatFailing = false;
                        registered = true;
                    } else {
                        registered = false;
                        if (!heartbeatFailing) {
                            heartbeatFailing = true;
                            LOG.log(System.Logger.Level.WARNING, "cluster node {0} cannot reach Redis at {1}: {2};"
                                    + " rooms play on, matchmaking answers 503 until it is back",
                                    settings.nodeId(), uri.getHost() + ":" + uri.getPort(), error.toString());
                        }
                    }
                });
    }

    private void connect() {
        if (connecting) {
            return;
        }
        connecting = true;
        client.connectAsync(StringCodec.UTF8, uri).whenComplete((redis, error) -> {
            connecting = false;
            if (error != null) {
                if (!heartbeatFailing) {
                    heartbeatFailing = true;
                    LOG.log(System.Logger.Level.WARNING, "cluster node {0} cannot connect to Redis at {1}: {2};"
                            + " retrying every heartbeat", settings.nodeId(), uri.getHost() + ":" + uri.getPort(),
                            error.toString());
                }
                return;
            }
            redis.setTimeout(COMMAND_TIMEOUT);
            connection = redis;
            beat();
        });
    }

    /** Stops the heartbeat and removes this node and its rooms from Redis at once, then disconnects. */
    @Override
    public void close() {
        if (shutDown) {
            return;
        }
        stopHeartbeat();
        StatefulRedisConnection<String, String> redis = connection;
        if (redis != null && redis.isOpen()) {
            try {
                redis.async().eval(ClusterKeys.DEREGISTER_SCRIPT, ScriptOutputType.INTEGER, new String[0],
                        ClusterKeys.PREFIX, settings.nodeId()).toCompletableFuture()
                        .get(COMMAND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (Exception e) {
                // Its keys expire by themselves within the TTL.
                problems.report("cluster node " + settings.nodeId() + " could not deregister; its keys will expire", e);
            }
        }
        shutDownClient();
    }

    /**
     * Stops talking to Redis without deregistering, as a node that died would: its keys expire after
     * {@link ClusterKeys#TTL_MS}. For tests of failover; owning thread.
     */
    public void vanish() {
        stopHeartbeat();
        shutDownClient();
    }

    private void stopHeartbeat() {
        if (heartbeat != null) {
            heartbeat.cancel(false);
            heartbeat = null;
        }
    }

    private void shutDownClient() {
        if (shutDown) {
            return;
        }
        shutDown = true;
        StatefulRedisConnection<String, String> redis = connection;
        connection = null;
        if (redis != null) {
            redis.close();
        }
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        CompletableFuture<Boolean> done = new CompletableFuture<>();
        resources.shutdown(0, 2, TimeUnit.SECONDS).addListener(future -> done.complete(Boolean.TRUE));
        try {
            done.get(3, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.log(System.Logger.Level.DEBUG, "Lettuce resources did not shut down in time", e);
        }
    }
}
