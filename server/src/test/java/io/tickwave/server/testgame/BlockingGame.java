package io.tickwave.server.testgame;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A {@link WalkerGame} whose first tick blocks the game loop until {@link #release} (or 30 s): a game
 * with a hang, to show that {@code /health} notices a loop that stopped ticking and recovers when it
 * goes on. Game-loop thread; {@link #release} and {@link #awaitBlocked} from the test thread.
 */
public final class BlockingGame extends WalkerGame {

    private final CountDownLatch blocked = new CountDownLatch(1);
    private final CountDownLatch released = new CountDownLatch(1);

    @Override
    public void tick(long tick) {
        blocked.countDown();
        try {
            if (!released.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the test never released the blocked tick");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        super.tick(tick);
    }

    /** Waits until the loop is inside the blocking tick. */
    public boolean awaitBlocked(long timeoutMs) throws InterruptedException {
        return blocked.await(timeoutMs, TimeUnit.MILLISECONDS);
    }

    /** Lets the blocked tick, and every later one, run. */
    public void release() {
        released.countDown();
    }
}
