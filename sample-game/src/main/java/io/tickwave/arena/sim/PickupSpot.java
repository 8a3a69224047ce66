package io.tickwave.arena.sim;

/**
 * A place on the map where a pickup of one kind appears. Immutable.
 *
 * @param id 1-based, stable for the life of the map; the id the client sees
 * @param kind {@link #REPAIR} or {@link #RAPID_FIRE}
 */
public record PickupSpot(int id, int kind, double x, double y) {

    /** Gives back health. */
    public static final int REPAIR = 1;
    /** Shortens the fire cooldown for a while. */
    public static final int RAPID_FIRE = 2;
}
