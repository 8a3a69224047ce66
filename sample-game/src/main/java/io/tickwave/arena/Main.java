package io.tickwave.arena;

import io.tickwave.server.TickwaveLauncher;

/** The distribution's entry point ({@code java -jar tickwave.jar}): the Tickwave server running the arena. */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) throws Exception {
        TickwaveLauncher.main(args, "arena", ArenaGame::new);
    }
}
