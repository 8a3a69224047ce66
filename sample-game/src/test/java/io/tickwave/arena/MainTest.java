package io.tickwave.arena;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tickwave.server.ServerSettings;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** How the distribution's entry point picks the game mode, and the settings each mode defaults. */
class MainTest {

    @Test
    void shouldRunTheArenaWhenNoModeIsGiven() {
        Main.ArenaOptions options = new Main.ArenaOptions();
        ServerSettings settings = Main.launcher(options).settingsFor("--port", "0");

        assertEquals(ArenaMode.ARENA, options.mode);
        assertEquals("arena", settings.gameName());
        assertEquals(ServerSettings.defaults().roomCapacity(), settings.roomCapacity());
    }

    @Test
    void shouldSizeWorldRoomsForAThousandAndMatchThemAsWorld() {
        Main.ArenaOptions spaced = new Main.ArenaOptions();
        Main.ArenaOptions joined = new Main.ArenaOptions();
        ServerSettings spacedSettings = Main.launcher(spaced).settingsFor("--mode", "world", "--port", "0");
        ServerSettings joinedSettings = Main.launcher(joined).settingsFor("--port", "0", "--mode=WORLD");

        assertEquals(ArenaMode.WORLD, spaced.mode);
        assertEquals(ArenaMode.WORLD, joined.mode);
        assertEquals(1000, spacedSettings.roomCapacity());
        assertEquals(1000, joinedSettings.roomCapacity());
        assertEquals("world", spacedSettings.gameName());
    }

    @Test
    void shouldLeaveAGivenRoomCapacityAloneInWorldMode() {
        ServerSettings settings = Main.launcher(new Main.ArenaOptions()).settingsFor("--mode", "world", "--room-capacity", "300");

        assertEquals(300, settings.roomCapacity());
    }

    @Test
    void shouldRefuseAnUnknownModeWithOneLineNamingTheFlag() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exitCode = Main.launcher(new Main.ArenaOptions()).execute(new String[] {"--mode", "moon"}, System.out,
                new PrintStream(err, true, StandardCharsets.UTF_8));
        String line = err.toString(StandardCharsets.UTF_8);

        assertEquals(2, exitCode);
        assertEquals(1, line.lines().count(), line);
        assertTrue(line.startsWith("arena: ") && line.contains("--mode") && line.contains("arena or world"), line);
    }

    @Test
    void shouldListTheModeAmongTheFlagsInTheUsage() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertEquals(0, Main.launcher(new Main.ArenaOptions()).execute(new String[] {"--help"},
                new PrintStream(out, true, StandardCharsets.UTF_8), System.err));
        String usage = out.toString(StandardCharsets.UTF_8).replaceAll("\\s+", " ");

        assertTrue(usage.startsWith("Usage: arena "), usage);
        assertTrue(usage.contains("--mode=<mode>") && usage.contains("(env TICKWAVE_MODE, default arena)"), usage);
    }

    @Test
    void shouldKeepAWorldClientUnder256KbitPerSecondAtTheSnapshotRate() {
        for (int rate : new int[] {10, 20, 30, 60}) {
            long bitsPerSecond = 8L * (ArenaMode.byteBudget(rate) + ArenaMode.FRAME_OVERHEAD_BYTES) * rate;
            assertTrue(bitsPerSecond <= 256_000 && bitsPerSecond > 250_000, rate + " Hz: " + bitsPerSecond);
        }
        assertEquals(1026, ArenaMode.byteBudget(30));
    }
}
