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
    /** Direction of flight in radians, the aim it was fired with. */
    double angle;
    /** Seconds before it vanishes. */
    double life;
    /**
     * A number the world's owner may attach to this bullet (the game adapter keeps the bullet's
     * replicated entity here). The world sets it to 0 when it fires the bullet and never reads it.
     */
    public int tag;

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

    /** Direction of flight in radians; constant for the bullet's life. */
    public double angle() {
        return angle;
    }
}
