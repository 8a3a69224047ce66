package io.tickwave.server.testgame;

/**
 * A {@link WalkerGame} that throws from {@code tick} and {@code writeSnapshot} while a player named
 * {@value #TRIGGER_NAME} is in its room (an {@link AssertionError} and an exception): a game with a bug,
 * to show that the server contains it.
 */
public final class ThrowingGame extends WalkerGame {

    public static final String TRIGGER_NAME = "boom";

    private int triggerPlayerId = -1;

    @Override
    public void playerJoined(int playerId, String name) {
        super.playerJoined(playerId, name);
        if (TRIGGER_NAME.equals(name)) {
            triggerPlayerId = playerId;
        }
    }

    @Override
    public void playerLeft(int playerId) {
        super.playerLeft(playerId);
        if (playerId == triggerPlayerId) {
            triggerPlayerId = -1;
        }
    }

    @Override
    public void tick(long tick) {
        if (triggerPlayerId >= 0) {
            // An Error, not an exception: the server must contain those too (a failed assert, a deep recursion).
            throw new AssertionError("test game bug at tick " + tick);
        }
        super.tick(tick);
    }

    @Override
    public void writeSnapshot(int viewerId, long baselineTick, io.tickwave.server.api.SnapshotBuffer out) {
        if (triggerPlayerId >= 0) {
            throw new IllegalStateException("test game bug while writing a snapshot");
        }
        super.writeSnapshot(viewerId, baselineTick, out);
    }
}
