package io.tickwave.bots;

import io.tickwave.server.TickwaveLauncher;
import io.tickwave.server.testgame.WalkerGame;

/**
 * A cluster node of the walker test game in a JVM of its own, started through the real launcher and its
 * flags, so that a test can end it with a real {@code kill -9} ({@link ChildNode}). Main thread only.
 */
public final class WalkerNodeMain {

    private WalkerNodeMain() {
    }

    public static void main(String[] args) {
        TickwaveLauncher.main(args, "walker", WalkerGame::new);
    }
}
