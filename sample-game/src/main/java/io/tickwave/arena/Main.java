package io.tickwave.arena;

import io.tickwave.server.GameLauncher;
import io.tickwave.server.TickwaveLauncher;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/**
 * The distribution's entry point ({@code java -jar tickwave.jar}): the Tickwave server running the arena.
 *
 * <p>Takes one flag of its own besides the server's: {@code --mode arena|world} (env
 * {@code TICKWAVE_MODE}, default arena; see {@link ArenaMode}). In world mode the game is matched as
 * "world" and rooms hold {@link ArenaMode#roomCapacity()} (1,000) players unless {@code --room-capacity}
 * or {@code TICKWAVE_ROOM_CAPACITY} says otherwise.
 */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        launcher(new ArenaOptions()).run(args);
    }

    /** The arena's launcher, with {@code options} filled in from the command line when it runs. */
    static GameLauncher launcher(ArenaOptions options) {
        return TickwaveLauncher.game("arena", () -> new ArenaGame(options.mode))
                .options(options)
                .defaults(settings -> options.mode == ArenaMode.WORLD
                        ? settings.withGameName(options.mode.label()).withRoomCapacity(options.mode.roomCapacity())
                        : settings);
    }

    /** The arena's own flag. */
    static final class ArenaOptions {
        @Option(names = "--mode", defaultValue = "${env:TICKWAVE_MODE:-arena}", converter = ModeConverter.class,
                description = "arena (2000 x 1400, everyone sees everything) or world, for hundreds of players"
                        + " (8000 x 8000, each sees 1200 units around their ship; rooms of 1000 unless --room-capacity"
                        + " says otherwise) (env TICKWAVE_MODE, default ${DEFAULT-VALUE}).")
        ArenaMode mode = ArenaMode.ARENA;
    }

    /** "arena" or "world", in any case. */
    static final class ModeConverter implements ITypeConverter<ArenaMode> {
        @Override
        public ArenaMode convert(String text) {
            try {
                return ArenaMode.parse(text);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }
}
