package io.tickwave.arena.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The arena's fixed geometry: its size, the obstacles and the pickup spots. Immutable.
 *
 * <p>The map is static and sent once in the welcome, so the client can predict collisions with the
 * obstacles exactly as the server computes them.
 */
public record ArenaMap(double width, double height, List<Rect> obstacles, List<PickupSpot> pickupSpots) {

    public ArenaMap {
        obstacles = List.copyOf(obstacles);
        pickupSpots = List.copyOf(pickupSpots);
    }

    /** The sample game's map: 2000 × 1400, point-symmetric around the centre so no corner is better. */
    public static ArenaMap standard() {
        double w = 2000;
        double h = 1400;
        List<Rect> half = List.of(
                new Rect(300, 250, 220, 40),
                new Rect(300, 250, 40, 200),
                new Rect(820, 180, 40, 260),
                new Rect(560, 620, 260, 40),
                new Rect(150, 800, 40, 300),
                new Rect(480, 1000, 300, 40));
        List<Rect> all = new ArrayList<>(half);
        for (Rect r : half) {
            all.add(new Rect(w - r.right(), h - r.bottom(), r.w(), r.h()));
        }
        all.add(new Rect(w / 2 - 60, h / 2 - 60, 120, 120));
        List<PickupSpot> spots = List.of(
                new PickupSpot(1, PickupSpot.REPAIR, 420, 360),
                new PickupSpot(2, PickupSpot.REPAIR, w - 420, h - 360),
                new PickupSpot(3, PickupSpot.RAPID_FIRE, w / 2, 160),
                new PickupSpot(4, PickupSpot.RAPID_FIRE, w / 2, h - 160),
                new PickupSpot(5, PickupSpot.REPAIR, 120, h / 2),
                new PickupSpot(6, PickupSpot.REPAIR, w - 120, h / 2));
        return new ArenaMap(w, h, all, spots);
    }

    /** Side of the {@link #world} map. */
    public static final double WORLD_SIZE = 8000;
    /** Obstacles on the {@link #world} map. */
    public static final int WORLD_OBSTACLES = 200;
    /** Pickup spots on the {@link #world} map. */
    public static final int WORLD_PICKUP_SPOTS = 128;

    /**
     * The world mode's map: {@value #WORLD_SIZE} units square, 32 times the arena's area, made from
     * {@code seed} (the same seed gives the same map). The arena has 13 obstacles and 6 pickup spots in
     * 2.8 million square units; at that density the world would have about 300 and 140. It has
     * {@value #WORLD_OBSTACLES} obstacles, fewer because every movement and bullet step tests each one,
     * and {@value #WORLD_PICKUP_SPOTS} spots, two repair for one rapid fire as in the arena. Walls and
     * blocks keep a corridor clear of the border, spots keep clear of obstacles.
     */
    public static ArenaMap world(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double size = WORLD_SIZE;
        double border = 150;
        List<Rect> obstacles = new ArrayList<>(WORLD_OBSTACLES);
        while (obstacles.size() < WORLD_OBSTACLES) {
            double w;
            double h;
            switch (random.nextInt(3)) {
                case 0 -> { // a horizontal wall
                    w = 160 + random.nextDouble() * 240;
                    h = 40;
                }
                case 1 -> { // a vertical wall
                    w = 40;
                    h = 160 + random.nextDouble() * 240;
                }
                default -> { // a block
                    w = 80 + random.nextDouble() * 80;
                    h = w;
                }
            }
            double x = border + random.nextDouble() * (size - 2 * border - w);
            double y = border + random.nextDouble() * (size - 2 * border - h);
            obstacles.add(new Rect(Math.rint(x), Math.rint(y), Math.rint(w), Math.rint(h)));
        }
        List<PickupSpot> spots = new ArrayList<>(WORLD_PICKUP_SPOTS);
        ArenaMap bare = new ArenaMap(size, size, obstacles, List.of());
        while (spots.size() < WORLD_PICKUP_SPOTS) {
            double x = Math.rint(border + random.nextDouble() * (size - 2 * border));
            double y = Math.rint(border + random.nextDouble() * (size - 2 * border));
            if (bare.blocked(x, y, 60)) {
                continue;
            }
            int id = spots.size() + 1;
            spots.add(new PickupSpot(id, id % 3 == 0 ? PickupSpot.RAPID_FIRE : PickupSpot.REPAIR, x, y));
        }
        return new ArenaMap(size, size, obstacles, spots);
    }

    /** True when a circle at {@code (x, y)} with radius {@code r} overlaps an obstacle or leaves the arena. */
    public boolean blocked(double x, double y, double r) {
        if (x < r || y < r || x > width - r || y > height - r) {
            return true;
        }
        for (int i = 0; i < obstacles.size(); i++) {
            Rect o = obstacles.get(i);
            double cx = Math.max(o.x(), Math.min(x, o.right()));
            double cy = Math.max(o.y(), Math.min(y, o.bottom()));
            double dx = x - cx;
            double dy = y - cy;
            if (dx * dx + dy * dy < r * r) {
                return true;
            }
        }
        return false;
    }

    /** True when the point lies inside an obstacle or outside the arena. */
    public boolean solidAt(double x, double y) {
        if (x < 0 || y < 0 || x > width || y > height) {
            return true;
        }
        for (int i = 0; i < obstacles.size(); i++) {
            if (obstacles.get(i).contains(x, y)) {
                return true;
            }
        }
        return false;
    }
}
