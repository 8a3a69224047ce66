package io.tickwave.arena.sim;

/**
 * A flying bullet. Pooled: {@link ArenaWorld} reuses instances, so a reference is only meaningful
 * until the next tick. Owned by the game-loop thread.
 */
public final class Bullet {

    int id;
    int ownerId;
    double x;
    double y;
    double vx;
    double vy;
    /** Seconds before it vanishes. */
    double life;

    public int id() {
        return id;
    }

    public int ownerId() {
        return ownerId;
    }

    public double x() {
        return x;
    }

    public double y() {
        return y;
    }

    public double vx() {
        return vx;
    }

    public double vy() {
        return vy;
    }
}
