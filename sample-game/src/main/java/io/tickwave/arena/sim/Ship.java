package io.tickwave.arena.sim;

/**
 * One player's ship: position, health, score and the player's latest controls. Mutable; owned by the
 * {@link ArenaWorld} that holds it, so by the game-loop thread.
 */
public final class Ship {

    final int playerId;
    double x;
    double y;
    double aim;
    int health;
    boolean alive;
    int score;
    int deaths;
    /** While dead: seconds until respawn. */
    double respawnTimer;
    /** Seconds until this ship may fire again. */
    double fireCooldown;
    /** Seconds of rapid fire left. */
    double rapidFireTimer;
    /** Seconds of spawn shield left. */
    double shieldTimer;
    /** Seconds of movement this ship may still make; refilled by ticks, spent by inputs. */
    double moveBudget;
    /** The fire button of the newest input. */
    boolean fireHeld;

    Ship(int playerId) {
        this.playerId = playerId;
    }

    public int playerId() {
        return playerId;
    }

    public double x() {
        return x;
    }

    public double y() {
        return y;
    }

    public double aim() {
        return aim;
    }

    public int health() {
        return health;
    }

    public boolean alive() {
        return alive;
    }

    public int score() {
        return score;
    }

    public int deaths() {
        return deaths;
    }

    public double respawnTimer() {
        return respawnTimer;
    }

    public boolean shielded() {
        return shieldTimer > 0;
    }

    public boolean rapidFire() {
        return rapidFireTimer > 0;
    }

    /** Puts the ship somewhere; for tests that set up a scene. */
    public void placeAt(double newX, double newY) {
        this.x = newX;
        this.y = newY;
    }
}
