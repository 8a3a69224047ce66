package io.tickwave.arena;

import io.tickwave.server.TickwaveLauncher;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The distribution's entry point ({@code java -jar tickwave.jar}): the Tickwave server running the arena.
 *
 * <p>Takes one option of its own besides the server's: {@code --mode arena|world} (env
 * {@code TICKWAVE_MODE}, default arena; see {@link ArenaMode}). It is taken out of the arguments before
 * the server's launcher reads them. In world mode the room capacity defaults to
 * {@link ArenaMode#roomCapacity()} (1,000) unless {@code --room-capacity} or
 * {@code TICKWAVE_ROOM_CAPACITY} says otherwise.
 */
public final class Main {

    static final String MODE_OPTION = "--mode";
    static final String MODE_VARIABLE = "TICKWAVE_MODE";

    private Main() {
    }

    public static void main(String[] args) throws Exception {
        Launch launch;
        try {
            launch = Launch.of(args, System.getenv());
        } catch (IllegalArgumentException e) {
            System.err.println("tickwave: " + e.getMessage() + " (see --help)");
            System.exit(2);
            return;
        }
        for (String arg : args) {
            if (arg.equals("--help") || arg.equals("-h")) {
                System.out.println("Game option: --mode=arena|world  the arena (2000 x 1400, everyone sees everything) or"
                        + " a world for hundreds of players (8000 x 8000, each sees 1200 units around their ship)"
                        + " (env " + MODE_VARIABLE + ", default arena).");
            }
        }
        ArenaMode mode = launch.mode();
        TickwaveLauncher.main(launch.serverArgs(), mode.label(), () -> new ArenaGame(mode));
    }

    /** The game mode and the arguments left for the server's launcher. */
    record Launch(ArenaMode mode, String[] serverArgs) {

        /** Reads {@code --mode X} or {@code --mode=X}, else {@code TICKWAVE_MODE}, from {@code args} and {@code env}. */
        static Launch of(String[] args, Map<String, String> env) {
            List<String> rest = new ArrayList<>(args.length + 2);
            String modeText = null;
            boolean capacityGiven = env.get("TICKWAVE_ROOM_CAPACITY") != null;
            for (int i = 0; i < args.length; i++) {
                String arg = args[i];
                if (arg.equals(MODE_OPTION)) {
                    if (i + 1 == args.length) {
                        throw new IllegalArgumentException("missing value for " + MODE_OPTION + " (arena or world)");
                    }
                    modeText = args[++i];
                } else if (arg.startsWith(MODE_OPTION + "=")) {
                    modeText = arg.substring(MODE_OPTION.length() + 1);
                } else {
                    capacityGiven |= arg.equals("--room-capacity") || arg.startsWith("--room-capacity=");
                    rest.add(arg);
                }
            }
            String source = MODE_OPTION;
            if (modeText == null) {
                modeText = env.getOrDefault(MODE_VARIABLE, ArenaMode.ARENA.label());
                source = "the environment variable " + MODE_VARIABLE;
            }
            ArenaMode mode;
            try {
                mode = ArenaMode.parse(modeText);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(e.getMessage() + ", from " + source, e);
            }
            if (mode == ArenaMode.WORLD && !capacityGiven) {
                rest.add("--room-capacity=" + mode.roomCapacity());
            }
            return new Launch(mode, rest.toArray(new String[0]));
        }
    }
}
