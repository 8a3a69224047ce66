package io.tickwave.arena.sim;

/**
 * One kill, kept for the kill feed. Pooled in a ring by {@link ArenaWorld}; owned by the game-loop thread.
 */
public final class Kill {

    int id;
    int killerId;
    int victimId;
    /** World time in seconds when it happened. */
    double at;

    public int id() {
        return id;
    }

    public int killerId() {
        return killerId;
    }

    public int victimId() {
        return victimId;
    }
}
