package io.tickwave.testkit;

import io.tickwave.protocol.ClientMessage;
import io.tickwave.protocol.Join;
import io.tickwave.server.ServerSettings;
import io.tickwave.server.api.Game;
import io.tickwave.server.api.GameFactory;
import io.tickwave.server.loop.ProblemReporter;
import io.tickwave.server.net.InboundGateway;
import io.tickwave.server.transport.memory.MemoryServer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * Drives a {@link Game} deterministically, without sockets or threads: the real server (its gateway,
 * event ring, game loop, rooms, replication and snapshot encoding) runs on the test's thread with
 * in-memory connections and a clock that moves only when the test says so. Players are
 * {@link TestPlayer}s; the test feeds their inputs, steps ticks, and reads what each of them would
 * receive. The same joins, inputs and ticks give the same results, run after run.
 *
 * <pre>{@code
 * try (GameTester tester = GameTester.of(TagGame::new)) {
 *     TestPlayer alice = tester.join("alice");
 *     alice.input(Move.newBuilder().setDx(1).build());
 *     tester.tick();
 *     assertEquals(1, alice.state().find("Runner", "player_id", alice.id()).getInt("x"));
 * }
 * }</pre>
 *
 * <p><b>Time.</b> The server seats players, applies inputs and runs the game only at ticks:
 * {@link #tick()} runs the next one, {@link #advance(Duration)} every tick whose time comes within the
 * duration. {@link #join} and {@link TestPlayer#reconnect} run one tick themselves, so they can return a
 * seated player; everything else a player sends takes effect at the next tick the test runs. By default
 * every tick is a snapshot tick (see {@link Builder#snapshotRate}).
 *
 * <p><b>Game errors.</b> What the game throws is contained by the server as in production (counted,
 * logged, the loop goes on), and kept in {@link #errors()}. Unless built with
 * {@link Builder#tolerateGameErrors()}, the step in which the game threw then fails with an
 * {@link AssertionError} naming the callback and carrying the exception, so a test never passes over
 * a throwing game. Any test framework reports that as a failure; the kit depends on none.
 *
 * <p>Owned by one thread (the test's), which is at once the game-loop thread and every connection's IO
 * thread. Close it to stop the games ({@code Game.stop}).
 */
public final class GameTester implements AutoCloseable {

    /** The testers of a JVM share one problem reporter (its daemon thread logs what games throw): one thread, not one per test. */
    private static final class SharedProblems {
        static final ProblemReporter REPORTER = new ProblemReporter();
    }

    private final MemoryServer server;
    private final boolean tolerateGameErrors;
    private final List<GameError> errors = new ArrayList<>();
    private final List<WatchedGame> games = new ArrayList<>();
    private final List<TestPlayer> players = new ArrayList<>();
    private final long startNs;
    /** Errors already thrown as a failed step (or seen while tolerated). */
    private int errorsReported;
    /** Server-counted failures the games' callbacks did not throw (the replicator, the loop itself), already noted. */
    private long serverFailuresNoted;

    private GameTester(ServerSettings settings, GameFactory games, boolean tolerateGameErrors) {
        Objects.requireNonNull(games, "games");
        this.tolerateGameErrors = tolerateGameErrors;
        this.server = new MemoryServer(settings, () -> watch(games), SharedProblems.REPORTER);
        this.startNs = server.nowNs();
    }

    /** A tester with the defaults of {@link Builder}: 60 ticks a second, a snapshot every tick. */
    public static GameTester of(GameFactory games) {
        return builder(games).build();
    }

    /** A tester with settings of the test's choosing. */
    public static Builder builder(GameFactory games) {
        return new Builder(games);
    }

    /** Settings for a {@link GameTester}; each has the server's default unless stated. */
    public static final class Builder {
        private final GameFactory games;
        private int tickRate = 60;
        private int snapshotRate;
        private int capacity = ServerSettings.defaults().roomCapacity();
        private long reconnectGraceMs = ServerSettings.defaults().reconnectGraceMs();
        private int stateHashEvery = 1;
        private UnaryOperator<ServerSettings> more = UnaryOperator.identity();
        private boolean tolerateGameErrors;

        private Builder(GameFactory games) {
            this.games = games;
        }

        /** Server ticks a second ({@code --tick-rate}, default 60). */
        public Builder tickRate(int hz) {
            this.tickRate = hz;
            return this;
        }

        /**
         * Snapshots a second ({@code --snapshot-rate}); must divide the tick rate. Default: the tick rate, a
         * snapshot after every tick, so a test sees what each tick did (the server's own default is 30).
         */
        public Builder snapshotRate(int hz) {
            this.snapshotRate = hz;
            return this;
        }

        /** Players per room ({@code --room-capacity}, default 64); a join to full rooms opens a new room. */
        public Builder capacity(int players) {
            this.capacity = players;
            return this;
        }

        /** How long a dropped player's seat waits for a reconnect ({@code --reconnect-grace-ms}, default 20 s; 0: none). */
        public Builder reconnectGrace(Duration grace) {
            this.reconnectGraceMs = grace.toMillis();
            return this;
        }

        /**
         * Every how many snapshots carry a state hash, which each player checks against the state it
         * rebuilt ({@code --state-hash-every}); default 1, every snapshot (the server's own default is 30).
         */
        public Builder stateHashEvery(int snapshots) {
            this.stateHashEvery = snapshots;
            return this;
        }

        /** Any other server setting, e.g. {@code s -> s.withMaxChatChars(50)}; applied after the ones above. */
        public Builder settings(UnaryOperator<ServerSettings> change) {
            UnaryOperator<ServerSettings> before = more;
            this.more = s -> change.apply(before.apply(s));
            return this;
        }

        /** Steps no longer fail when the game throws; the test reads {@link GameTester#errors()} instead. */
        public Builder tolerateGameErrors() {
            this.tolerateGameErrors = true;
            return this;
        }

        public GameTester build() {
            ServerSettings settings = ServerSettings.defaults()
                    .withTickRate(tickRate)
                    .withSnapshotRate(snapshotRate == 0 ? tickRate : snapshotRate)
                    .withRoomCapacity(capacity)
                    .withReconnectGraceMs(Math.toIntExact(reconnectGraceMs))
                    .withStateHashEvery(stateHashEvery)
                    // One test's worth of events, not a production ring of 65,536 slots (9 MiB).
                    .withRingSize(1_024)
                    .withIoThreads(1);
            return new GameTester(more.apply(settings), games, tolerateGameErrors);
        }
    }

    private Game watch(GameFactory factory) {
        Game game;
        try {
            game = factory.create();
        } catch (RuntimeException | Error e) {
            errors.add(new GameError("create", 0, 0, e));
            throw e;
        }
        if (game == null) {
            NullPointerException e = new NullPointerException("the game factory returned null");
            errors.add(new GameError("create", 0, 0, e));
            throw e;
        }
        WatchedGame watched = new WatchedGame(game, errors);
        games.add(watched);
        return watched;
    }

    // ---------------------------------------------------------------- players

    /**
     * Connects a player, joins with {@code name} and runs the next tick, in which the server seats it.
     *
     * @throws JoinRefusedException if the server answered with an error or a close instead of a welcome
     */
    public TestPlayer join(String name) {
        return join(Join.newBuilder().setName(name));
    }

    /**
     * Joins with options, handed to the game ({@code Game.admit}, {@code RoomContext.joinOptions}); see
     * {@link #join(String)}.
     */
    public TestPlayer join(String name, Map<String, String> options) {
        return join(joinWithOptions(name, options));
    }

    /**
     * Joins with the {@code Join} message as given (room id, options, tokens: whatever it carries; the
     * protocol version is filled in if unset); see {@link #join(String)}.
     */
    public TestPlayer join(Join.Builder join) {
        TestPlayer player = requestJoin(join);
        if (!player.isJoined() && player.errors().isEmpty() && player.closeCode() == 0) {
            tick();
        }
        if (!player.isJoined()) {
            throw player.refusal(true);
        }
        return player;
    }

    /**
     * Connects a player and sends its join, without running a tick: the player is seated at the next tick
     * the test runs (so several players can join in the same tick), or refused. Never throws for a
     * refusal: see {@link TestPlayer#isJoined()}, {@link TestPlayer#errors()}, {@link TestPlayer#closeCode()}.
     */
    public TestPlayer requestJoin(String name) {
        return requestJoin(Join.newBuilder().setName(name));
    }

    public TestPlayer requestJoin(String name, Map<String, String> options) {
        return requestJoin(joinWithOptions(name, options));
    }

    public TestPlayer requestJoin(Join.Builder join) {
        Join.Builder message = join.clone();
        if (message.getProtocolVersion() == 0) {
            message.setProtocolVersion(InboundGateway.PROTOCOL_VERSION);
        }
        TestPlayer player = new TestPlayer(this, message.getName(), server.connect());
        players.add(player);
        player.send(ClientMessage.newBuilder().setJoin(message).build());
        player.pump();
        return player;
    }

    private static Join.Builder joinWithOptions(String name, Map<String, String> options) {
        return Join.newBuilder().setName(name).putAllOptions(options);
    }

    // ---------------------------------------------------------------- time

    /** Runs the next tick: moves the clock to its deadline, delivers what players sent, steps the game, sends snapshots. */
    public void tick() {
        tick(1);
    }

    /** Runs the next {@code ticks} ticks, one after another. */
    public void tick(int ticks) {
        for (int i = 0; i < ticks; i++) {
            server.runTicks(1);
            afterCycle();
        }
    }

    /**
     * Moves the clock on by {@code duration}, running every tick whose deadline falls within it (at 60 Hz,
     * {@code advance(Duration.ofSeconds(1))} runs 60). Reconnect grace periods and other server timers
     * run on this clock.
     */
    public void advance(Duration duration) {
        if (duration.isNegative()) {
            throw new IllegalArgumentException("time does not go back: " + duration);
        }
        long targetNs = server.nowNs() + duration.toNanos();
        while (server.loop().nextTickDeadlineNs() - targetNs <= 0) {
            server.advanceNs(server.loop().nextTickDeadlineNs() - server.nowNs());
            server.runDutyCycle();
            afterCycle();
        }
        server.advanceNs(targetNs - server.nowNs());
    }

    /** The number of the last tick run (0 before the first). */
    public long currentTick() {
        return server.metrics().currentTick.get();
    }

    /** How far the clock has moved since the tester was made. */
    public Duration elapsed() {
        return Duration.ofNanos(server.nowNs() - startNs);
    }

    public int tickRate() {
        return server.settings().tickRateHz();
    }

    public int snapshotRate() {
        return server.settings().snapshotRateHz();
    }

    private void afterCycle() {
        for (int i = 0; i < players.size(); i++) {
            players.get(i).pump();
        }
        noteServerFailures();
        if (errors.size() > errorsReported) {
            GameError first = errors.get(errorsReported);
            int count = errors.size() - errorsReported;
            errorsReported = errors.size();
            if (!tolerateGameErrors) {
                throw new AssertionError("the game threw at tester tick " + currentTick() + ": " + first
                        + (count > 1 ? " (and " + (count - 1) + " more: see GameTester.errors())" : ""), first.error());
            }
        }
    }

    /**
     * Failures the server counted that no game callback threw: the replicator's (counted as game errors)
     * and the loop's own. Noted as errors too, with the server's problem log holding the exception.
     */
    private void noteServerFailures() {
        long counted = server.metrics().gameErrors.get() + server.metrics().loopErrors.get();
        long thrownByGames = 0;
        for (GameError error : errors) {
            if (!error.callback().startsWith("server:")) {
                thrownByGames++;
            }
        }
        long unexplained = counted - thrownByGames - serverFailuresNoted;
        for (long i = 0; i < unexplained; i++) {
            errors.add(new GameError("server: replication or loop", 0, currentTick(), new IllegalStateException(
                    "the server counted a failure no game callback threw (the replicator's or the loop's);"
                            + " its problem log (io.tickwave.server.problems) has the exception")));
            serverFailuresNoted++;
        }
    }

    // ---------------------------------------------------------------- inspection

    /** Every exception the games threw (and failures the server counted besides), oldest first. */
    public List<GameError> errors() {
        noteServerFailures();
        return List.copyOf(errors);
    }

    /** Throws an {@link AssertionError} listing {@link #errors()} if there are any. */
    public void assertNoErrors() {
        List<GameError> all = errors();
        if (!all.isEmpty()) {
            AssertionError failure = new AssertionError("the game threw " + all.size() + " time(s): " + all,
                    all.get(0).error());
            throw failure;
        }
    }

    /** The game instances the server created, one per room, oldest first (the game's own objects). */
    public List<Game> games() {
        List<Game> own = new ArrayList<>(games.size());
        for (WatchedGame game : games) {
            own.add(game.game());
        }
        return own;
    }

    /** The one game the server created, for looking at its state; IllegalStateException if none or several. */
    public <G extends Game> G game(Class<G> type) {
        List<Game> own = games();
        if (own.size() != 1) {
            throw new IllegalStateException("expected one game (room), there are " + own.size() + ": use games()");
        }
        return type.cast(own.get(0));
    }

    /** Rooms open now. */
    public int roomCount() {
        return (int) server.metrics().rooms.get();
    }

    /** Players seated now, dropped ones whose seat waits included. */
    public int playerCount() {
        return (int) server.metrics().players.get();
    }

    /** The in-memory server itself (settings, metrics, raw connections), for what the kit does not cover. */
    public MemoryServer server() {
        return server;
    }

    /** Stops every room ({@code Game.stop}). What a game throws from {@code stop} fails here, unless tolerated. */
    @Override
    public void close() {
        server.close();
        if (!tolerateGameErrors && errors.size() > errorsReported) {
            GameError first = errors.get(errorsReported);
            errorsReported = errors.size();
            throw new AssertionError("the game threw while stopping: " + first, first.error());
        }
    }
}
