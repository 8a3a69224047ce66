package io.tickwave.arena;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** How the distribution's entry point picks the game mode and what it leaves for the server's launcher. */
class MainTest {

    @Test
    void shouldRunTheArenaAndPassEveryArgumentOnWhenNoModeIsGiven() {
        Main.Launch launch = Main.Launch.of(new String[] {"--port", "0"}, Map.of());

        assertEquals(ArenaMode.ARENA, launch.mode());
        assertArrayEquals(new String[] {"--port", "0"}, launch.serverArgs());
    }

    @Test
    void shouldTakeTheModeOptionOutOfTheServersArgumentsAndSizeWorldRoomsForAThousand() {
        Main.Launch spaced = Main.Launch.of(new String[] {"--mode", "world", "--port", "0"}, Map.of());
        Main.Launch joined = Main.Launch.of(new String[] {"--port", "0", "--mode=WORLD"}, Map.of());

        assertEquals(ArenaMode.WORLD, spaced.mode());
        assertEquals(ArenaMode.WORLD, joined.mode());
        assertArrayEquals(new String[] {"--port", "0", "--room-capacity=1000"}, spaced.serverArgs());
        assertArrayEquals(new String[] {"--port", "0", "--room-capacity=1000"}, joined.serverArgs());
    }

    @Test
    void shouldReadTheModeFromTheEnvironmentAndLeaveAGivenRoomCapacityAlone() {
        Main.Launch fromEnv = Main.Launch.of(new String[] {"--room-capacity", "300"}, Map.of("TICKWAVE_MODE", "world"));
        Main.Launch capacityInEnv = Main.Launch.of(new String[0],
                Map.of("TICKWAVE_MODE", "world", "TICKWAVE_ROOM_CAPACITY", "200"));
        Main.Launch flagWins = Main.Launch.of(new String[] {"--mode", "arena"}, Map.of("TICKWAVE_MODE", "world"));

        assertEquals(ArenaMode.WORLD, fromEnv.mode());
        assertArrayEquals(new String[] {"--room-capacity", "300"}, fromEnv.serverArgs());
        assertArrayEquals(new String[0], capacityInEnv.serverArgs());
        assertEquals(ArenaMode.ARENA, flagWins.mode());
    }

    @Test
    void shouldRefuseAnUnknownModeNamingWhereItCameFrom() {
        IllegalArgumentException flag = assertThrows(IllegalArgumentException.class,
                () -> Main.Launch.of(new String[] {"--mode", "moon"}, Map.of()));
        IllegalArgumentException env = assertThrows(IllegalArgumentException.class,
                () -> Main.Launch.of(new String[0], Map.of("TICKWAVE_MODE", "moon")));
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> Main.Launch.of(new String[] {"--mode"}, Map.of()));

        assertTrue(flag.getMessage().contains("arena or world") && flag.getMessage().contains("--mode"), flag.getMessage());
        assertTrue(env.getMessage().contains("TICKWAVE_MODE"), env.getMessage());
        assertTrue(missing.getMessage().contains("--mode"), missing.getMessage());
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
