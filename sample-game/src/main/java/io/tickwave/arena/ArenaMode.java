package io.tickwave.arena;

import io.tickwave.arena.sim.ArenaMap;
import io.tickwave.arena.sim.ArenaWorld;
import java.util.Locale;

/**
 * How big a room's world is and how much of it each player is sent. Immutable.
 *
 * <ul>
 *   <li>{@link #ARENA}: the 2000 × 1400 arena for a few dozen players; everyone sees everything, so the
 *       server encodes one snapshot for the whole room.</li>
 *   <li>{@link #WORLD}: an {@value ArenaMap#WORLD_SIZE}-unit square map for hundreds of players, each
 *       sent only what lies within {@link #viewRadius} of their ship, within a byte budget.</li>
 * </ul>
 *
 * <p><b>The world's numbers.</b> 1,000 players on 8000 × 8000 = 64 million square units is one ship per
 * 64,000 square units. A view radius of 1,200 units covers 4.52 million square units, so a player away
 * from the edges sees 999 × 4.52 / 64 ≈ 71 other ships (fewer near an edge, down to about a quarter in
 * a corner; about 62 on average over the map): inside the 50–100 aimed at. 1,200 also exceeds the half
 * diagonal (1,101) of a 1920 × 1080 window drawn at one pixel a unit, so whatever a player can see on
 * screen is in their state. The interest grid's cells are 600 units, half the radius, so a viewer's
 * query covers a few cells. A moving
 * ship costs about 6 bytes an update (a mask, two 11-bit position deltas, an aim delta), a new bullet
 * about 14: 71 ships and ten new bullets a snapshot come to roughly 570 bytes, under the budget of
 * {@link #byteBudget}.
 */
public enum ArenaMode {
    ARENA(0, 0, ArenaWorld.MAX_BULLETS, 64),
    // 1,000 ships firing all the time (four shots a second, 0.95 s flights) keep about 3,800 bullets in
    // flight, more with rapid fire.
    WORLD(600, 1200, 8192, 1000);

    /** The most a client should receive: 256 kbit/s. */
    static final int CLIENT_BITS_PER_SECOND = 256_000;
    /** Per snapshot, what the envelope (Snapshot's other fields) and WebSocket framing add to the state. */
    static final int FRAME_OVERHEAD_BYTES = 40;

    private final double cellSize;
    private final double viewRadius;
    private final int maxBullets;
    private final int roomCapacity;

    ArenaMode(double cellSize, double viewRadius, int maxBullets, int roomCapacity) {
        this.cellSize = cellSize;
        this.viewRadius = viewRadius;
        this.maxBullets = maxBullets;
        this.roomCapacity = roomCapacity;
    }

    /** The name used on the command line and in {@code ArenaInfo.mode}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The mode named {@code text} ("arena" or "world", any case), or an exception saying what is accepted. */
    public static ArenaMode parse(String text) {
        for (ArenaMode mode : values()) {
            if (mode.label().equalsIgnoreCase(text.strip())) {
                return mode;
            }
        }
        throw new IllegalArgumentException("mode must be arena or world, was '" + text + "'");
    }

    /** The map of a room with this seed. */
    public ArenaMap map(long seed) {
        return this == WORLD ? ArenaMap.world(seed) : ArenaMap.standard();
    }

    /** Interest grid cell, in units; 0 when everyone sees everything. */
    public double cellSize() {
        return cellSize;
    }

    /** How far around its ship a player sees, in units; 0 for the whole map. */
    public double viewRadius() {
        return viewRadius;
    }

    public int maxBullets() {
        return maxBullets;
    }

    /** The room capacity this mode is made for, used when none is configured. */
    public int roomCapacity() {
        return roomCapacity;
    }

    /**
     * The state bytes per viewer per snapshot that keep a client at or under
     * {@value #CLIENT_BITS_PER_SECOND} bit/s at {@code snapshotRateHz}, framing included: 1,026 at 30 Hz.
     */
    public static int byteBudget(int snapshotRateHz) {
        return Math.max(64, CLIENT_BITS_PER_SECOND / 8 / snapshotRateHz - FRAME_OVERHEAD_BYTES);
    }
}
