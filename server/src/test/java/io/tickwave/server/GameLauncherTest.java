package io.tickwave.server;

import io.tickwave.server.testgame.WalkerGame;
import io.tickwave.server.testing.TestClient;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Option;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A game launching itself: its name, its own flags, its defaults under the flags and their variables. */
class GameLauncherTest {

    /** A game's own flags, as a game declares them: a picocli mixin. */
    public static final class WalkerOptions {
        @Option(names = "--walk-speed", defaultValue = "${env:TICKWAVE_WALK_SPEED:-3}",
                description = "Cells per tick (env TICKWAVE_WALK_SPEED, default ${DEFAULT-VALUE}).")
        int walkSpeed;

        @Option(names = "--crowd", description = "Rooms for crowds: 100 players unless --room-capacity says otherwise.")
        boolean crowd;
    }

    /** The launcher the tests describe: rooms of 8 by default, 100 with --crowd. */
    static GameLauncher walker(WalkerOptions options, AtomicInteger speedSeenByFactory) {
        return TickwaveLauncher.game("walker", () -> {
                    speedSeenByFactory.set(options.walkSpeed);
                    return new WalkerGame();
                })
                .options(options)
                .defaults(settings -> settings.withRoomCapacity(options.crowd ? 100 : 8).withTickRate(30));
    }

    @Test
    void shouldUseTheGamesDefaultsUnlessAFlagIsGiven() {
        WalkerOptions options = new WalkerOptions();
        GameLauncher launcher = walker(options, new AtomicInteger());
        ServerSettings defaulted = launcher.settingsFor();
        assertEquals(8, defaulted.roomCapacity());
        assertEquals(30, defaulted.tickRateHz());
        assertEquals(30, defaulted.snapshotRateHz(), "a default the game kept");
        assertEquals("walker", defaulted.gameName());
        assertEquals(20, launcher.settingsFor("--room-capacity", "20").roomCapacity());
    }

    @Test
    void shouldLetAGameSetItsOwnReconnectGraceUnlessTheFlagIsGiven() {
        GameLauncher launcher = TickwaveLauncher.game("racer", WalkerGame::new)
                .defaults(settings -> settings.withReconnectGraceMs(5_000));
        assertEquals(5_000, launcher.settingsFor().reconnectGraceMs(), "the game's grace");
        assertEquals(7_000, launcher.settingsFor("--reconnect-grace-ms", "7000").reconnectGraceMs(), "the flag wins");
        assertEquals(20_000, TickwaveLauncher.game("other", WalkerGame::new).settingsFor().reconnectGraceMs(),
                "the framework's default");
    }

    @Test
    void shouldLetTheDefaultsDependOnTheGamesOwnFlags() {
        GameLauncher launcher = walker(new WalkerOptions(), new AtomicInteger());
        assertEquals(100, launcher.settingsFor("--crowd").roomCapacity());
        assertEquals(7, launcher.settingsFor("--crowd", "--room-capacity=7").roomCapacity());
    }

    @Test
    void shouldSetTheGamesFlagsBeforeTheFactoryIsFirstCalled() {
        WalkerOptions options = new WalkerOptions();
        AtomicInteger speedSeenByFactory = new AtomicInteger(-1);
        GameLauncher launcher = walker(options, speedSeenByFactory);
        ServerSettings settings = launcher.settingsFor("--walk-speed", "5", "--host", "127.0.0.1", "--port", "0");
        assertEquals(5, options.walkSpeed);
        try (TickwaveServer server = TickwaveServer.start(settings, launcher.games());
             TestClient player = TestClient.joined(server.port(), "ann")) {
            assertTrue(player.received().stream().anyMatch(message -> message.hasWelcome()));
        }
        assertEquals(5, speedSeenByFactory.get());
    }

    @Test
    void shouldShowTheGamesFlagsAndDefaultsInTheUsage() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int exitCode = walker(new WalkerOptions(), new AtomicInteger()).execute(new String[] {"--help"},
                new PrintStream(out, true, StandardCharsets.UTF_8), System.err);
        String usage = out.toString(StandardCharsets.UTF_8).replaceAll("\\s+", " "); // unwrapped
        assertEquals(0, exitCode);
        assertTrue(usage.startsWith("Usage: walker [OPTIONS] Runs the walker game on a Tickwave server."), usage);
        assertTrue(usage.contains("--walk-speed") && usage.contains("(env TICKWAVE_WALK_SPEED, default 3)"), usage);
        assertTrue(usage.contains("(env TICKWAVE_ROOM_CAPACITY, default 8)"), "the game's default: " + usage);
    }

    @Test
    void shouldRefuseABadValueOfAGamesFlagWithTheServersErrorLine() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exitCode = walker(new WalkerOptions(), new AtomicInteger()).execute(new String[] {"--walk-speed", "fast"},
                System.out, new PrintStream(err, true, StandardCharsets.UTF_8));
        String line = err.toString(StandardCharsets.UTF_8);
        assertEquals(2, exitCode);
        assertEquals(1, line.lines().count(), line);
        assertTrue(line.startsWith("walker: ") && line.contains("--walk-speed") && line.contains("'fast'"), line);
        IllegalArgumentException thrown = assertThrows(IllegalArgumentException.class,
                () -> walker(new WalkerOptions(), new AtomicInteger()).settingsFor("--room-capacity", "0"));
        assertTrue(thrown.getMessage().contains("--room-capacity (TICKWAVE_ROOM_CAPACITY) must be between 1 and 10000"),
                thrown.getMessage());
    }

    @Test
    void shouldLetAnEnvironmentVariableOverrideTheGamesDefaultAndNameItWhenItsValueIsBad() throws Exception {
        assertEquals("room-capacity=12 walk-speed=4", runWalkerSettings(
                "TICKWAVE_ROOM_CAPACITY", "12", "TICKWAVE_WALK_SPEED", "4"));
        String bad = runWalkerSettings("TICKWAVE_WALK_SPEED", "fast");
        assertTrue(bad.contains("'fast'") && bad.contains("taken from the environment variable TICKWAVE_WALK_SPEED"), bad);
    }

    @Test
    void shouldOfferADefaultForEveryFlagButTheDeploymentOnes() {
        Set<String> deployment = Set.of("--tls-cert", "--tls-key", "--redis", "--node-id", "--public-url",
                "--cluster-secret", "--seat-token-ms", "--help", "--version");
        for (CommandLine.Model.OptionSpec option : new CommandLine(new TickwaveLauncher()).getCommandSpec().options()) {
            String flag = option.longestName();
            assertTrue(deployment.contains(flag) || TickwaveLauncher.FLAG_SETTINGS.containsKey(flag),
                    flag + " has no entry in TickwaveLauncher.FLAG_SETTINGS, so a game cannot default it");
        }
    }

    /** Prints, in a child JVM with {@code environment}, what {@link WalkerSettingsMain} prints. */
    private static String runWalkerSettings(String... environment) throws Exception {
        ProcessBuilder launch = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), WalkerSettingsMain.class.getName()))
                .redirectErrorStream(true);
        for (int i = 0; i < environment.length; i += 2) {
            launch.environment().put(environment[i], environment[i + 1]);
        }
        Process process = launch.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertTrue(process.waitFor(20, TimeUnit.SECONDS), output);
        return output;
    }

    /** A child JVM's entry: the room capacity and walk speed the environment gives the walker launcher. */
    public static final class WalkerSettingsMain {
        public static void main(String[] args) {
            WalkerOptions options = new WalkerOptions();
            try {
                ServerSettings settings = walker(options, new AtomicInteger()).settingsFor(args);
                System.out.println("room-capacity=" + settings.roomCapacity() + " walk-speed=" + options.walkSpeed);
            } catch (IllegalArgumentException e) {
                System.out.println(e.getMessage());
            }
        }
    }
}
