package io.tickwave.arena.sim;

import java.util.List;

/**
 * How a ship moves for one input: the one movement function of the game, stateless.
 *
 * <p><b>Contract with the browser.</b> {@code js/movement.js} implements the same steps in the same
 * order with the same doubles, so that the client's prediction of its own ship lands where the server
 * puts it. Change both together.
 *
 * <p>Steps: normalise the direction (diagonals are not faster), move by {@code speed × seconds}, then
 * two passes of pushing the circle out of every obstacle it overlaps (which makes ships slide along
 * walls), each pass ending by clamping into the arena.
 */
public final class ShipMovement {

    private ShipMovement() {
    }

    /**
     * Moves {@code ship} for {@code seconds} in direction {@code (moveX, moveY)}, each clamped to
     * [-1, 1]. Does nothing for a zero direction.
     */
    public static void move(ArenaMap map, ArenaRules rules, Ship ship, int moveX, int moveY, double seconds) {
        int mx = Math.max(-1, Math.min(1, moveX));
        int my = Math.max(-1, Math.min(1, moveY));
        if (mx == 0 && my == 0) {
            return;
        }
        double len = Math.sqrt(mx * mx + my * my);
        double step = rules.shipSpeed() * seconds;
        double x = ship.x + mx / len * step;
        double y = ship.y + my / len * step;
        double r = rules.shipRadius();
        List<Rect> obstacles = map.obstacles();
        for (int pass = 0; pass < 2; pass++) {
            for (int i = 0; i < obstacles.size(); i++) {
                Rect o = obstacles.get(i);
                double cx = clamp(x, o.x(), o.right());
                double cy = clamp(y, o.y(), o.bottom());
                double dx = x - cx;
                double dy = y - cy;
                double d2 = dx * dx + dy * dy;
                if (d2 >= r * r) {
                    continue;
                }
                if (d2 > 1e-12) {
                    double d = Math.sqrt(d2);
                    x = cx + dx / d * r;
                    y = cy + dy / d * r;
                } else {
                    double left = x - o.x();
                    double right = o.right() - x;
                    double top = y - o.y();
                    double bottom = o.bottom() - y;
                    double least = Math.min(Math.min(left, right), Math.min(top, bottom));
                    if (least == left) {
                        x = o.x() - r;
                    } else if (least == right) {
                        x = o.right() + r;
                    } else if (least == top) {
                        y = o.y() - r;
                    } else {
                        y = o.bottom() + r;
                    }
                }
            }
            x = clamp(x, r, map.width() - r);
            y = clamp(y, r, map.height() - r);
        }
        ship.x = x;
        ship.y = y;
    }

    static double clamp(double v, double lo, double hi) {
        return v < lo ? lo : (v > hi ? hi : v);
    }
}
