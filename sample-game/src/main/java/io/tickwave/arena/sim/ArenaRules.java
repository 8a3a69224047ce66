package io.tickwave.arena.sim;

/**
 * The numbers that make the arena play the way it does. Immutable; shared freely between threads.
 *
 * <p>The movement numbers ({@link #shipSpeed}, {@link #shipRadius}, {@link #inputRateHz}, the map) are
 * sent to the browser in {@code ArenaInfo}, because the client predicts its own ship with the same
 * movement function ({@link ShipMovement}, mirrored in {@code js/movement.js}).
 *
 * @param shipSpeed units per second
 * @param shipRadius units
 * @param inputRateHz inputs per second the client sends; one input moves its ship for {@code 1/inputRateHz} s
 * @param maxMoveBudgetSeconds the most movement time a ship may bank: absorbs network jitter that bunches
 *     inputs, while a client sending inputs faster than {@code inputRateHz} cannot move faster
 * @param bulletSpeed units per second
 * @param bulletRadius units
 * @param bulletLifetimeSeconds how long a bullet flies before it vanishes
 * @param bulletDamage health taken by one hit
 * @param maxHealth health of a fresh ship
 * @param fireCooldownSeconds time between two shots
 * @param rapidFireCooldownSeconds time between two shots while rapid fire lasts
 * @param rapidFireSeconds how long the rapid-fire pickup lasts
 * @param repairAmount health given by the repair pickup
 * @param pickupRespawnSeconds time until a taken pickup is back
 * @param respawnSeconds time a destroyed ship waits before it respawns
 * @param shieldSeconds time a respawned ship cannot be hurt
 * @param killFeedSeconds how long a kill stays in the snapshots' kill feed
 */
public record ArenaRules(
        double shipSpeed,
        double shipRadius,
        int inputRateHz,
        double maxMoveBudgetSeconds,
        double bulletSpeed,
        double bulletRadius,
        double bulletLifetimeSeconds,
        int bulletDamage,
        int maxHealth,
        double fireCooldownSeconds,
        double rapidFireCooldownSeconds,
        double rapidFireSeconds,
        int repairAmount,
        double pickupRespawnSeconds,
        double respawnSeconds,
        double shieldSeconds,
        double killFeedSeconds) {

    /** The rules the sample game ships with. */
    public static ArenaRules standard() {
        return new ArenaRules(
                260, 18, 30, 0.5,
                760, 4, 0.95, 25, 100,
                0.25, 0.09, 6.0, 50, 12.0,
                2.5, 1.5, 4.0);
    }

    /** Seconds of movement one input stands for. */
    public double inputStepSeconds() {
        return 1.0 / inputRateHz;
    }
}
