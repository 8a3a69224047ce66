package io.tickwave.server.testgame;

import io.tickwave.server.TickwaveLauncher;

/** A server process running {@link WalkerGame}, for tests of the launcher as a real process. */
public final class WalkerMain {

    private WalkerMain() {
    }

    public static void main(String[] args) {
        TickwaveLauncher.main(args, "walker", WalkerGame::new);
    }
}
