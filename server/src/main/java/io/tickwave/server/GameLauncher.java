package io.tickwave.server;

import io.tickwave.server.api.GameFactory;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * How a game launches itself: its name, its factory, its own flags and its default settings, then
 * {@link #run} from its {@code main}. Made by {@link TickwaveLauncher#game}:
 *
 * <pre>{@code
 * public static void main(String[] args) {
 *     TagOptions options = new TagOptions();            // a class with picocli @Option fields
 *     TickwaveLauncher.game("tag", () -> new TagGame(options.gridSize))
 *             .options(options)
 *             .defaults(settings -> settings.withRoomCapacity(8).withTickRate(20))
 *             .run(args);
 * }
 * }</pre>
 *
 * <ul>
 *   <li>The name stands in for "tickwave" in the usage line, the banner and every error line, and is
 *       the game name the matchmaker matches ({@link ServerSettings#withGameName}).</li>
 *   <li>Options objects are picocli mixins: their {@code @Option} fields join the server's flags (and
 *       {@code --help}) and are set before the factory is first called. A flag named {@code --grid-size}
 *       whose default reads {@code ${env:TICKWAVE_GRID_SIZE:-…}} gets the server's error lines, which name
 *       the environment variable when the bad value came from it.</li>
 *   <li>Defaults change what a server flag means when it is not given: a flag or its environment
 *       variable still wins, and {@code --help} shows the game's default. The function runs after the
 *       game's own flags are read, so it may depend on them. TLS and cluster settings ({@code --tls-*},
 *       {@code --redis}, {@code --node-id}, {@code --public-url}, {@code --cluster-secret}, {@code --seat-token-ms}) belong to
 *       the deployment and come from flags only.</li>
 * </ul>
 *
 * <p>Threads: built and run on the main thread.
 */
public final class GameLauncher {

    private final String name;
    private final GameFactory games;
    private UnaryOperator<ServerSettings> defaults = UnaryOperator.identity();
    private final List<Object> options = new ArrayList<>();

    GameLauncher(String name, GameFactory games) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a game's name must not be blank");
        }
        this.name = name.strip();
        this.games = Objects.requireNonNull(games, "games");
    }

    /**
     * Adds default settings: {@code change} gets the framework's defaults (after any earlier
     * {@code defaults}) and returns the game's, e.g. {@code s -> s.withRoomCapacity(8)}.
     */
    public GameLauncher defaults(UnaryOperator<ServerSettings> change) {
        UnaryOperator<ServerSettings> before = defaults;
        Objects.requireNonNull(change, "change");
        defaults = settings -> change.apply(before.apply(settings));
        return this;
    }

    /** Adds the game's own flags: objects with picocli {@code @Option} fields (or methods), each a mixin. */
    public GameLauncher options(Object... gameOptions) {
        for (Object gameOption : gameOptions) {
            options.add(Objects.requireNonNull(gameOption, "gameOptions"));
        }
        return this;
    }

    /**
     * Runs the server with the command-line {@code args} and returns while it runs; the process ends at
     * SIGTERM, Ctrl-C or {@code POST /admin/drain} after a drain (exit 0). A usage error, a bad setting
     * (exit 2), a port or address that cannot be used (exit 1) or {@code --help} (exit 0) end it at once,
     * with one line on stderr for the errors.
     */
    public void run(String... args) {
        int exitCode = execute(args, System.out, System.err);
        if (exitCode >= 0) {
            System.exit(exitCode);
        }
    }

    /**
     * As {@link #run} but returns the exit code instead of ending the process, or -1 when the server
     * is running (it then ends the process at shutdown), writing to {@code out} and {@code err}.
     */
    public int execute(String[] args, PrintStream out, PrintStream err) {
        return TickwaveLauncher.execute(this, args, out, err);
    }

    /**
     * The validated settings {@code args} and the environment give, without starting anything; the
     * game's options objects are set from {@code args} on the way.
     *
     * @throws IllegalArgumentException with the line {@link #run} would print (without the name)
     */
    public ServerSettings settingsFor(String... args) {
        return TickwaveLauncher.settingsFor(this, args);
    }

    String name() {
        return name;
    }

    GameFactory games() {
        return games;
    }

    UnaryOperator<ServerSettings> defaultsFunction() {
        return defaults;
    }

    List<Object> gameOptions() {
        return List.copyOf(options);
    }
}
